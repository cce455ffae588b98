#include <credenza/store/enrolment.hpp>
#include "connection.hpp"

#include "enum_column.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace credenza::store {

namespace {

using detail::enum_column;

Person read_person(SQLite::Statement& query)
{
    return {query.getColumn(0).getInt64(), query.getColumn(1).getString(), query.getColumn(2).getString(),
            query.getColumn(3).getString(), query.getColumn(4).getString()};
}

Pupil read_pupil(SQLite::Statement& query)
{
    return {query.getColumn(0).getInt64(),
            query.getColumn(1).getString(),
            query.getColumn(2).getString(),
            query.getColumn(3).getString(),
            query.getColumn(4).getString(),
            enum_column<PupilStatus>(query.getColumn(5))};
}

EnrolledAccount read_enrolled_account(SQLite::Statement& query)
{
    return {enum_column<AccountStatus>(query.getColumn(0)), enum_column<DisabledBy>(query.getColumn(1))};
}

// The first row of a query read by `read`, or nullopt; the statement is reset so that it
// holds no read snapshot.
template <typename Row, typename Bind, typename Read>
std::optional<Row> first_row(Database& db, std::string_view sql, Bind&& bind, Read&& read)
{
    return db.connection().guard(sql, [&]() -> std::optional<Row> {
        auto& query = db.connection().statement(sql);
        bind(query);
        std::optional<Row> row;
        if (query.executeStep()) {
            row = read(query);
        }
        query.reset();
        return row;
    });
}

// The text of a time, made once for a run of rows written at the same time (an import gives every
// row its start time: strftime per row was 4% of it).
const std::string& time_text(TimePoint time)
{
    thread_local std::optional<TimePoint> last;
    thread_local std::string text;
    if (last != time) {
        text = iso_time(time);
        last = time;
    }
    return text;
}

// The inserts an import runs once per row bind their text without a copy (SQLITE_STATIC): each
// value outlives the step, and the next use of the cached statement resets it and binds every
// parameter again (insert_row binds them all), so SQLite never reads a stale pointer. A copy was a
// malloc and a memcpy per value, about 6% of an import.
void bind_value(SQLite::Statement& query, int index, const std::string& value)
{
    query.bindNoCopy(index, value);
}
void bind_value(SQLite::Statement& query, int index, std::string_view word) // an enum's word: short, copied
{
    query.bind(index, std::string(word));
}
void bind_value(SQLite::Statement& query, int index, std::int64_t value)
{
    query.bind(index, value);
}

template <typename... Args>
int insert_row(Database& db, std::string_view sql, const Args&... args)
{
    auto& connection = db.connection();
    return connection.guard(sql, [&] {
        auto& query = connection.statement(sql, static_cast<int>(sizeof...(Args)));
        int index = 1;
        (bind_value(query, index++, args), ...);
        return query.exec();
    });
}

} // namespace

std::optional<Person> find_person_by_tax_code(Database& db, std::string_view tax_code)
{
    return first_row<Person>(
        db, "SELECT id, tax_code, surname, name, email FROM person WHERE tax_code = ?",
        [&](SQLite::Statement& query) { query.bind(1, std::string(tax_code)); }, read_person);
}

std::unordered_map<std::string, std::int64_t> person_ids_by_tax_code(Database& db)
{
    std::unordered_map<std::string, std::int64_t> ids;
    db.connection().guard("select persons' ids", [&] {
        auto& query = db.connection().statement("SELECT tax_code, id FROM person");
        while (query.executeStep()) {
            ids.emplace(query.getColumn(0).getString(), query.getColumn(1).getInt64());
        }
    });
    return ids;
}

std::optional<Person> find_person(Database& db, std::int64_t person_id)
{
    return first_row<Person>(
        db, "SELECT id, tax_code, surname, name, email FROM person WHERE id = ?",
        [&](SQLite::Statement& query) { query.bind(1, person_id); }, read_person);
}

std::int64_t insert_person(Database& db, const std::string& tax_code, const std::string& surname,
                           const std::string& name, const std::string& email, TimePoint now)
{
    insert_row(db, "INSERT INTO person (tax_code, surname, name, email, created_at, updated_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
               tax_code, surname, name, email, time_text(now));
    return db.connection().last_insert_id();
}

void rename_person(Database& db, std::int64_t person_id, std::string_view surname, std::string_view name,
                   TimePoint now)
{
    db.connection().execute("UPDATE person SET surname = ?, name = ?, updated_at = ? WHERE id = ?", surname, name, time_text(now),
               person_id);
}

void set_person_email(Database& db, std::int64_t person_id, std::string_view email, TimePoint now)
{
    db.connection().execute("UPDATE person SET email = ?, updated_at = ? WHERE id = ?", email, time_text(now), person_id);
}

std::optional<Pupil> find_pupil(Database& db, std::int64_t person_id)
{
    return first_row<Pupil>(
        db,
        "SELECT person_id, birth_date, class, school_year, institutional_email, status FROM pupil "
        "WHERE person_id = ?",
        [&](SQLite::Statement& query) { query.bind(1, person_id); }, read_pupil);
}

void insert_pupil(Database& db, const Pupil& pupil, TimePoint now)
{
    insert_row(db, "INSERT INTO pupil (person_id, birth_date, class, school_year, institutional_email, status, "
                   "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               pupil.person_id, pupil.birth_date, pupil.class_name, pupil.school_year, pupil.institutional_email,
               to_string(pupil.status), time_text(now));
}

void update_pupil(Database& db, const Pupil& pupil, TimePoint now)
{
    db.connection().execute("UPDATE pupil SET birth_date = ?, class = ?, school_year = ?, institutional_email = ?, "
               "status = ?, updated_at = ? WHERE person_id = ?",
               pupil.birth_date, pupil.class_name, pupil.school_year, pupil.institutional_email,
               to_string(pupil.status), time_text(now), pupil.person_id);
}

std::vector<ActivePupil> active_pupils(Database& db)
{
    std::vector<ActivePupil> pupils;
    db.connection().guard("select active pupils", [&] {
        auto& query = db.connection().statement(
            "SELECT pupil.person_id, person.tax_code, person.surname, person.name, pupil.class, "
            "coalesce(account.user_code, '') FROM pupil JOIN person ON person.id = pupil.person_id "
            "LEFT JOIN account ON account.person_id = pupil.person_id AND account.kind = 'student' "
            "WHERE pupil.status = 'active' ORDER BY pupil.class, person.surname, person.name, person.tax_code");
        while (query.executeStep()) {
            pupils.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                              query.getColumn(2).getString(), query.getColumn(3).getString(),
                              query.getColumn(4).getString(), query.getColumn(5).getString()});
        }
    });
    return pupils;
}

std::vector<ActivePupil> active_pupil_codes(Database& db)
{
    std::vector<ActivePupil> pupils;
    db.connection().guard("select active pupils' codes", [&] {
        auto& query = db.connection().statement(
            "SELECT pupil.person_id, person.tax_code, pupil.class FROM pupil JOIN person ON person.id = pupil.person_id "
            "WHERE pupil.status = 'active'");
        while (query.executeStep()) {
            pupils.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString(), {}, {},
                              query.getColumn(2).getString(), {}});
        }
    });
    return pupils;
}

int count_active_pupils(Database& db)
{
    return db.connection().get<int>("SELECT count(*) FROM pupil WHERE status = 'active'");
}

void mark_pupil_left(Database& db, std::int64_t person_id, TimePoint now)
{
    db.connection().execute("UPDATE pupil SET status = 'left', updated_at = ? WHERE person_id = ?", time_text(now), person_id);
}

std::optional<std::string> latest_school_year(Database& db)
{
    return db.connection().maybe_get<std::string>("SELECT max(school_year) FROM pupil");
}

std::vector<Guardianship> guardians_of_pupil(Database& db, std::int64_t pupil_id)
{
    std::vector<Guardianship> guardians;
    db.connection().guard("select guardians", [&] {
        auto& query =
            db.connection().statement("SELECT guardian_id, position FROM guardianship WHERE pupil_id = ? ORDER BY guardian_id");
        query.bind(1, pupil_id);
        while (query.executeStep()) {
            guardians.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getInt()});
        }
    });
    return guardians;
}

void replace_guardians(Database& db, std::int64_t pupil_id, const std::vector<Guardianship>& guardians)
{
    db.connection().execute("DELETE FROM guardianship WHERE pupil_id = ?", pupil_id);
    insert_guardians(db, pupil_id, guardians);
}

void insert_guardians(Database& db, std::int64_t pupil_id, const std::vector<Guardianship>& guardians)
{
    for (const auto& guardian : guardians) {
        insert_row(db, "INSERT INTO guardianship (guardian_id, pupil_id, position) VALUES (?, ?, ?)",
                   guardian.guardian_id, pupil_id, static_cast<std::int64_t>(guardian.position));
    }
}

std::optional<EnrolledAccount> find_enrolled_account(Database& db, std::int64_t person_id, AccountKind kind)
{
    return first_row<EnrolledAccount>(
        db, "SELECT status, disabled_by FROM account WHERE person_id = ? AND kind = ?",
        [&](SQLite::Statement& query) {
            query.bind(1, person_id);
            query.bind(2, std::string(to_string(kind)));
        },
        read_enrolled_account);
}

bool create_enrolled_account(Database& db, std::int64_t person_id, AccountKind kind, const std::string& user_code,
                             TimePoint now)
{
    // Only a taken user code is let through as "nothing inserted"; any other conflict is an error.
    return insert_row(db, "INSERT INTO account (person_id, kind, user_code, created_at, updated_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (user_code) DO NOTHING",
                      person_id, to_string(kind), user_code, time_text(now)) == 1;
}

std::optional<std::string> family_user_code_with_credentials(Database& db, std::int64_t person_id)
{
    return user_code_with_credentials(db, person_id, AccountKind::family);
}

std::optional<std::string> user_code_with_credentials(Database& db, std::int64_t person_id, AccountKind kind)
{
    return db.connection().maybe_get<std::string>(
        "SELECT user_code FROM account WHERE person_id = ? AND kind = ? AND "
        "(password_hash IS NOT NULL OR EXISTS (SELECT 1 FROM letter WHERE letter.account_id = account.id))",
        person_id, to_string(kind));
}

std::optional<std::string> account_user_code(Database& db, std::int64_t person_id, AccountKind kind)
{
    return db.connection().maybe_get<std::string>("SELECT user_code FROM account WHERE person_id = ? AND kind = ?",
                                                  person_id, to_string(kind));
}

void enable_account_disabled_by_import(Database& db, std::int64_t person_id, AccountKind kind, TimePoint now)
{
    db.connection().execute("UPDATE account SET status = 'active', disabled_by = '', updated_at = ? "
               "WHERE person_id = ? AND kind = ?",
               time_text(now), person_id, to_string(kind));
}

int disable_student_account_of_left_pupil(Database& db, std::int64_t person_id, TimePoint now)
{
    return db.connection().execute("UPDATE account SET status = 'disabled', disabled_by = 'import', updated_at = ? "
                      "WHERE person_id = ? AND kind = 'student' AND status = 'active'",
                      time_text(now), person_id);
}

bool any_active_family_account(Database& db)
{
    return db.connection().get<int>(
               "SELECT EXISTS (SELECT 1 FROM account WHERE kind = 'family' AND status = 'active')") != 0;
}

std::vector<std::string> disable_family_accounts_without_active_pupil(Database& db, TimePoint now)
{
    std::vector<std::string> user_codes;
    db.connection().guard("disable families without an active pupil", [&] {
        auto& query = db.connection().statement(
            "UPDATE account SET status = 'disabled', disabled_by = 'import', updated_at = ? "
            "WHERE kind = 'family' AND status = 'active' AND NOT EXISTS (SELECT 1 FROM guardianship g JOIN pupil p "
            "ON p.person_id = g.pupil_id WHERE g.guardian_id = account.person_id AND p.status = 'active') "
            "RETURNING user_code",
            1);
        query.bind(1, time_text(now));
        while (query.executeStep()) {
            user_codes.push_back(query.getColumn(0).getString());
        }
        query.reset();
    });
    std::sort(user_codes.begin(), user_codes.end()); // RETURNING's order is unspecified: the audit's is not
    return user_codes;
}

std::vector<FamilyWithoutPupil> families_without_active_pupil(Database& db)
{
    std::vector<FamilyWithoutPupil> families;
    db.connection().guard("select families without an active pupil", [&] {
        auto& query = db.connection().statement(
            "SELECT account.user_code, person.tax_code, person.surname, person.name, coalesce((SELECT max(p.class) "
            "FROM guardianship g JOIN pupil p ON p.person_id = g.pupil_id WHERE g.guardian_id = account.person_id), '') "
            "FROM account JOIN person "
            "ON person.id = account.person_id WHERE account.kind = 'family' AND account.status = 'active' AND "
            "NOT EXISTS (SELECT 1 FROM guardianship g JOIN pupil p ON p.person_id = g.pupil_id "
            "WHERE g.guardian_id = account.person_id AND p.status = 'active') "
            "ORDER BY person.surname, person.name, person.tax_code");
        while (query.executeStep()) {
            families.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                                query.getColumn(2).getString(), query.getColumn(3).getString(),
                                query.getColumn(4).getString()});
        }
    });
    return families;
}

} // namespace credenza::store
