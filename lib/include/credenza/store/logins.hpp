#pragma once
// How and when accounts' holders log in (SPID, CIE, eIDAS or a password), reminders of how to log
// in, and the switch of families between passwords and SPID/CIE: the SQL of issue 15.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <credenza/kinds.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::store {

struct LoginRecord
{
    std::string first_login_at;             // ISO time, "" = never
    std::optional<LoginKind> first_method;  // nullopt when unknown (a first login before schema 3)
    std::string last_login_at;              // ISO time, "" = never (or only before schema 3)
    std::optional<LoginKind> last_method;
};

LoginRecord login_record(Database& db, std::int64_t account_id);

// Every account's record, by account id.
std::map<std::int64_t, LoginRecord> login_records(Database& db);

// A login by `method` at `now`: the last login always, the first one when there was none.
// Returns the record as it was before.
LoginRecord record_login(Database& db, std::int64_t account_id, LoginKind method, TimePoint now);

// When the last reminder letter of each account was queued (accounts that had one only).
std::map<std::int64_t, std::string> last_reminders(Database& db);

// Family accounts whose login method is `from` (active or not): what a switch of [policy]
// family_login touches.
int count_family_accounts_with_method(Database& db, LoginMethod from);

// Sets every family account's login method to `to`. Passwords and PINs are left as they are: a
// password of an account that logs in with SPID/CIE stays in the database, unusable (verify
// answers as for an unknown name), and works again if the school switches back.
int switch_family_login(Database& db, LoginMethod to, TimePoint now);

// The family accounts with login method `method` that hold a password hash.
int count_family_accounts_with_password(Database& db, LoginMethod method);

} // namespace credenza::store
