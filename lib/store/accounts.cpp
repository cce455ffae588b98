#include <credenza/store/accounts.hpp>
#include "connection.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include "i18n/gettext.hpp"

namespace credenza::store {

namespace {

// A word read back from the database that this program does not know means the schema's CHECK
// was bypassed, or the database is newer than the code.
template <typename Enum>
Enum word_column(const SQLite::Column& column, const char* what)
{
    const std::string word = column.getString();
    if (const auto value = parse<Enum>(word)) {
        return *value;
    }
    throw Error(ErrorCode::internal, credenza::i18n::format(_fmt("unknown {} '{}' in the database"), what, word));
}

std::string word_or_any(const auto& value)
{
    return value ? std::string(to_string(*value)) : std::string();
}

// A student's address is the institutional one of their pupil record; a family's, the person's own.
constexpr const char* k_account_email =
    "(CASE a.kind WHEN 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END)";

// The credentials come from one pass over the account's letters: bounced when its last letter (not
// cancelled) bounced, else sent, pending, failed or none, the first state that any letter has.
const std::string k_select_account = fmt::format(R"sql(
SELECT a.id, a.person_id, a.user_code, a.kind, p.tax_code, p.surname, p.name, {},
       a.status, a.disabled_by, a.login_method, a.must_change_password,
       a.password_hash IS NOT NULL, a.pin_hash IS NOT NULL, a.pin_failures, a.password_failures,
       coalesce(a.password_set_at, ''), coalesce(a.first_login_at, ''),
       coalesce(pu.birth_date, ''), coalesce(pu.class, ''),
       (SELECT CASE
            WHEN max(CASE WHEN l.state = 'bounced' THEN l.id END) = max(CASE WHEN l.state <> 'cancelled' THEN l.id END)
                THEN 'bounced'
            WHEN max(l.state = 'sent') THEN 'sent'
            WHEN max(l.state IN ('queued', 'sending', 'deferred')) THEN 'pending'
            WHEN max(l.state = 'failed') THEN 'failed'
            ELSE 'none' END
        FROM letter l WHERE l.account_id = a.id)
FROM account a JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
)sql",
                                                 k_account_email);

// The one mapping of k_select_account's columns.
AccountRow read_account_row(SQLite::Statement& query)
{
    AccountRow row;
    row.id = query.getColumn(0).getInt64();
    row.person_id = query.getColumn(1).getInt64();
    row.user_code = query.getColumn(2).getString();
    row.kind = word_column<AccountKind>(query.getColumn(3), "account kind");
    row.tax_code = query.getColumn(4).getString();
    row.surname = query.getColumn(5).getString();
    row.name = query.getColumn(6).getString();
    row.email = query.getColumn(7).getString();
    row.status = word_column<AccountStatus>(query.getColumn(8), "account status");
    row.disabled_by = word_column<DisabledBy>(query.getColumn(9), "disabled_by");
    row.login_method = word_column<LoginMethod>(query.getColumn(10), "login method");
    row.must_change_password = query.getColumn(11).getInt() != 0;
    row.has_password = query.getColumn(12).getInt() != 0;
    row.has_pin = query.getColumn(13).getInt() != 0;
    row.pin_failures = query.getColumn(14).getInt();
    row.password_failures = query.getColumn(15).getInt();
    row.password_set_at = query.getColumn(16).getString();
    row.first_login_at = query.getColumn(17).getString();
    row.birth_date = query.getColumn(18).getString();
    row.class_name = query.getColumn(19).getString();
    row.credentials = query.getColumn(20).getString();
    return row;
}

// The text `account find` looks in, per account: user code, surname, name, address, codice fiscale,
// and a student's class, a family's pupils (surname, name, class). One pass; the pupils of a family
// come from its guardianships by index.
const std::string k_search_texts = R"sql(
SELECT a.id, a.user_code || ' ' || p.surname || ' ' || p.name || ' ' || p.email || ' ' || p.tax_code || ' ' ||
       CASE a.kind WHEN 'student' THEN coalesce(pu.class, '') || ' ' || coalesce(pu.institutional_email, '')
       ELSE coalesce((SELECT group_concat(c.surname || ' ' || c.name || ' ' || cp.class, ' ')
                      FROM guardianship g JOIN person c ON c.id = g.pupil_id JOIN pupil cp ON cp.person_id = g.pupil_id
                      WHERE g.guardian_id = a.person_id AND cp.status = 'active'), '') END
FROM account a JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
)sql";

const std::string k_list_accounts = k_select_account +
                                    " WHERE (?1 = '' OR a.kind = ?1) AND (?2 = '' OR a.status = ?2) "
                                    "ORDER BY a.kind, p.surname, p.name, a.user_code";
const std::string k_find_accounts = k_select_account + " WHERE a.user_code = ?1 OR p.tax_code = ?2";
// ?1: a JSON array of account ids.
const std::string k_accounts_by_id = k_select_account +
                                     " WHERE a.id IN (SELECT value FROM json_each(?1)) "
                                     "ORDER BY a.kind, p.surname, p.name, a.user_code";

constexpr const char* k_pupils_of_guardian =
    "SELECT p.tax_code, pu.class, p.surname, p.name FROM guardianship g JOIN person p ON p.id = g.pupil_id "
    "JOIN pupil pu ON pu.person_id = g.pupil_id WHERE g.guardian_id = ? "
    "AND pu.status = 'active' ORDER BY pu.class, p.surname, p.name";

constexpr const char* k_guardians_of_pupil =
    "SELECT p.tax_code, p.surname, p.name, coalesce(a.user_code, ''), coalesce(a.status, '') "
    "FROM guardianship g JOIN person p ON p.id = g.guardian_id "
    "LEFT JOIN account a ON a.person_id = g.guardian_id AND a.kind = 'family' "
    "WHERE g.pupil_id = ? ORDER BY g.position, p.surname, p.name";

// The same, for every guardian and pupil at once (a listing of every account): in index order, each
// group sorted as above by the caller.
constexpr const char* k_pupils_of_guardians =
    "SELECT g.guardian_id, p.tax_code, pu.class, p.surname, p.name FROM guardianship g "
    "JOIN person p ON p.id = g.pupil_id JOIN pupil pu ON pu.person_id = g.pupil_id "
    "WHERE pu.status = 'active' ORDER BY g.guardian_id";

constexpr const char* k_guardians_of_pupils =
    "SELECT g.pupil_id, g.position, p.tax_code, p.surname, p.name, coalesce(a.user_code, ''), "
    "coalesce(a.status, '') FROM guardianship g JOIN person p ON p.id = g.guardian_id "
    "LEFT JOIN account a ON a.person_id = g.guardian_id AND a.kind = 'family' ORDER BY g.pupil_id";

const char* hash_column(Secret secret)
{
    return secret == Secret::pin ? "pin_hash" : "password_hash";
}

} // namespace

void for_each_account_row(Database& db, std::optional<AccountKind> kind, std::optional<AccountStatus> status,
                          const std::function<void(AccountRow&&)>& visit)
{
    db.connection().guard("list accounts", [&] {
        // A statement of its own: the cached one would be left half read if `visit` throws.
        SQLite::Statement query(db.connection().raw(), k_list_accounts);
        query.bind(1, word_or_any(kind));
        query.bind(2, word_or_any(status));
        while (query.executeStep()) {
            visit(read_account_row(query));
        }
    });
}

std::vector<AccountRow> list_account_rows(Database& db, std::optional<AccountKind> kind,
                                          std::optional<AccountStatus> status)
{
    std::vector<AccountRow> rows;
    db.connection().guard("list accounts", [&] {
        // Room for every account at once: growing the vector moved each row about twice more.
        rows.reserve(static_cast<std::size_t>(db.connection().get<std::int64_t>("SELECT count(*) FROM account")));
    });
    for_each_account_row(db, kind, status, [&](AccountRow&& row) { rows.push_back(std::move(row)); });
    return rows;
}

std::vector<AccountRow> find_account_rows(Database& db, std::string_view user_code, std::string_view tax_code)
{
    std::vector<AccountRow> rows;
    db.connection().guard("find account", [&] {
        auto& query = db.connection().statement(k_find_accounts);
        query.bind(1, std::string(user_code));
        query.bind(2, std::string(tax_code));
        while (query.executeStep()) {
            rows.push_back(read_account_row(query));
        }
    });
    return rows;
}

std::vector<PupilInCare> active_pupils_of_guardian(Database& db, std::int64_t guardian_id)
{
    std::vector<PupilInCare> pupils;
    db.connection().guard("find pupils of guardian", [&] {
        auto& query = db.connection().statement(k_pupils_of_guardian);
        query.bind(1, guardian_id);
        while (query.executeStep()) {
            pupils.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                              query.getColumn(2).getString(), query.getColumn(3).getString()});
        }
    });
    return pupils;
}

std::vector<GuardianOfPupil> guardian_accounts_of_pupil(Database& db, std::int64_t pupil_id)
{
    std::vector<GuardianOfPupil> guardians;
    db.connection().guard("find guardians of pupil", [&] {
        auto& query = db.connection().statement(k_guardians_of_pupil);
        query.bind(1, pupil_id);
        while (query.executeStep()) {
            guardians.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                                 query.getColumn(2).getString(), query.getColumn(3).getString(),
                                 query.getColumn(4).getString() == "active"});
        }
    });
    return guardians;
}

std::unordered_map<std::int64_t, std::vector<PupilInCare>> active_pupils_of_guardians(Database& db)
{
    std::unordered_map<std::int64_t, std::vector<PupilInCare>> pupils;
    db.connection().guard("find pupils of guardians", [&] {
        SQLite::Statement query(db.connection().raw(), k_pupils_of_guardians);
        while (query.executeStep()) {
            pupils[query.getColumn(0).getInt64()].push_back(
                {query.getColumn(1).getString(), query.getColumn(2).getString(), query.getColumn(3).getString(),
                 query.getColumn(4).getString()});
        }
    });
    for (auto& [guardian, list] : pupils) {
        std::stable_sort(list.begin(), list.end(), [](const PupilInCare& x, const PupilInCare& y) {
            return std::tie(x.class_name, x.surname, x.name) < std::tie(y.class_name, y.surname, y.name);
        });
    }
    return pupils;
}

std::unordered_map<std::int64_t, std::vector<GuardianOfPupil>> guardian_accounts_of_pupils(Database& db)
{
    struct Found
    {
        int position = 0;
        GuardianOfPupil guardian;
    };
    std::unordered_map<std::int64_t, std::vector<Found>> found;
    db.connection().guard("find guardians of pupils", [&] {
        SQLite::Statement query(db.connection().raw(), k_guardians_of_pupils);
        while (query.executeStep()) {
            found[query.getColumn(0).getInt64()].push_back(
                {query.getColumn(1).getInt(),
                 {query.getColumn(2).getString(), query.getColumn(3).getString(), query.getColumn(4).getString(),
                  query.getColumn(5).getString(), query.getColumn(6).getString() == "active"}});
        }
    });
    std::unordered_map<std::int64_t, std::vector<GuardianOfPupil>> guardians;
    guardians.reserve(found.size());
    for (auto& [pupil, list] : found) {
        std::stable_sort(list.begin(), list.end(), [](const Found& x, const Found& y) {
            return std::tie(x.position, x.guardian.surname, x.guardian.name) <
                   std::tie(y.position, y.guardian.surname, y.guardian.name);
        });
        auto& out = guardians[pupil];
        out.reserve(list.size());
        for (auto& entry : list) {
            out.push_back(std::move(entry.guardian));
        }
    }
    return guardians;
}

std::vector<SearchText> account_search_texts(Database& db)
{
    std::vector<SearchText> texts;
    db.connection().guard("search accounts", [&] {
        SQLite::Statement query(db.connection().raw(), k_search_texts);
        while (query.executeStep()) {
            texts.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString()});
        }
    });
    return texts;
}

std::vector<AccountRow> account_rows_by_id(Database& db, const std::vector<std::int64_t>& ids)
{
    std::string json = "[";
    for (const auto id : ids) {
        if (json.size() > 1) {
            json += ',';
        }
        json += std::to_string(id);
    }
    json += "]";
    std::vector<AccountRow> rows;
    db.connection().guard("search accounts", [&] {
        SQLite::Statement query(db.connection().raw(), k_accounts_by_id);
        query.bind(1, json);
        while (query.executeStep()) {
            rows.push_back(read_account_row(query));
        }
    });
    return rows;
}

std::vector<AccountQuery> account_queries()
{
    return {{"account list", k_list_accounts},
            {"account show", k_find_accounts},
            {"account find: texts", k_search_texts},
            {"account find: rows", k_accounts_by_id},
            {"pupils of a guardian", k_pupils_of_guardian},
            {"guardians of a pupil", k_guardians_of_pupil},
            {"pupils of every guardian", k_pupils_of_guardians},
            {"guardians of every pupil", k_guardians_of_pupils}};
}

void set_account_status(Database& db, std::int64_t account_id, AccountStatus status, DisabledBy disabled_by,
                        TimePoint now)
{
    db.connection().execute("UPDATE account SET status = ?, disabled_by = ?, updated_at = ? WHERE id = ?", to_string(status),
               to_string(disabled_by), iso_time(now), account_id);
}

std::optional<SecretRow> find_secret_row(Database& db, std::string_view user_code, Secret secret)
{
    const bool pin = secret == Secret::pin;
    const char* prefix = pin ? "pin" : "password";
    // An account that logs in with SPID or CIE has no usable password: one kept from before a switch
    // of [policy] family_login waits unused, and verify answers as for a name that is no account.
    const char* usable = pin ? "1" : "a.login_method <> 'spid_cie'";
    const std::string sql = fmt::format(
        "SELECT a.id, a.user_code, a.kind, a.status, CASE WHEN {1} THEN coalesce(a.{0}_hash, '') ELSE '' END, "
        "a.{0}_failures, coalesce(a.{0}_last_failure_at, ''), a.must_change_password, coalesce(a.password_set_at, ''), "
        "CASE WHEN {1} THEN coalesce(a.pending_{0}_hash, '') ELSE '' END, a.pending_{0}_failures, "
        "coalesce(a.pending_expires_at, '') FROM account a WHERE a.user_code = ?1",
        prefix, usable);
    std::optional<SecretRow> found;
    db.connection().guard("load account for verify", [&] {
        auto& query = db.connection().statement(sql);
        query.bind(1, std::string(user_code));
        if (query.executeStep()) {
            SecretRow row;
            row.account_id = query.getColumn(0).getInt64();
            row.user_code = query.getColumn(1).getString();
            row.kind = word_column<AccountKind>(query.getColumn(2), "account kind");
            row.status = word_column<AccountStatus>(query.getColumn(3), "account status");
            row.hash = query.getColumn(4).getString();
            row.failures = query.getColumn(5).getInt();
            row.last_failure_at = query.getColumn(6).getString();
            row.must_change_password = query.getColumn(7).getInt() != 0;
            row.password_set_at = query.getColumn(8).getString();
            row.pending_hash = query.getColumn(9).getString();
            row.pending_failures = query.getColumn(10).getInt();
            row.pending_expires_at = query.getColumn(11).getString();
            found = std::move(row);
        }
        query.reset();
    });
    return found;
}

int count_secret_attempt(Database& db, std::int64_t account_id, Secret secret, TimePoint now)
{
    auto& sql = db.connection();
    const char* prefix = secret == Secret::pin ? "pin" : "password";
    sql.execute(fmt::format("UPDATE account SET {0}_failures = {0}_failures + 1, {0}_last_failure_at = ? WHERE id = ?",
                            prefix),
                iso_time(now), account_id);
    return sql.get<int>(fmt::format("SELECT {}_failures FROM account WHERE id = ?", prefix), account_id);
}

void give_back_secret_attempt(Database& db, std::int64_t account_id, Secret secret,
                              const std::string& previous_failure_at)
{
    db.connection().execute(fmt::format("UPDATE account SET {0}_failures = max({0}_failures - 1, 0), "
                                        "{0}_last_failure_at = nullif(?, '') WHERE id = ?",
                                        secret == Secret::pin ? "pin" : "password"),
                            previous_failure_at, account_id);
}

int count_pending_attempt(Database& db, std::int64_t account_id, Secret secret)
{
    auto& sql = db.connection();
    const char* prefix = secret == Secret::pin ? "pin" : "password";
    sql.execute(fmt::format("UPDATE account SET pending_{0}_failures = pending_{0}_failures + 1 WHERE id = ?", prefix),
                account_id);
    return sql.get<int>(fmt::format("SELECT pending_{}_failures FROM account WHERE id = ?", prefix), account_id);
}

void promote_pending_secret(Database& db, std::int64_t account_id, Secret secret, TimePoint now)
{
    const std::string at = iso_time(now);
    if (secret == Secret::pin) {
        db.connection().execute("UPDATE account SET pin_hash = pending_pin_hash, pin_set_at = ?, pin_failures = 0, "
                                "pin_last_failure_at = NULL, pending_pin_hash = NULL, pending_pin_failures = 0, "
                                "updated_at = ? WHERE id = ? AND pending_pin_hash IS NOT NULL",
                                at, at, account_id);
    } else {
        db.connection().execute("UPDATE account SET password_hash = pending_password_hash, password_set_at = ?, "
                                "must_change_password = 1, login_method = 'password', password_failures = 0, "
                                "password_last_failure_at = NULL, pending_password_hash = NULL, "
                                "pending_password_failures = 0, updated_at = ? "
                                "WHERE id = ? AND pending_password_hash IS NOT NULL",
                                at, at, account_id);
    }
    db.connection().execute("UPDATE account SET pending_expires_at = NULL WHERE id = ? AND pending_password_hash IS NULL "
                            "AND pending_pin_hash IS NULL",
                            account_id);
}

NameGuesses name_guesses(Database& db, std::string_view tag, Secret secret)
{
    NameGuesses guesses;
    db.connection().guard("load login name guesses", [&] {
        auto& query = db.connection().statement("SELECT failures, last_failure_at FROM login_guess WHERE tag = ? AND secret = ?");
        query.bind(1, std::string(tag));
        query.bind(2, secret == Secret::pin ? "pin" : "password");
        if (query.executeStep()) {
            guesses.failures = query.getColumn(0).getInt();
            guesses.last_failure_at = query.getColumn(1).getString();
        }
        query.reset();
    });
    return guesses;
}

int count_name_attempt(Database& db, std::string_view tag, Secret secret, TimePoint now)
{
    auto& sql = db.connection();
    const char* word = secret == Secret::pin ? "pin" : "password";
    sql.execute("INSERT INTO login_guess (tag, secret, failures, last_failure_at) VALUES (?1, ?2, 1, ?3) "
                "ON CONFLICT (tag, secret) DO UPDATE SET failures = failures + 1, last_failure_at = ?3",
                std::string(tag), word, iso_time(now));
    return sql.get<int>("SELECT failures FROM login_guess WHERE tag = ? AND secret = ?", std::string(tag), word);
}

std::string current_secret_hash(Database& db, std::int64_t account_id, Secret secret)
{
    return db.connection().get<std::string>(
        fmt::format("SELECT coalesce({}, '') FROM account WHERE id = ?", hash_column(secret)), account_id);
}

bool store_chosen_secret(Database& db, std::int64_t account_id, Secret secret, const std::string& verified_hash,
                         const std::string& hash, TimePoint now)
{
    const std::string at = iso_time(now);
    auto& sql = db.connection();
    int changed = 0;
    if (secret == Secret::pin) {
        changed = sql.execute("UPDATE account SET pin_hash = ?, pin_set_at = ?, pin_failures = 0, pin_last_failure_at = NULL, "
                    "updated_at = ? WHERE id = ? AND pin_hash = ?",
                    hash, at, at, account_id, verified_hash);
    } else {
        changed = sql.execute("UPDATE account SET password_hash = ?, password_set_at = ?, must_change_password = 0, "
                    "password_failures = 0, password_last_failure_at = NULL, "
                    "first_login_at = coalesce(first_login_at, ?), updated_at = ? WHERE id = ? AND password_hash = ?",
                    hash, at, at, at, account_id, verified_hash);
    }
    return changed == 1;
}

void record_pending_secrets(Database& db, std::int64_t account_id, const std::string& password_hash,
                            const std::string& pin_hash, TimePoint expires)
{
    db.connection().execute("UPDATE account SET pending_password_hash = nullif(?, ''), pending_pin_hash = nullif(?, ''), "
                            "pending_password_failures = 0, pending_pin_failures = 0, pending_expires_at = ? "
                            "WHERE id = ?",
                            password_hash, pin_hash, iso_time(expires), account_id);
}

int count_recover_request(Database& db, std::string_view requester, TimePoint since, TimePoint now)
{
    auto& sql = db.connection();
    sql.execute("DELETE FROM recover_request WHERE at < ?", iso_time(now - std::chrono::hours(24)));
    const int before = sql.get<int>("SELECT count(*) FROM recover_request WHERE requester = ? AND at > ?",
                                    std::string(requester), iso_time(since));
    sql.execute("INSERT INTO recover_request (requester, at) VALUES (?, ?)", std::string(requester), iso_time(now));
    return before;
}

void record_secret_success(Database& db, std::int64_t account_id, Secret secret, TimePoint now)
{
    if (secret == Secret::pin) {
        db.connection().execute("UPDATE account SET pin_failures = 0, pin_last_failure_at = NULL WHERE id = ?",
                                account_id);
    } else {
        // A right password is a password login (schema 3 records its method and the last one too).
        db.connection().execute("UPDATE account SET password_failures = 0, password_last_failure_at = NULL, "
                   "first_login_method = CASE WHEN first_login_at IS NULL THEN 'password' ELSE first_login_method END, "
                   "first_login_at = coalesce(first_login_at, ?1), last_login_at = ?1, last_login_method = 'password' "
                   "WHERE id = ?2",
                   iso_time(now), account_id);
    }
}

void replace_secret_hash(Database& db, std::int64_t account_id, Secret secret, const std::string& hash)
{
    db.connection().execute(fmt::format("UPDATE account SET {} = ? WHERE id = ?", hash_column(secret)), hash, account_id);
}

void revoke_secrets(Database& db, std::int64_t account_id, bool pin, TimePoint now)
{
    db.connection().execute("UPDATE account SET password_hash = NULL, must_change_password = 1, password_failures = 0, "
               "password_last_failure_at = NULL, pin_failures = 0, pin_last_failure_at = NULL, "
               "pending_password_hash = NULL, pending_pin_hash = NULL, pending_expires_at = NULL, "
               "pending_password_failures = 0, pending_pin_failures = 0, updated_at = ? WHERE id = ?",
               iso_time(now), account_id);
    if (pin) {
        db.connection().execute("UPDATE account SET pin_hash = NULL WHERE id = ?", account_id);
    }
}

std::vector<RecoveryCandidate> find_recovery_candidates(Database& db, std::string_view user_code,
                                                        std::string_view address, TimePoint cutoff)
{
    const std::string sql = fmt::format(R"sql(
SELECT a.id, a.kind, coalesce(pu.birth_date, ''),
       EXISTS (SELECT 1 FROM letter l WHERE l.account_id = a.id AND l.purpose = 'recovery' AND l.queued_at > ?3)
FROM account a JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
WHERE a.status = 'active' AND {0} <> '' AND (a.user_code = ?1 OR (?2 <> '' AND lower({0}) = ?2)))sql",
                                        k_account_email);
    std::vector<RecoveryCandidate> candidates;
    db.connection().guard("find accounts to recover", [&] {
        auto& query = db.connection().statement(sql);
        query.bind(1, std::string(user_code));
        query.bind(2, std::string(address));
        query.bind(3, iso_time(cutoff));
        while (query.executeStep()) {
            candidates.push_back({query.getColumn(0).getInt64(),
                                  word_column<AccountKind>(query.getColumn(1), "account kind"),
                                  query.getColumn(2).getString(), query.getColumn(3).getInt() != 0});
        }
    });
    return candidates;
}

} // namespace credenza::store
