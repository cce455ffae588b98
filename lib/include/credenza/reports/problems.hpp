#pragma once
// What a person must fix — mostly in the school's register, then import again — before every
// family and student can have working credentials. Each row says why.

#include <string>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/reports/summary.hpp>
#include <credenza/store/database.hpp>

namespace credenza::reports {

struct Problem
{
    std::string problem;              // no_address | delivery_failed | waiting | shared_address | locked | no_guardian
    std::string user_code;            // of the account concerned ("" when a pupil has no student account)
    AccountKind kind = AccountKind::family;
    std::string tax_code;
    std::string surname;
    std::string name;
    std::vector<std::string> classes; // of the active pupils concerned
    std::string address;              // the address at stake, when there is one
    std::string reason;               // lower case, for the secretariat: what is wrong and what to do
};

// The thresholds of [policy] that lock an account.
struct LockPolicy
{
    int pin_max_failures = 10;
    int password_max_failures = 100;
};

// Problems of the active accounts and pupils selected by the filter, in the order above,
// then by class, surname and name:
//  - no_address: a guardian with no e-mail address recorded;
//  - delivery_failed: the last failed letter of an account with no letter sent since
//    (a 5xx reply: the address does not work);
//  - waiting: a letter still queued or deferred after a reply (the server's, or why the run
//    stopped): the reply and when the next attempt is due;
//  - shared_address: a guardian whose address another active guardian also gave;
//  - locked: PIN or password failures at or over the policy's limit;
//  - no_guardian: an active pupil with no guardian at all.
std::vector<Problem> problems(store::Database& db, const Filter& filter = {}, const LockPolicy& policy = {});

} // namespace credenza::reports
