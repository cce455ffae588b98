#pragma once
// Queuing credentials letters. A queued letter holds no secret: `send` makes them.

#include <optional>
#include <string>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::dispatch {

struct IssueOptions
{
    std::vector<std::string> classes; // only accounts covering a pupil of these classes; empty = all
    std::optional<AccountKind> kind;  // only accounts of this kind; nullopt = every kind
    bool dry_run = false;
    std::string operator_name;
};

struct SkippedAccount
{
    std::string user_code;
    AccountKind kind = AccountKind::family;
    std::string surname;
    std::string name;
    std::string reason; // "no e-mail address recorded"
};

struct IssueReport
{
    int queued = 0;
    int already = 0;                     // accounts that had a letter already
    std::vector<SkippedAccount> skipped; // active accounts left out, with why
    bool dry_run = false;
};

// Queues an initial letter for every selected active account that never had one and has
// an address; queuing twice queues nothing new. One transaction; audited per letter.
IssueReport issue_letters(store::Database& db, const Clock& clock, const IssueOptions& options);

// Queues a reset or recovery letter for one account (used by the lifecycle commands).
// Returns the letter id. A letter of the same purpose still queued for the account is reused.
std::int64_t queue_letter(store::Database& db, const Clock& clock, std::int64_t account_id, LetterPurpose purpose,
                          bool new_pin, const std::string& reason, const std::string& operator_name);

} // namespace credenza::dispatch
