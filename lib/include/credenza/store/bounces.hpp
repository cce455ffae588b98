#pragma once
// The delivery reports read back from the bounce mailbox: which letter a report names, what it
// said, and what a hard bounce changes (the letter `bounced`, the secrets it carried void, a new
// letter once the address is corrected). Callers give the time; transactions are theirs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::store {

// A letter a report names, as it is now.
struct ReportedLetter
{
    std::int64_t letter_id = 0;
    std::int64_t account_id = 0;
    std::string user_code;
    LetterPurpose purpose = LetterPurpose::initial;
    LetterState state = LetterState::sent;
};

// The letter that went out with exactly this Message-ID ("<token@domain>").
std::optional<ReportedLetter> letter_by_message_id(Database& db, std::string_view message_id);
// The letter whose Message-ID has this token ("<token@...>"), the VERP envelope's.
std::optional<ReportedLetter> letter_by_token(Database& db, std::string_view token);

enum class BounceSeverity { hard, soft, delayed };
std::string_view to_string(BounceSeverity severity);

struct NewBounce
{
    std::int64_t letter_id = 0;
    std::string report_key;
    BounceSeverity severity = BounceSeverity::hard;
    std::string status;
    std::string diagnostic;
    std::string recipient;
};

// False, and nothing written, when a report with this key was recorded before.
bool record_bounce(Database& db, const NewBounce& bounce, TimePoint now);

// A sent letter becomes `bounced` with "bounced STATUS: DIAGNOSTIC" as its last reply; false when it
// was not `sent` (bounced already, or never handed over).
bool mark_letter_bounced(Database& db, std::int64_t letter_id, std::string_view reply, TimePoint now);

// The secrets a bounced letter carried stop working: a recovery's pending ones; an initial or reset
// letter's password (and PIN when it brought one), unless a later letter brought others or the
// holder has changed the password or logged in since (then it did arrive somehow). Returns what was voided:
// "password", "pin", "pending", joined by spaces; "" for nothing.
std::string void_bounced_secrets(Database& db, std::int64_t letter_id, TimePoint now);

// The accounts of a person whose last letter bounced and that wait for no other: a new letter of
// the same purpose is queued for each (the address was just corrected). Returns each account's user
// code and the new letter's id.
struct RequeuedLetter
{
    std::string user_code;
    std::int64_t letter_id = 0;
    LetterPurpose purpose = LetterPurpose::initial;
};
std::vector<RequeuedLetter> requeue_bounced_letters(Database& db, std::int64_t person_id, TimePoint now);

} // namespace credenza::store
