#include <credenza/store/reports.hpp>
#include "connection.hpp"

#include <functional>
#include <map>

#include <fmt/format.h>

#include <credenza/error.hpp>

#include "problem_counts.hpp"
#include "report_scope.hpp"
#include "i18n/gettext.hpp"

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
    throw Error(ErrorCode::io, credenza::i18n::format(_fmt("unknown word '{}' in the database"), word));
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
constexpr const char* k_everything = R"sql(,
sel_pupil AS (SELECT person_id, status FROM pupil),
sel_account AS (SELECT id, person_id, kind, status FROM account)
)sql";

// With one, the pupils of the selected classes and years, active or left, and what covers them.
const std::string k_scoped = std::string(R"sql(,
sel_pupil AS (SELECT pu.person_id, pu.status FROM pupil pu WHERE )sql") +
                             detail::k_pupil_condition + R"sql(),
sel_account AS (
    SELECT a.id, a.person_id, a.kind, a.status FROM account a
    WHERE (a.kind = 'student' AND a.person_id IN (SELECT person_id FROM sel_pupil))
       OR (a.kind = 'family' AND a.person_id IN
           (SELECT g.guardian_id FROM guardianship g JOIN sel_pupil s ON s.person_id = g.pupil_id)))
)sql";

// The accounts without an address, each kind a pass over the accounts (count_summary without the
// problems; with them, the pass that counts the problems counts these too).
const std::string k_without_address_counts = std::string(R"sql(
  (SELECT count(*) FROM account a JOIN person p ON p.id = a.person_id
     WHERE a.kind = 'family' AND a.status = 'active' AND p.email = '' AND )sql") + detail::k_account_covered + R"sql(),
  (SELECT count(*) FROM account a JOIN pupil pu ON pu.person_id = a.person_id
     WHERE a.kind = 'student' AND a.status = 'active' AND pu.institutional_email = '' AND )sql" +
                                                detail::k_account_covered + ")";

// One pass over each table; sum() of no rows is NULL, hence coalesce. Without a scope every letter
// counts, and each has an account (a foreign key): the letters are counted alone, where a search of
// each one's account took half the summary's reading on 100,000 accounts.
std::string counts_sql(const std::string& without_address, bool scoped)
{
    return R"sql(
SELECT coalesce(pc.active, 0), coalesce(pc.gone, 0), coalesce(ac.family, 0), coalesce(ac.family_active, 0),
       coalesce(ac.family_disabled, 0), coalesce(ac.student_active, 0), coalesce(ac.student_disabled, 0),)sql" +
           without_address + R"sql(,
       coalesce(lc.queued, 0), coalesce(lc.sent, 0), coalesce(lc.deferred, 0), coalesce(lc.failed, 0),
       coalesce(lc.cancelled, 0)
FROM (SELECT sum(status = 'active') AS active, sum(status = 'left') AS gone FROM sel_pupil) pc,
     (SELECT sum(kind = 'family') AS family, sum(kind = 'family' AND status = 'active') AS family_active,
             sum(kind = 'family' AND status = 'disabled') AS family_disabled,
             sum(kind = 'student' AND status = 'active') AS student_active,
             sum(kind = 'student' AND status = 'disabled') AS student_disabled FROM sel_account) ac,
     (SELECT sum(l.state IN ('queued', 'sending')) AS queued, sum(l.state = 'sent') AS sent,
             sum(l.state = 'deferred') AS deferred, sum(l.state = 'failed') AS failed,
             sum(l.state = 'cancelled') AS cancelled
      FROM letter l)sql" + std::string(scoped ? " JOIN sel_account a ON a.id = l.account_id" : "") + ") lc";
}

// Columns 0-5 of every problem query: the account and its person.
const std::string k_account_columns = std::string(R"sql(
SELECT a.user_code, a.kind, p.tax_code, p.surname, p.name, )sql") + detail::k_account_classes + ",\n";

const std::string k_active_covered = " a.status = 'active' AND " + detail::k_account_covered + " ";

// The address letters to an account go to: a student's institutional one, a family's own.
constexpr const char* k_address =
    "(CASE a.kind WHEN 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END)";
constexpr const char* k_account_person = R"sql(
FROM account a JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
)sql";

// The summary's counts: the accounts with no address are those of the problems report (active, covering
// an active pupil of the scope); the rest counts pupils active and left, as it always did.
std::string summary_sql(const ReportScope& scope, bool without_address = true)
{
    return detail::k_cover_cte + (scope.empty() ? std::string(k_everything) : k_scoped) +
           counts_sql(without_address ? k_without_address_counts : "\n  0, 0", !scope.empty());
}

// The one reading of summary_sql's columns.
SummaryCounts read_summary(Database& db, const ReportScope& scope, bool without_address)
{
    SummaryCounts s;
    db.connection().guard("summary report", [&] {
        SQLite::Statement query(db.connection().raw(), summary_sql(scope, without_address));
        detail::bind_scope(query, scope);
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

constexpr const char* k_pupils_by_class = "SELECT class, count(*) FROM sel GROUP BY class ORDER BY class";

constexpr const char* k_covered_accounts = R"sql(
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
           FROM letter GROUP BY account_id) l ON l.account_id = a.id)sql";

const std::string k_letter_deliveries = R"sql(
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
WHERE ?3 = 0 OR )sql" + detail::k_account_covered + "\nORDER BY l.id";

// The conditions the summary also counts in one pass over the accounts (k_account_problem_counts), each
// in one place; `before` and the limits are the parameters' names in the query that uses them.
std::string password_expired_if(const std::string& before)
{
    return "a.must_change_password = 1 AND a.password_hash IS NOT NULL AND a.login_method = 'password'\n"
           "  AND a.password_set_at < " + before;
}
std::string over_limits_if(const std::string& pin_max, const std::string& password_max)
{
    return "(a.pin_failures >= " + pin_max + " OR a.password_failures >= " + password_max + ")";
}
// Never sent: the letters read once into a set, where a search per account read a letter row each.
const std::string k_never_sent_if =
    std::string(k_address) + " <> ''\n  AND a.id NOT IN (SELECT l.account_id FROM letter l WHERE l.state <> 'cancelled')";
constexpr const char* k_shared_address_if = R"sql(a.kind = 'family' AND a.status = 'active' AND p.email <> ''
  AND lower(p.email) IN (SELECT lower(o.email) FROM account b JOIN person o ON o.id = b.person_id
                         WHERE b.kind = 'family' AND b.status = 'active' AND o.email <> ''
                         GROUP BY lower(o.email) HAVING count(*) > 1))sql";

// The problems, each one query. Columns 0-5 are k_account_columns.
const std::string k_without_address = k_account_columns + "''" + k_account_person + "WHERE " + k_address +
                                      " = '' AND" + k_active_covered;



const std::string k_last_failed = k_account_columns + R"sql(l.recipient, l.last_code, l.last_reply, l.attempts
FROM letter l JOIN account a ON a.id = l.account_id JOIN person p ON p.id = a.person_id
WHERE l.state = 'failed'
  AND l.id = (SELECT max(f.id) FROM letter f WHERE f.account_id = a.id AND f.state = 'failed')
  AND NOT EXISTS (SELECT 1 FROM letter s WHERE s.account_id = a.id AND s.state = 'sent' AND s.id > l.id)
  AND)sql" + k_active_covered;

// The last letter of an account that bounced, when no letter went (or waits to go) after it: the
// address, what the report said, and the pupils the letter was about.
const std::string k_last_bounced = k_account_columns + R"sql(l.recipient, coalesce(b.status, ''),
       coalesce(b.diagnostic, ''), l.updated_at,
       CASE a.kind WHEN 'student' THEN p.name || ' ' || p.surname
            ELSE coalesce((SELECT group_concat(pp.name || ' ' || pp.surname || ' (' || pc.class || ')', ', ')
                           FROM guardianship g JOIN person pp ON pp.id = g.pupil_id
                           JOIN pupil pc ON pc.person_id = g.pupil_id
                           WHERE g.guardian_id = a.person_id AND pc.status = 'active'), '') END
FROM letter l JOIN account a ON a.id = l.account_id JOIN person p ON p.id = a.person_id
LEFT JOIN bounce b ON b.id = (SELECT max(h.id) FROM bounce h WHERE h.letter_id = l.id AND h.severity = 'hard')
WHERE l.state = 'bounced'
  AND l.id = (SELECT max(o.id) FROM letter o WHERE o.account_id = a.id AND o.state <> 'cancelled')
  AND)sql" + k_active_covered;

// Columns 6-11 of a letter still waiting.
const std::string k_letter_columns = k_account_columns + "CASE WHEN l.recipient <> '' THEN l.recipient ELSE " +
                                     k_address + R"sql( END,
       l.last_code, l.last_reply, l.attempts, coalesce(l.next_attempt_at, ''), l.queued_at
FROM letter l JOIN account a ON a.id = l.account_id JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
)sql";

const std::string k_waiting = k_letter_columns + "WHERE l.state IN ('queued', 'deferred') AND l.last_reply <> '' AND" +
                              k_active_covered;

// ?3: queued before this time and never tried.
const std::string k_pending_since = k_letter_columns +
                                    "WHERE l.state IN ('queued', 'sending') AND l.last_reply = '' AND l.queued_at < ?3 "
                                    "AND" + k_active_covered;

// Column 7 is the address as it is compared, column 8 whether the account covers a selected pupil.
const std::string k_shared_address = k_account_columns + R"sql(p.email, lower(p.email), )sql" + detail::k_account_covered + R"sql(
FROM account a JOIN person p ON p.id = a.person_id
WHERE )sql" + std::string(k_shared_address_if);

// ?3: set before this time.
const std::string k_password_expired = k_account_columns + R"sql(a.password_set_at, coalesce(a.first_login_at, '')
FROM account a JOIN person p ON p.id = a.person_id
WHERE )sql" + password_expired_if("?3") + " AND" + k_active_covered;

const std::string k_never_sent = k_account_columns + k_address + k_account_person + "WHERE " + k_never_sent_if +
                                 "\n  AND" + k_active_covered;

const std::string k_disabled_enrolled = k_account_columns + R"sql(a.disabled_by
FROM account a JOIN person p ON p.id = a.person_id
WHERE a.status = 'disabled' AND )sql" + detail::k_account_covered;

const std::string k_over_failure_limits = k_account_columns + R"sql(a.pin_failures, a.password_failures
FROM account a JOIN person p ON p.id = a.person_id
WHERE )sql" + over_limits_if("?3", "?4") + " AND" + k_active_covered;

// Address changes the latest import held for --accept-changes: its "import held" audit rows (the user
// code and field only), those after the import before it.
const std::string k_address_held = k_account_columns + k_address + R"sql(
FROM account a JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
WHERE a.user_code IN (
    SELECT h.account FROM audit h
    WHERE h.action = 'import held'
      AND h.id > coalesce((SELECT max(i.id) FROM audit i WHERE i.action = 'import'
                           AND i.id < (SELECT max(j.id) FROM audit j WHERE j.action = 'import')), 0))
  AND)sql" + k_active_covered;

constexpr const char* k_no_guardian = R"sql(
SELECT coalesce(a.user_code, ''), 'student', p.tax_code, p.surname, p.name, sel.class
FROM sel JOIN person p ON p.id = sel.person_id
LEFT JOIN account a ON a.person_id = sel.person_id AND a.kind = 'student'
WHERE NOT EXISTS (SELECT 1 FROM guardianship g WHERE g.pupil_id = sel.person_id))sql";

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
    return read_summary(db, scope, true);
}

std::vector<ClassPupils> count_pupils_by_class(Database& db, const ReportScope& scope)
{
    std::vector<ClassPupils> rows;
    db.connection().guard("classes report", [&] {
        each_row(db, k_pupils_by_class, scope,
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
        each_row(db, k_covered_accounts,
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
    // Room for every letter at once: growing the vector moved each row about twice more.
    db.connection().guard("deliveries report", [&] {
        rows.reserve(static_cast<std::size_t>(db.connection().get<std::int64_t>("SELECT count(*) FROM letter")));
    });
    for_each_letter_delivery(db, scope, [&](LetterDelivery&& row) { rows.push_back(std::move(row)); });
    return rows;
}

void for_each_letter_delivery(Database& db, const ReportScope& scope,
                              const std::function<void(LetterDelivery&&)>& visit)
{
    db.connection().guard("deliveries report", [&] {
        // One row reused: its strings keep their room from one letter to the next.
        LetterDelivery row;
        each_row(
            db, k_letter_deliveries,
            scope,
            [&](SQLite::Statement& query) {
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
                visit(std::move(row));
            },
            [&](SQLite::Statement& query) { query.bind(3, scope.empty() ? 0 : 1); });
    });
}

std::vector<ReportedAccount> accounts_without_address(Database& db, const ReportScope& scope)
{
    std::vector<ReportedAccount> rows;
    db.connection().guard("problems report", [&] {
        each_row(db, k_without_address, scope,
                 [&](SQLite::Statement& query) { rows.push_back(read_account(query)); });
    });
    return rows;
}

std::vector<AddressedAccount> accounts_never_sent(Database& db, const ReportScope& scope)
{
    std::vector<AddressedAccount> rows;
    db.connection().guard("problems report", [&] {
        each_row(db, k_never_sent, scope, [&](SQLite::Statement& query) {
            rows.push_back({read_account(query), query.getColumn(6).getString()});
        });
    });
    return rows;
}

std::vector<FailedLetter> last_failed_letters(Database& db, const ReportScope& scope)
{
    std::vector<FailedLetter> rows;
    db.connection().guard("problems report", [&] {
        each_row(db, k_last_failed, scope, [&](SQLite::Statement& query) {
            rows.push_back({read_account(query), query.getColumn(6).getString(), maybe_int(query.getColumn(7)),
                            query.getColumn(8).getString(), query.getColumn(9).getInt()});
        });
    });
    return rows;
}

std::vector<BouncedLetter> last_bounced_letters(Database& db, const ReportScope& scope)
{
    std::vector<BouncedLetter> rows;
    db.connection().guard("problems report", [&] {
        each_row(db, k_last_bounced, scope, [&](SQLite::Statement& query) {
            rows.push_back({read_account(query), query.getColumn(6).getString(), query.getColumn(7).getString(),
                            query.getColumn(8).getString(), query.getColumn(9).getString(),
                            query.getColumn(10).getString()});
        });
    });
    return rows;
}

namespace {

WaitingLetter read_waiting(SQLite::Statement& query)
{
    return {{read_account(query), query.getColumn(6).getString(), maybe_int(query.getColumn(7)),
             query.getColumn(8).getString(), query.getColumn(9).getInt()},
            query.getColumn(10).getString(),
            query.getColumn(11).getString()};
}

} // namespace

std::vector<WaitingLetter> waiting_letters(Database& db, const ReportScope& scope)
{
    std::vector<WaitingLetter> rows;
    db.connection().guard("problems report", [&] {
        each_row(db, k_waiting, scope, [&](SQLite::Statement& query) { rows.push_back(read_waiting(query)); });
    });
    return rows;
}

std::vector<WaitingLetter> letters_pending_since(Database& db, const ReportScope& scope, TimePoint before)
{
    std::vector<WaitingLetter> rows;
    db.connection().guard("problems report", [&] {
        each_row(
            db, k_pending_since, scope, [&](SQLite::Statement& query) { rows.push_back(read_waiting(query)); },
            [&](SQLite::Statement& query) { query.bind(3, iso_time(before)); });
    });
    return rows;
}

std::vector<SharedAddress> shared_addresses(Database& db, const ReportScope& scope)
{
    // Every active family account of an address given more than once, then the other holders named in C++:
    // one grouping pass, where a self-join on lower(email) had no index and took quadratic time.
    struct Holder
    {
        ReportedAccount account;
        std::string address;
        bool covered = false;
    };
    std::map<std::string, std::vector<Holder>> by_address;
    db.connection().guard("problems report", [&] {
        each_row(db, k_shared_address, scope, [&](SQLite::Statement& query) {
            by_address[query.getColumn(7).getString()].push_back(
                {read_account(query), query.getColumn(6).getString(), query.getColumn(8).getInt() != 0});
        });
    });
    std::vector<SharedAddress> rows;
    for (const auto& [address, holders] : by_address) {
        for (const auto& holder : holders) {
            if (!holder.covered) {
                continue;
            }
            std::string others;
            for (const auto& other : holders) {
                if (&other != &holder) {
                    others += fmt::format("{}{} {} ({})", others.empty() ? "" : ", ", other.account.name,
                                          other.account.surname, other.account.user_code);
                }
            }
            rows.push_back({holder.account, holder.address, others});
        }
    }
    return rows;
}

std::vector<ExpiredPassword> initial_passwords_expired(Database& db, const ReportScope& scope, TimePoint set_before)
{
    std::vector<ExpiredPassword> rows;
    db.connection().guard("problems report", [&] {
        each_row(
            db, k_password_expired, scope,
            [&](SQLite::Statement& query) {
                rows.push_back({read_account(query), query.getColumn(6).getString(), query.getColumn(7).getString()});
            },
            [&](SQLite::Statement& query) { query.bind(3, iso_time(set_before)); });
    });
    return rows;
}

std::vector<DisabledAccount> disabled_with_pupils(Database& db, const ReportScope& scope)
{
    std::vector<DisabledAccount> rows;
    db.connection().guard("problems report", [&] {
        each_row(db, k_disabled_enrolled, scope, [&](SQLite::Statement& query) {
            rows.push_back({read_account(query), word_of<DisabledBy>(query.getColumn(6))});
        });
    });
    return rows;
}

std::vector<AddressedAccount> accounts_with_address_held(Database& db, const ReportScope& scope)
{
    std::vector<AddressedAccount> rows;
    db.connection().guard("problems report", [&] {
        each_row(db, k_address_held, scope, [&](SQLite::Statement& query) {
            rows.push_back({read_account(query), query.getColumn(6).getString()});
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
            db, k_over_failure_limits,
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
        each_row(db, k_no_guardian,
                 scope, [&](SQLite::Statement& query) { rows.push_back(read_account(query)); });
    });
    return rows;
}

std::vector<ReportQuery> report_queries()
{
    const std::string cte = detail::k_cover_cte;
    std::vector<ReportQuery> queries = {
        {"summary", summary_sql({})},
        {"summary of a scope", summary_sql({{"1A"}, ""})},
        {"summary beside the problem counts", summary_sql({}, false)},
        {"pupils by class", cte + k_pupils_by_class},
        {"covered accounts", cte + k_covered_accounts},
        {"letter deliveries", cte + k_letter_deliveries},
        {"problem: no address", cte + k_without_address},
        {"problem: never sent", cte + k_never_sent},
        {"problem: delivery failed", cte + k_last_failed},
        {"problem: bounced", cte + k_last_bounced},
        {"problem: waiting", cte + k_waiting},
        {"problem: pending", cte + k_pending_since},
        {"problem: shared address", cte + k_shared_address},
        {"problem: address change held", cte + k_address_held},
        {"problem: password expired", cte + k_password_expired},
        {"problem: disabled, pupil enrolled", cte + k_disabled_enrolled},
        {"problem: locked", cte + k_over_failure_limits},
        {"problem: no guardian", cte + k_no_guardian},
    };
    // The summary's counts of each problem (problem_counts.hpp), guarded as the rest.
    for (auto& query : problem_count_queries()) {
        queries.push_back(std::move(query));
    }
    return queries;
}

namespace {

// The shared-address rows the problems report lists: only the holders covering a selected pupil.
const std::string k_shared_address_count = "\nSELECT count(*) FROM account a JOIN person p ON p.id = a.person_id\nWHERE " +
                                           std::string(k_shared_address_if) + "\n  AND " + detail::k_account_covered;

// The problems of an account itself, counted in one pass over the accounts that cover a selected
// pupil (each a count of the problem's own query, as the problems report lists it):
// ?3 password set before, ?4 PIN failures limit, ?5 password failures limit.
// Each a CASE: in a value, AND works out both sides (every subquery of every row); in CASE WHEN it
// stops at the first false.
std::string counted_if(const std::string& condition)
{
    return "count(CASE WHEN " + condition + " THEN 1 END)";
}
// The accounts without an address by kind (the summary's two counts; the problem is both together).
const std::string k_account_problem_counts =
    "\nSELECT " + counted_if("a.kind = 'family' AND a.status = 'active' AND " + std::string(k_address) + " = ''") +
    ",\n  " + counted_if("a.kind = 'student' AND a.status = 'active' AND " + std::string(k_address) + " = ''") + ",\n  " +
    counted_if("a.status = 'active' AND " + k_never_sent_if) + ",\n  " +
    counted_if("a.status = 'active' AND " + password_expired_if("?3")) + ",\n  " +
    counted_if("a.status = 'disabled'") + ",\n  " + counted_if("a.status = 'active' AND " + over_limits_if("?4", "?5")) +
    ",\n  " + counted_if(k_shared_address_if) + k_account_person + "WHERE " + detail::k_account_covered;
// Its columns, in order.
const std::vector<std::string> k_account_problem_codes = {"family_no_address", "student_no_address", "never_sent",
                                                          "password_expired", "disabled", "locked", "shared_address"};

// Each problem's query as the problems report runs it, counted: SQLite flattens the subquery and
// leaves out the columns nobody reads (the classes of each account above all).
std::string counted(const std::string& sql)
{
    return "SELECT count(*) FROM (" + sql + ")";
}

// {code, sql without the scope's CTEs, which parameters beyond the scope's}
struct ProblemCount
{
    const char* code;
    std::string sql;
    enum class Bind { none, pending, password, limits } bind = Bind::none;
};

const std::vector<ProblemCount>& problem_counts()
{
    static const std::vector<ProblemCount> counts = {
        {"no_address", counted(k_without_address)},
        {"never_sent", counted(k_never_sent)},
        {"delivery_failed", counted(k_last_failed)},
        {"bounced", counted(k_last_bounced)},
        {"waiting", counted(k_waiting)},
        {"pending", counted(k_pending_since), ProblemCount::Bind::pending},
        {"shared_address", k_shared_address_count},
        {"address_held", counted(k_address_held)},
        {"locked", counted(k_over_failure_limits), ProblemCount::Bind::limits},
        {"password_expired", counted(k_password_expired), ProblemCount::Bind::password},
        {"disabled", counted(k_disabled_enrolled)},
        {"no_guardian", counted(k_no_guardian)},
    };
    return counts;
}

} // namespace

SummaryCounts count_summary_with_problems(Database& db, const ReportScope& scope, const ProblemCountRules& rules,
                                         const std::vector<std::string>& codes)
{
    // The accounts without an address come from the pass that counts the problems of every account.
    SummaryCounts summary = read_summary(db, scope, false);
    auto& result = summary.problems;
    db.connection().guard("summary report", [&] {
        // The problems of the accounts themselves, all in one pass.
        std::map<std::string, int> of_accounts;
        each_row(
            db, k_account_problem_counts, scope,
            [&](SQLite::Statement& query) {
                for (int i = 0; i < static_cast<int>(k_account_problem_codes.size()); ++i) {
                    of_accounts[k_account_problem_codes[static_cast<std::size_t>(i)]] = query.getColumn(i).getInt();
                }
                summary.family_without_address = of_accounts["family_no_address"];
                summary.student_without_address = of_accounts["student_no_address"];
                of_accounts["no_address"] = summary.family_without_address + summary.student_without_address;
            },
            [&](SQLite::Statement& query) {
                query.bind(3, iso_time(rules.password_before));
                query.bind(4, rules.pin_max_failures);
                query.bind(5, rules.password_max_failures);
            });
        for (const auto& code : codes) {
            if (const auto found = of_accounts.find(code); found != of_accounts.end()) {
                result.emplace_back(code, found->second);
                continue;
            }
            int rows = 0;
            for (const auto& count : problem_counts()) {
                if (code != count.code) {
                    continue;
                }
                each_row(
                    db, count.sql, scope, [&](SQLite::Statement& query) { rows = query.getColumn(0).getInt(); },
                    [&](SQLite::Statement& query) {
                        switch (count.bind) {
                        case ProblemCount::Bind::none:
                            break;
                        case ProblemCount::Bind::pending:
                            query.bind(3, iso_time(rules.pending_before));
                            break;
                        case ProblemCount::Bind::password:
                            query.bind(3, iso_time(rules.password_before));
                            break;
                        case ProblemCount::Bind::limits:
                            query.bind(3, rules.pin_max_failures);
                            query.bind(4, rules.password_max_failures);
                            break;
                        }
                    });
            }
            result.emplace_back(code, rows);
        }
    });
    return summary;
}

std::vector<ReportQuery> problem_count_queries()
{
    std::vector<ReportQuery> queries;
    for (const auto& count : problem_counts()) {
        queries.push_back({std::string("problem count: ") + count.code, detail::k_cover_cte + count.sql});
    }
    queries.push_back({"problem counts: accounts", detail::k_cover_cte + k_account_problem_counts});
    return queries;
}

} // namespace credenza::store
