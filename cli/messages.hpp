#pragma once
// The CLI's words for what the library reports, in one place: the hint that follows an error (the
// library says what failed; only the CLI knows its commands and options), the refusal of a
// verification, and the exit status of each. A front end of its own words them its own way.

#include <string>
#include <string_view>

#include <credenza/accounts/verify.hpp>
#include <credenza/dispatch/send.hpp>
#include <credenza/error.hpp>

namespace credenza::cli {

// The error as the CLI prints it: the library's message, then what to do next.
std::string error_message(const Error& error);

// "create it with 'credenza init'"; "" for Hint::none.
std::string hint_text(Hint hint);

// What a refused verification or change says on stderr, after "credenza: ". `changing` when the
// holder was changing the secret (passwd, pin) rather than verifying it. "" for valid and invalid.
std::string refusal_message(accounts::VerifyStatus status, std::string_view account, bool pin, bool changing,
                            std::string_view retry_after = {});

// What to fix for a setting the mail server refused ("smtp.user" -> "the SMTP user or password is
// refused: fix ..."), for `send` and `check`.
std::string setting_fix(std::string_view setting);

// The one line (without "credenza: error: ") a person must act on after a send, or "" when all
// is well: a setting to fix, a server out of reach, letters refused for good, letters waiting too long.
std::string send_alert(const dispatch::SendReport& report);

int exit_code_for(ErrorCode code);
int exit_code_for(accounts::VerifyStatus status);

} // namespace credenza::cli
