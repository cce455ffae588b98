#pragma once
// Accounts and the persons they belong to, as rows: the one place that maps the `account`,
// `person` and `pupil` columns the account lifecycle reads and writes to fields. Kinds and
// states are enums here; the database keeps their words.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::store {

// An account with its person and, for a student, its pupil record. Never a hash.
struct AccountRow
{
    std::int64_t id = 0;
    std::int64_t person_id = 0;
    std::string user_code;
    AccountKind kind = AccountKind::family;
    std::string tax_code;
    std::string surname;
    std::string name;
    std::string email;        // a family's personal address, a student's institutional one ("" = none)
    AccountStatus status = AccountStatus::active;
    DisabledBy disabled_by = DisabledBy::none;
    LoginMethod login_method = LoginMethod::password;
    bool must_change_password = true;
    bool has_password = false;
    bool has_pin = false;
    int pin_failures = 0;
    int password_failures = 0;
    std::string password_set_at; // ISO time, "" = never
    std::string first_login_at;  // ISO time, "" = never
    std::string birth_date;      // students only: YYYY-MM-DD
    std::string class_name;      // students only
    std::string credentials;     // from the account's letters: "none" | "pending" | "sent" | "failed"
};

// Every account of that kind and status (nullopt = any), by kind, surname, name, user code.
std::vector<AccountRow> list_account_rows(Database& db, std::optional<AccountKind> kind,
                                          std::optional<AccountStatus> status);
// The same, each row handed to `visit` as it is read (nothing kept): `visit` must not use the database.
void for_each_account_row(Database& db, std::optional<AccountKind> kind, std::optional<AccountStatus> status,
                          const std::function<void(AccountRow&&)>& visit);

// The accounts whose user code is `user_code` or whose person's codice fiscale is `tax_code`
// (both compared exactly: the caller normalises them). A codice fiscale may hold two.
std::vector<AccountRow> find_account_rows(Database& db, std::string_view user_code, std::string_view tax_code);

struct PupilInCare
{
    std::string tax_code;
    std::string class_name;
    std::string surname;
    std::string name;
};

// The active pupils a guardian (a person id) is responsible for, by class, surname, name.
std::vector<PupilInCare> active_pupils_of_guardian(Database& db, std::int64_t guardian_id);

// The guardians of a pupil (a person id), by position: their family account's user code ("" =
// none) and whether it is active.
struct GuardianOfPupil
{
    std::string tax_code;
    std::string surname;
    std::string name;
    std::string user_code;
    bool active = false;
};
std::vector<GuardianOfPupil> guardian_accounts_of_pupil(Database& db, std::int64_t pupil_id);

// The same for every guardian and every pupil at once, by person id (a listing of all accounts:
// one pass each, not one query per account).
std::unordered_map<std::int64_t, std::vector<PupilInCare>> active_pupils_of_guardians(Database& db);
std::unordered_map<std::int64_t, std::vector<GuardianOfPupil>> guardian_accounts_of_pupils(Database& db);

// Per account, the text a search looks in (user code, surname, name, address, codice fiscale, a
// student's class, a family's active pupils with their classes), as stored: the caller folds it.
struct SearchText
{
    std::int64_t account_id = 0;
    std::string text;
};
std::vector<SearchText> account_search_texts(Database& db);

// The accounts with these ids, by kind, surname, name, user code.
std::vector<AccountRow> account_rows_by_id(Database& db, const std::vector<std::int64_t>& ids);

// Every listing query of this file, named, for the query-plan test (test_store_query_plans.cpp).
struct AccountQuery
{
    std::string name;
    std::string sql;
};
std::vector<AccountQuery> account_queries();

void set_account_status(Database& db, std::int64_t account_id, AccountStatus status, DisabledBy disabled_by,
                        TimePoint now);

// Which of an account's two secrets a call is about.
enum class Secret { password, pin };

// What verifying one secret of an account needs.
struct SecretRow
{
    std::int64_t account_id = 0;
    std::string user_code;
    AccountKind kind = AccountKind::family;
    AccountStatus status = AccountStatus::active;
    std::string hash;            // "" when none
    int failures = 0;            // consecutive failures of this secret
    std::string last_failure_at; // ISO time, "" = none
    bool must_change_password = false;
    std::string password_set_at; // ISO time, "" = never
    std::string pending_hash;    // a recovery's secret waiting to be used, "" = none
    int pending_failures = 0;    // wrong guesses at it
    std::string pending_expires_at; // ISO time, "" = none
};

// The account whose user code is `user_code` (exactly: the caller upper-cases it), with the stored
// hash, failure counts and pending recovery secret of `secret`.
std::optional<SecretRow> find_secret_row(Database& db, std::string_view user_code, Secret secret);

// Counts one attempt at `secret` as a failure before it is checked, stamping its time, and returns
// the new count: each of many parallel attempts gets a count of its own.
int count_secret_attempt(Database& db, std::int64_t account_id, Secret secret, TimePoint now);

// Takes back an attempt counted by count_secret_attempt that was not a failure after all, with
// the previous failure time (ISO, "" = none).
void give_back_secret_attempt(Database& db, std::int64_t account_id, Secret secret,
                              const std::string& previous_failure_at);

// Counts one guess at the pending recovery secret; returns the new count.
int count_pending_attempt(Database& db, std::int64_t account_id, Secret secret);

// The pending recovery secret proved right: it replaces the old one (a password must then be
// changed), all failure counts of that secret are cleared.
void promote_pending_secret(Database& db, std::int64_t account_id, Secret secret, TimePoint now);

// The failures recorded against a login name that is no account (`tag` a keyed hash of it).
struct NameGuesses
{
    int failures = 0;
    std::string last_failure_at; // ISO time, "" = none
};
NameGuesses name_guesses(Database& db, std::string_view tag, Secret secret);
// Counts one attempt at a login name that is no account; returns the new count.
int count_name_attempt(Database& db, std::string_view tag, Secret secret, TimePoint now);

// The current stored hash of `secret` ("" = none), read again to see that it did not change.
std::string current_secret_hash(Database& db, std::int64_t account_id, Secret secret);

// A secret chosen by its holder, stored only if the one verified (`verified_hash`) is still the
// stored one: false, and nothing written, when a reset or a recovery replaced it meanwhile.
bool store_chosen_secret(Database& db, std::int64_t account_id, Secret secret, const std::string& verified_hash,
                         const std::string& hash, TimePoint now);

// A recovery letter's new secrets, waiting beside the old ones until `expires`; "" leaves that
// secret without a pending one.
void record_pending_secrets(Database& db, std::int64_t account_id, const std::string& password_hash,
                            const std::string& pin_hash, TimePoint expires);

// Recovery requests made by `requester` (a keyed hash) since `since`; records one more at `now`
// and forgets those older than a day.
int count_recover_request(Database& db, std::string_view requester, TimePoint since, TimePoint now);

// A right secret: the failure count back to zero; a password records the first login.
void record_secret_success(Database& db, std::int64_t account_id, Secret secret, TimePoint now);

// The same secret hashed again (a new KDF cost or pepper key); nothing else changes.
void replace_secret_hash(Database& db, std::int64_t account_id, Secret secret, const std::string& hash);

// An admin reset: the password (and with pin the PIN) stops working, must change, locks lifted.
void revoke_secrets(Database& db, std::int64_t account_id, bool pin, TimePoint now);

// An active account with an address that a recovery request names.
struct RecoveryCandidate
{
    std::int64_t account_id = 0;
    AccountKind kind = AccountKind::family;
    std::string birth_date;       // students only
    bool recovery_since = false;  // a recovery letter was queued after the cutoff
};

// Active accounts with a recorded address whose user code is `user_code` or whose address is
// `address` (compared lower case; "" matches none).
std::vector<RecoveryCandidate> find_recovery_candidates(Database& db, std::string_view user_code,
                                                        std::string_view address, TimePoint cutoff);

} // namespace credenza::store
