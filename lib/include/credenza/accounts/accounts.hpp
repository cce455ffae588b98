#pragma once
// Accounts as an administrator and the register's front end see them: never a hash, never a secret.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::accounts {

struct AccountInfo
{
    std::int64_t id = 0;
    std::int64_t person_id = 0;
    std::string user_code;
    AccountKind kind = AccountKind::family;
    std::string tax_code;
    std::string surname;
    std::string name;
    std::string email;                // the recorded address letters go to ("" = none)
    AccountStatus status = AccountStatus::active;
    DisabledBy disabled_by = DisabledBy::none;
    std::vector<std::string> pupils;  // tax codes of the pupils the account covers
    std::vector<std::string> pupil_names; // the same pupils as "Name Surname (class)"
    std::vector<std::string> guardians;   // a student's guardians: "Name Surname (user code)", "(no account)"
    std::vector<std::string> classes; // their classes
    std::optional<bool> adult;        // students only
    std::string birth_date;           // students only
    std::string credentials;          // "none" | "pending" | "sent" | "failed" | "bounced" (the last letter never arrived)
    bool must_change_password = true;
    bool has_password = false;
    bool has_pin = false;
    int pin_failures = 0;             // consecutive wrong PINs (locked at [policy] pin_max_failures)
    int password_failures = 0;        // consecutive wrong passwords
    std::string password_set_at;
    std::string first_login_at;
    LoginMethod login_method = LoginMethod::password;
    std::vector<std::string> capabilities;
};

struct AccountFilter
{
    std::optional<AccountKind> kind;     // nullopt = both
    std::vector<std::string> classes;    // accounts covering a pupil of one of these classes
    std::optional<AccountStatus> status; // nullopt = any
    std::string search;                  // "" = all; else as find_accounts
    // pupil_names, guardians and capabilities made too; a listing that prints none of them (account
    // list) says false and skips every guardian of every pupil.
    bool with_names = true;
};

// Whether a student is adult is judged on the clock's day.
std::vector<AccountInfo> list_accounts(store::Database& db, const Clock& clock, const AccountFilter& filter = {});
// The same accounts in the same order, each handed to `visit` as it is made (without a search, none
// kept: a large school's listing streams). `visit` must not use the database.
void for_each_account(store::Database& db, const Clock& clock, const AccountFilter& filter,
                      const std::function<void(AccountInfo&&)>& visit);

// ACCOUNT is a user code or a codice fiscale (any case). Error(not_found) when nothing
// matches; Error(usage) when a codice fiscale holds both a family and a student account.
AccountInfo find_account(store::Database& db, const Clock& clock, std::string_view account);

// The accounts whose user code, surname, name, address, codice fiscale or class (a student's own,
// a family's pupils'), or whose pupils' names, have every word of `text` at the start of one of
// their parts (a word with a '.', '@' or '-' anywhere), ignoring case, accents and apostrophes
// ("citro" finds "Citrò", "dangelo" "D'Angelo", "2b" the class and not a codice fiscale's middle);
// by kind, surname, name. Error(usage) when `text` has no word.
std::vector<AccountInfo> find_accounts(store::Database& db, const Clock& clock, std::string_view text);

// How `text` is compared by find_accounts: lower case, accents and ligatures folded to ASCII,
// apostrophes dropped.
std::string fold_for_search(std::string_view text);

// When a password that must be changed at first access stops working ("" when it does not
// expire: already changed, or none yet), as an ISO time.
std::string password_expires_at(const AccountInfo& account, int initial_password_days);

// A pupil is adult from their 18th birthday, computed each time from the birth date
// ("YYYY-MM-DD") and the local calendar day of `now`; nullopt when the date cannot be read.
std::optional<bool> is_adult(std::string_view birth_date, TimePoint now);

// What an account may do in the register, from its kind (DESIGN.md).
std::vector<std::string> capabilities_of(const AccountInfo& account);

// Disables or re-enables an account by hand; audited with the optional reason.
// Returns false when it was already in that state.
bool set_enabled(store::Database& db, const Clock& clock, std::string_view account, bool enabled,
                 std::string_view reason, std::string_view operator_name);

} // namespace credenza::accounts
