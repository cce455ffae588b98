#pragma once
// The reports' queries: typed rows read from the database. What they mean (grouping per
// class, the problems and their reasons) is lib/reports' business.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::store {

// Which pupils a report covers, and through them which accounts: a student account
// covers its pupil, a family account every pupil of its guardian.
struct ReportScope
{
    std::vector<std::string> classes; // normalised ("1A"); empty = every class
    std::string school_year;          // "2025/2026"; "" = every year

    bool empty() const { return classes.empty() && school_year.empty(); }
};

struct SummaryCounts
{
    int pupils_active = 0;
    int pupils_left = 0;
    int guardians = 0;                 // people with a family account
    int family_active = 0;
    int family_disabled = 0;
    int student_active = 0;
    int student_disabled = 0;
    int family_without_address = 0;    // active family accounts with no recorded address
    int student_without_address = 0;   // active student accounts with no institutional address
    int letters_queued = 0;            // queued or sending
    int letters_sent = 0;
    int letters_deferred = 0;
    int letters_failed = 0;
    int letters_cancelled = 0;
    // Rows of each code of the problems report (reports::problem_codes()), filled by reports::summary.
    std::vector<std::pair<std::string, int>> problems;
};

// With a scope, the pupils (active and left) of those classes and years, the accounts that
// cover them and the letters of those accounts; without, every row.
SummaryCounts count_summary(Database& db, const ReportScope& scope);

// Active pupils per class.
struct ClassPupils
{
    std::string class_name;
    int pupils = 0;
};
std::vector<ClassPupils> count_pupils_by_class(Database& db, const ReportScope& scope);

// One row per (class, active account covering an active pupil of it), with its letters by state.
struct CoveredAccount
{
    std::string class_name;
    AccountKind kind = AccountKind::family;
    bool without_address = false; // no address to write to
    int letters_sent = 0;
    int letters_pending = 0; // queued or sending
    int letters_deferred = 0;
    int letters_failed = 0;
};
std::vector<CoveredAccount> covered_accounts(Database& db, const ReportScope& scope);

struct LetterDelivery
{
    std::int64_t letter_id = 0;
    std::string user_code;
    AccountKind kind = AccountKind::family;
    std::string surname;
    std::string name;
    std::vector<std::string> classes; // of the active pupils the account covers, sorted
    LetterPurpose purpose = LetterPurpose::initial;
    std::string address;              // where it went, or for a letter not yet tried where it will go
    LetterState state = LetterState::queued;
    int attempts = 0;
    std::optional<int> last_code;     // the server's last reply code
    std::string last_reply;
    std::string time;                 // when it was sent, else when its state last changed
    std::string next_attempt;         // deferred letters: not before this time
};

// One row per letter, oldest first. With a scope, the letters of the accounts covering the
// selected pupils; without, every letter (also of accounts whose pupils have left).
std::vector<LetterDelivery> letter_deliveries(Database& db, const ReportScope& scope);
// The same rows, one at a time as SQLite reads them, handed to `visit` (moved from): a report can
// print each before the next is read, with no list of every letter in memory.
void for_each_letter_delivery(Database& db, const ReportScope& scope,
                              const std::function<void(LetterDelivery&&)>& visit);

// An account (or a pupil with none) that the problems report names.
struct ReportedAccount
{
    std::string user_code; // "" for a pupil with no student account
    AccountKind kind = AccountKind::family;
    std::string tax_code;
    std::string surname;
    std::string name;
    std::vector<std::string> classes; // of the active pupils concerned, sorted
};

// Active covered accounts with no address to write to: a guardian with no e-mail address, a
// student with no institutional one.
std::vector<ReportedAccount> accounts_without_address(Database& db, const ReportScope& scope);

struct AddressedAccount
{
    ReportedAccount account;
    std::string address;
};

// Active covered accounts with an address that never had a letter (a cancelled one aside):
// e.g. a family whose address arrived with an import after the last `issue`.
std::vector<AddressedAccount> accounts_never_sent(Database& db, const ReportScope& scope);

// The last failed letter of each active covered account with no letter sent after it.
struct FailedLetter
{
    ReportedAccount account;
    std::string recipient;
    std::optional<int> last_code;
    std::string last_reply;
    int attempts = 0;
};
std::vector<FailedLetter> last_failed_letters(Database& db, const ReportScope& scope);

// The last letter of each active covered account when it bounced (no letter after it): what the
// delivery report said, and the pupils it was about ("Name Surname (1A), ...").
struct BouncedLetter
{
    ReportedAccount account;
    std::string recipient;
    std::string status;     // RFC 3463, "5.1.1"
    std::string diagnostic; // the reporting server's words
    std::string bounced_at;
    std::string pupils;
};
std::vector<BouncedLetter> last_bounced_letters(Database& db, const ReportScope& scope);

// Letters of active covered accounts still waiting (queued or deferred) after the server (or the
// run) said why: the last reply, and when the next attempt is due.
struct WaitingLetter
{
    FailedLetter letter;
    std::string next_attempt; // "" = due at the next send
    std::string queued_at;
};
std::vector<WaitingLetter> waiting_letters(Database& db, const ReportScope& scope);

// Letters of active covered accounts queued (or being sent) before `before` and never tried.
std::vector<WaitingLetter> letters_pending_since(Database& db, const ReportScope& scope, TimePoint before);

// Active covered family accounts whose address another active family account also has.
struct SharedAddress
{
    ReportedAccount account;
    std::string address;
    std::string others; // "name surname (user code), ..." of the other accounts
};
std::vector<SharedAddress> shared_addresses(Database& db, const ReportScope& scope);

// Active covered accounts whose address change the latest import held back (they had a letter
// already), with the address still recorded.
std::vector<AddressedAccount> accounts_with_address_held(Database& db, const ReportScope& scope);

// Active covered accounts with PIN or password failures at or over the limits.
struct FailureCounts
{
    ReportedAccount account;
    int pin_failures = 0;
    int password_failures = 0;
};
std::vector<FailureCounts> accounts_over_failure_limits(Database& db, const ReportScope& scope, int pin_max_failures,
                                                        int password_max_failures);

// Selected active pupils with no guardian recorded.
std::vector<ReportedAccount> pupils_without_guardian(Database& db, const ReportScope& scope);

// Active covered accounts whose password must still be changed and was set before `set_before`:
// the initial (or reset) password expired unused.
struct ExpiredPassword
{
    ReportedAccount account;
    std::string set_at;         // ISO time
    std::string first_login_at; // "" = never logged in
};
std::vector<ExpiredPassword> initial_passwords_expired(Database& db, const ReportScope& scope, TimePoint set_before);

// Disabled accounts that still cover an active pupil of the scope.
struct DisabledAccount
{
    ReportedAccount account;
    DisabledBy disabled_by = DisabledBy::none;
};
std::vector<DisabledAccount> disabled_with_pupils(Database& db, const ReportScope& scope);

// Every query of the reports as it runs (scope parameters unbound), named, for the test that reads
// their query plans (tests/unit/test_store_query_plans.cpp): a new report query belongs here.
struct ReportQuery
{
    std::string name;
    std::string sql;
};
std::vector<ReportQuery> report_queries();

} // namespace credenza::store
