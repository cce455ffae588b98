#pragma once
// After SPID/CIE: reminders to those who never logged in, and switching a school's families
// between passwords and SPID/CIE ([policy] family_login).

#include <string>
#include <string_view>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::accounts {

struct ReminderOptions
{
    std::vector<std::string> classes; // accounts covering a pupil of these classes; empty = all
    int interval_days = 14;           // at most one reminder per account in this many days
    bool dry_run = false;
};

struct ReminderReport
{
    std::vector<std::string> queued;  // user codes reminded now (or, in a dry run, that would be)
    int recently_reminded = 0;        // never logged in, but reminded within the interval
    int without_credentials = 0;      // never logged in, and no credentials letter sent yet ('credenza issue')
    int without_address = 0;          // never logged in, and no address to write to
};

// Queues a reminder letter (how to log in; no secret) for every active account that never logged
// in and whose credentials letter was sent, unless it had one within the interval; each audited
// (dispatch::queue_letter).
// The letters go out with the next `credenza send`.
ReminderReport remind_never_logged_in(store::Database& db, const Clock& clock, const ReminderOptions& options,
                                      std::string_view operator_name);

struct FamilyLoginSwitch
{
    LoginMethod to = LoginMethod::spid_cie;
    int accounts = 0;          // family accounts whose login method changes
    int with_password = 0;     // of those, holding a password: unusable under SPID/CIE, usable again after
    int without_password = 0;  // of those, without one (switching to passwords: they need one)
    bool dry_run = false;
};

// Sets every family account's login method to `to`, which [policy] family_login (`configured`)
// must already say (Error(config) otherwise). Keeps every PIN and password hash, queues no letter;
// audited once with the counts.
FamilyLoginSwitch switch_family_login(store::Database& db, const Clock& clock, LoginMethod configured, LoginMethod to,
                                      bool dry_run, std::string_view operator_name);

} // namespace credenza::accounts
