#include <credenza/store/reports.hpp>
#include "connection.hpp"

#include <functional>

#include <fmt/format.h>

#include <credenza/error.hpp>

#include "report_scope.hpp"

namespace credenza::store {

namespace {

// A kind or state word as its enum; another word means the database was edited by hand.
template <typename Enum>
Enum word_of(const SQLite::Column& column)
{
    const std::string word = column.getString();
    if (const auto value = parse<Enum>(word)) {
        return *value;
    }
    throw Error(ErrorCode::io, fmt::format("unknown word '{}' in the database", word));
}

std::optional<int> maybe_int(const SQLite::Column& column)
{
    return column.isNull() ? std::nullopt : std::optional<int>(column.getInt());
}

// Runs `sql` after the scope's CTEs, bound to the scope, and calls `read` per row.
void each_row(Database& db, const std::string& sql, const ReportScope& scope,
              const std::function<void(SQLite::Statement&)>& read,
              const std::function<void(SQLite::Statement&)>& bind_more = {})
{
    SQLite::Statement query(db.connection().raw(), detail::k_cover_cte + sql);
    detail::bind_scope(query, scope);
    if (bind_more) {
        bind_more(query);
    }
    while (query.executeStep()) {
        read(query);
    }
}

// Without a scope every row counts, also accounts no pupil links to any more.
constexpr const char* k_everything = R"sql(
WITH sel_pupil AS (SELECT person_id, status FROM pupil),
sel_account AS (SELECT id, person_id, kind, status FROM account)
)sql";

// With one, the pupils of the selected classes and years, active or left, and what covers them.
const std::string k_scoped = std::string(R"sql(
WITH sel_pupil AS (SELECT pu.person_id, pu.status FROM pupil pu WHERE )sql") +
                             detail::k_pupil_condition + R"sql(),
sel_account AS (
    SELECT a.id, a.person_id, a.kind, a.status FROM account a
    WHERE (a.kind = 'student' AND a.person_id IN (SELECT person_id FROM sel_pupil))
       OR (a.kind = 'family' AND a.person_id IN
           (SELECT g.guardian_id FROM guardianship g JOIN sel_pupil s ON s.person_id = g.pupil_id)))
)sql";

constexpr const char* k_counts = R"sql(
SELECT
  (SELECT count(*) FROM sel_pupil WHERE status = 'active'),
  (SELECT count(*) FROM sel_pupil WHERE status = 'left'),
  (SELECT count(*) FROM sel_account WHERE kind = 'family'),
  (SELECT count(*) FROM sel_account WHERE kind = 'family' AND status = 'active'),
  (SELECT count(*) FROM sel_account WHERE kind = 'family' AND status = 'disabled'),
  (SELECT count(*) FROM sel_account WHERE kind = 'student' AND status = 'active'),
  (SELECT count(*) FROM sel_account WHERE kind = 'student' AND status = 'disabled'),
  (SELECT count(*) FROM sel_account a JOIN person p ON p.id = a.person_id
     WHERE a.kind = 'family' AND a.status = 'active' AND p.email = ''),
  (SELECT count(*) FROM sel_account a JOIN pupil pu ON pu.person_id = a.person_id
     WHERE a.kind = 'student' AND a.status = 'active' AND pu.institutional_email = ''),
  (SELECT count(*) FROM letter l JOIN sel_account a ON a.id = l.account_id WHERE l.state IN ('queued', 'sending')),
  (SELECT count(*) FROM letter l JOIN sel_account a ON a.id = l.account_id WHERE l.state = 'sent'),
  (SELECT count(*) FROM letter l JOIN sel_account a ON a.id = l.account_id WHERE l.state = 'deferred'),
  (SELECT count(*) FROM letter l JOIN sel_account a ON a.id = l.account_id WHERE l.state = 'failed'),
  (SELECT count(*) FROM letter l JOIN sel_account a ON a.id = l.account_id WHERE l.state = 'cancelled'))sql";

// Columns 0-5 of every problem query: the account and its person.
const std::string k_account_columns = std::string(R"sql(
SELECT a.user_code, a.kind, p.tax_code, p.surname, p.name, )sql") + detail::k_account_classes + ",\n";

constexpr const char* k_active_covered = " a.status = 'active' AND a.id IN (SELECT account_id FROM cover) ";

ReportedAccount read_account(SQLite::Statement& query)
{
    ReportedAccount account;
    account.user_code = query.getColumn(0).getString();
    account.kind = word_of<AccountKind>(query.getColumn(1));
    account.tax_code = query.getColumn(2).getString();
    account.surname = query.getColumn(3).getString();
    account.name = query.getColumn(4).getString();
    account.classes = detail::split_classes(query.getColumn(5).getString());
    return account;
}

} // namespace

SummaryCounts count_summary(Database& db, const ReportScope& scope)
{
    SummaryCounts s;
    db.connection().guard("summary report", [&] {
        SQLite::Statement query(db.connection().raw(), (scope.empty() ? std::string(k_everything) : k_scoped) + k_counts);
        if (!scope.empty()) {
            detail::bind_scope(query, scope);
        }
        query.executeStep();
        int* fields[] = {&s.pupils_active,          &s.pupils_left,            &s.guardians,
                         &s.family_active,          &s.family_disabled,        &s.student_active,
                         &s.student_disabled,       &s.family_without_address, &s.student_without_address,
                         &s.letters_queued,         &s.letters_sent,           &s.letters_deferred,
                         &s.letters_failed,         &s.letters_cancelled};
        for (int i = 0; i < static_cast<int>(std::size(fields)); ++i) {
            *fields[i] = query.getColumn(i).getInt();
        }
    });
    return s;
}

std::vector<ClassPupils> count_pupils_by_class(Database& db, const ReportScope& scope)
{
    std::vector<ClassPupils> rows;
    db.connection().guard("classes report", [&] {
        each_row(db, "SELECT class, count(*) FROM sel GROUP BY class ORDER BY class", scope,
                 [&](SQLite::Statement& query) {
                     rows.push_back({query.getColumn(0).getString(), query.getColumn(1).getInt()});
                 });
    });
    return rows;
}

std::vector<CoveredAccount> covered_accounts(Database& db, const ReportScope& scope)
{
    std::vector<CoveredAccount> rows;
    db.connection().guard("classes report", [&] {
        each_row(db, R"sql(
SELECT c.class, a.kind,
       CASE a.kind WHEN 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END = '',
       coalesce(l.sent, 0), coalesce(l.pending, 0), coalesce(l.deferred, 0), coalesce(l.failed, 0)
FROM cover c
JOIN account a ON a.id = c.account_id AND a.status = 'active'
JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
LEFT JOIN (SELECT account_id,
                  sum(state = 'sent') AS sent, sum(state IN ('queued', 'sending')) AS pending,
                  sum(state = 'deferred') AS deferred, sum(state = 'failed') AS failed
           FROM letter GROUP BY account_id) l ON l.account_id = a.id)sql",
                 scope, [&](SQLite::Statement& query) {
                     CoveredAccount row;
                     row.class_name = query.getColumn(0).getString();
                     row.kind = word_of<AccountKind>(query.getColumn(1));
                     row.without_address = query.getColumn(2).getInt() != 0;
                     row.letters_sent = query.getColumn(3).getInt();
                     row.letters_pending = query.getColumn(4).getInt();
                     row.letters_deferred = query.getColumn(5).getInt();
                     row.letters_failed = query.getColumn(6).getInt();
                     rows.push_back(std::move(row));
                 });
    });
    return rows;
}

std::vector<LetterDelivery> letter_deliveries(Database& db, const ReportScope& scope)
{
    std::vector<LetterDelivery> rows;
    db.connection().guard("deliveries report", [&] {
        each_row(
            db, R"sql(
SELECT l.id, a.user_code, a.kind, p.surname, p.name, )sql" + std::string(detail::k_account_classes) + R"sql(,
       l.purpose,
       CASE WHEN l.recipient <> '' THEN l.recipient
            WHEN a.kind = 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END,
       l.state, l.attempts, l.last_code, l.last_reply, coalesce(l.sent_at, l.updated_at),
       CASE WHEN l.state IN ('deferred', 'queued') THEN coalesce(l.next_attempt_at, '') ELSE '' END
FROM letter l
JOIN account a ON a.id = l.account_id
JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
WHERE ?3 = 0 OR l.account_id IN (SELECT account_id FROM cover)
ORDER BY l.id)sql",
            scope,
            [&](SQLite::Statement& query) {
                LetterDelivery row;
                row.letter_id = query.getColumn(0).getInt64();
                row.user_code = query.getColumn(1).getString();
                row.kind = word_of<AccountKind>(query.getColumn(2));
                row.surname = query.getColumn(3).getString();
                row.name = query.getColumn(4).getString();
                row.classes = detail::split_classes(query.getColumn(5).getString());
                row.purpose = word_of<LetterPurpose>(query.getColumn(6));
                row.address = query.getColumn(7).getString();
                row.state = word_of<LetterState>(query.getColumn(8));
                row.attempts = query.getColumn(9).getInt();
                row.last_code = maybe_int(query.getColumn(10));
                row.last_reply = query.getColumn(11).getString();
                row.time = query.getColumn(12).getString();
                row.next_attempt = query.getColumn(13).getString();
                rows.push_back(std::move(row));
            },
            [&](SQLite::Statement& query) { query.bind(3, scope.empty() ? 0 : 1); });
    });
    return rows;
}

std::vector<ReportedAccount> guardians_without_address(Database& db, const ReportScope& scope)
{
    std::vector<ReportedAccount> rows;
    db.connection().guard("problems report", [&] {
        each_row(db,
                 k_account_columns + "'' FROM account a JOIN person p ON p.id = a.person_id "
                                     "WHERE a.kind = 'family' AND p.email = '' AND" + k_active_covered,
                 scope, [&](SQLite::Statement& query) { rows.push_back(read_account(query)); });
    });
    return rows;
}

std::vector<FailedLetter> last_failed_letters(Database& db, const ReportScope& scope)
{
    std::vector<FailedLetter> rows;
    db.connection().guard("problems report", [&] {
        each_row(db, k_account_columns + R"sql(l.recipient, l.last_code, l.last_reply, l.attempts
FROM letter l JOIN account a ON a.id = l.account_id JOIN person p ON p.id = a.person_id
WHERE l.state = 'failed'
  AND l.id = (SELECT max(f.id) FROM letter f WHERE f.account_id = a.id AND f.state = 'failed')
  AND NOT EXISTS (SELECT 1 FROM letter s WHERE s.account_id = a.id AND s.state = 'sent' AND s.id > l.id)
  AND)sql" + k_active_covered,
                 scope, [&](SQLite::Statement& query) {
                     rows.push_back({read_account(query), query.getColumn(6).getString(),
                                     maybe_int(query.getColumn(7)), query.getColumn(8).getString(),
                                     query.getColumn(9).getInt()});
                 });
    });
    return rows;
}

std::vector<WaitingLetter> waiting_letters(Database& db, const ReportScope& scope)
{
    std::vector<WaitingLetter> rows;
    db.connection().guard("problems report", [&] {
        each_row(db, k_account_columns + R"sql(CASE WHEN l.recipient <> '' THEN l.recipient ELSE p.email END,
       l.last_code, l.last_reply, l.attempts, coalesce(l.next_attempt_at, ''), l.queued_at
FROM letter l JOIN account a ON a.id = l.account_id JOIN person p ON p.id = a.person_id
WHERE l.state IN ('queued', 'deferred') AND l.last_reply <> ''
  AND)sql" + k_active_covered,
                 scope, [&](SQLite::Statement& query) {
                     rows.push_back({{read_account(query), query.getColumn(6).getString(),
                                      maybe_int(query.getColumn(7)), query.getColumn(8).getString(),
                                      query.getColumn(9).getInt()},
                                     query.getColumn(10).getString(),
                                     query.getColumn(11).getString()});
                 });
    });
    return rows;
}

std::vector<SharedAddress> shared_addresses(Database& db, const ReportScope& scope)
{
    std::vector<SharedAddress> rows;
    db.connection().guard("problems report", [&] {
        each_row(db, k_account_columns + R"sql(p.email,
       (SELECT group_concat(o.name || ' ' || o.surname || ' (' || b.user_code || ')', ', ')
        FROM account b JOIN person o ON o.id = b.person_id
        WHERE b.kind = 'family' AND b.status = 'active' AND b.id <> a.id AND lower(o.email) = lower(p.email))
FROM account a JOIN person p ON p.id = a.person_id
WHERE a.kind = 'family' AND p.email <> ''
  AND EXISTS (SELECT 1 FROM account b JOIN person o ON o.id = b.person_id
              WHERE b.kind = 'family' AND b.status = 'active' AND b.id <> a.id AND lower(o.email) = lower(p.email))
  AND)sql" + k_active_covered,
                 scope, [&](SQLite::Statement& query) {
                     rows.push_back(
                         {read_account(query), query.getColumn(6).getString(), query.getColumn(7).getString()});
                 });
    });
    return rows;
}

std::vector<FailureCounts> accounts_over_failure_limits(Database& db, const ReportScope& scope, int pin_max_failures,
                                                        int password_max_failures)
{
    std::vector<FailureCounts> rows;
    db.connection().guard("problems report", [&] {
        each_row(
            db, k_account_columns + R"sql(a.pin_failures, a.password_failures
FROM account a JOIN person p ON p.id = a.person_id
WHERE (a.pin_failures >= ?3 OR a.password_failures >= ?4) AND)sql" + k_active_covered,
            scope,
            [&](SQLite::Statement& query) {
                rows.push_back({read_account(query), query.getColumn(6).getInt(), query.getColumn(7).getInt()});
            },
            [&](SQLite::Statement& query) {
                query.bind(3, pin_max_failures);
                query.bind(4, password_max_failures);
            });
    });
    return rows;
}

std::vector<ReportedAccount> pupils_without_guardian(Database& db, const ReportScope& scope)
{
    std::vector<ReportedAccount> rows;
    db.connection().guard("problems report", [&] {
        each_row(db, R"sql(
SELECT coalesce(a.user_code, ''), 'student', p.tax_code, p.surname, p.name, sel.class
FROM sel JOIN person p ON p.id = sel.person_id
LEFT JOIN account a ON a.person_id = sel.person_id AND a.kind = 'student'
WHERE NOT EXISTS (SELECT 1 FROM guardianship g WHERE g.pupil_id = sel.person_id))sql",
                 scope, [&](SQLite::Statement& query) { rows.push_back(read_account(query)); });
    });
    return rows;
}

} // namespace credenza::store
