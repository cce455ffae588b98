#pragma once
// What a person must fix — mostly in the school's register, then import again — before every
// family and student can have working credentials. Each row says why.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/reports/summary.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::reports {

struct Problem
{
    std::string problem;              // one of problem_codes()
    std::string user_code;            // of the account concerned ("" when a pupil has no student account)
    AccountKind kind = AccountKind::family;
    std::string tax_code;
    std::string surname;
    std::string name;
    std::vector<std::string> classes; // of the active pupils concerned
    std::string address;              // the address at stake, when there is one
    std::string reason;               // lower case, for the secretariat: what is wrong and what to do
};

// What decides that an account has a problem: the limits of [policy] that lock it, how long an
// initial password lasts, how long a letter may wait for a send, and the clock's time.
struct ProblemRules
{
    int pin_max_failures = 10;
    int password_max_failures = 100;
    int initial_password_days = 30;
    int pending_hours = 24; // a letter never tried this long after it was queued: is `send` running?
    TimePoint now{};        // the epoch (the default) finds no expired password and no letter pending long
};
using LockPolicy = ProblemRules;

// The problem codes, in the order of the report.
const std::vector<std::string>& problem_codes();

// A problem code in a few words of the reader's language ("no address to write to"), for a
// front end's summary or legend; the code itself stays English (JSON). Other codes come back unchanged.
std::string problem_label(std::string_view code);

// Problems of the active accounts and pupils selected by the filter, in this order, then by
// class, surname and name:
//  - no_address: a guardian with no e-mail address, a student with no institutional address;
//  - never_sent: an account with an address that never had a letter (its address came later);
//  - delivery_failed: the last failed letter of an account with no letter sent since
//    (a 5xx reply: the address does not work);
//  - bounced: the last letter of an account came back as a hard bounce (bounces read over IMAP):
//    the address, the pupils, the reason in words and what to do;
//  - waiting: a letter deferred, or queued again after a reply (the server's, or why the run
//    stopped): the reply and when the next attempt is due;
//  - pending: a letter queued more than pending_hours ago and never tried;
//  - shared_address: a guardian whose address another active guardian also gave;
//  - address_held: an account whose new address the latest import held for --accept-changes;
//  - locked: PIN or password failures at or over the policy's limit;
//  - password_expired: a password to be changed at first access, set more than
//    initial_password_days ago and still unchanged;
//  - disabled: a disabled account whose pupil is still enrolled;
//  - no_guardian: an active pupil with no guardian at all.
std::vector<Problem> problems(store::Database& db, const Filter& filter = {}, const ProblemRules& rules = {});

// How many rows of each code problems() lists, every code present (0 when none): the summary's counts.
std::vector<std::pair<std::string, int>> count_problems(const std::vector<Problem>& problems);

} // namespace credenza::reports
