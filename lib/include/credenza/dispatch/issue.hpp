#pragma once
// Queuing credentials letters. A queued letter holds no secret: `send` makes them.

#include <string>
#include <vector>

#include <credenza/store/database.hpp>

namespace credenza::dispatch {

struct IssueOptions
{
    std::vector<std::string> classes; // only accounts covering a pupil of these classes; empty = all
    std::string kind = "all";         // "family" | "student" | "all"
    bool dry_run = false;
    std::string operator_name;
};

struct SkippedAccount
{
    std::string user_code;
    std::string kind;
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
IssueReport issue_letters(store::Database& db, const IssueOptions& options);

// Queues a reset or recovery letter for one account (used by the lifecycle commands).
// Returns the letter id. A letter of the same purpose still queued for the account is reused.
std::int64_t queue_letter(store::Database& db, std::int64_t account_id, const std::string& purpose, bool new_pin,
                          const std::string& reason, const std::string& operator_name);

} // namespace credenza::dispatch
