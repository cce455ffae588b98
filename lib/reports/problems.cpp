#include <credenza/reports/problems.hpp>

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "filter.hpp"

namespace credenza::reports {

namespace {

// Columns 0-6 of every account query: the account and its person.
const std::string k_account_columns = std::string(R"sql(
SELECT a.user_code, a.kind, p.tax_code, p.surname, p.name, )sql") + detail::k_account_classes + ",\n";

constexpr const char* k_active_covered = " a.status = 'active' AND a.id IN (SELECT account_id FROM cover) ";

Problem read_account(SQLite::Statement& query, std::string problem)
{
    Problem row;
    row.problem = std::move(problem);
    row.user_code = query.getColumn(0).getString();
    row.kind = query.getColumn(1).getString();
    row.tax_code = query.getColumn(2).getString();
    row.surname = query.getColumn(3).getString();
    row.name = query.getColumn(4).getString();
    row.classes = detail::split_classes(query.getColumn(5).getString());
    return row;
}

void each_row(store::Database& db, const std::string& sql, const Filter& filter,
              const std::function<void(SQLite::Statement&)>& bind_more, const std::function<void(SQLite::Statement&)>& fn)
{
    SQLite::Statement query(db.raw(), detail::k_cover_cte + sql);
    detail::bind_filter(query, filter);
    if (bind_more) {
        bind_more(query);
    }
    while (query.executeStep()) {
        fn(query);
    }
}

void no_address(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    each_row(db,
             k_account_columns + "'' FROM account a JOIN person p ON p.id = a.person_id "
                                 "WHERE a.kind = 'family' AND p.email = '' AND" + k_active_covered,
             filter, {}, [&](SQLite::Statement& query) {
                 auto row = read_account(query, "no_address");
                 row.reason = "guardian with no e-mail address: credentials cannot be sent; record the address in "
                              "the register and import again";
                 found.push_back(std::move(row));
             });
}

void delivery_failed(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    each_row(db, k_account_columns + R"sql(l.recipient, l.last_code, l.last_reply, l.attempts
FROM letter l JOIN account a ON a.id = l.account_id JOIN person p ON p.id = a.person_id
WHERE l.state = 'failed'
  AND l.id = (SELECT max(f.id) FROM letter f WHERE f.account_id = a.id AND f.state = 'failed')
  AND NOT EXISTS (SELECT 1 FROM letter s WHERE s.account_id = a.id AND s.state = 'sent' AND s.id > l.id)
  AND)sql" + k_active_covered,
             filter, {}, [&](SQLite::Statement& query) {
                 auto row = read_account(query, "delivery_failed");
                 row.address = query.getColumn(6).getString();
                 const bool has_code = !query.getColumn(7).isNull();
                 const int code = has_code ? query.getColumn(7).getInt() : 0;
                 const std::string reply = query.getColumn(8).getString();
                 if (code >= 500 && code < 600) {
                     row.reason = fmt::format("the mail server refused '{}' for good ({}): correct the address in the "
                                              "register, import again, then send new credentials with 'credenza "
                                              "reset'",
                                              row.address, reply.empty() ? std::to_string(code) : reply);
                 } else {
                     row.reason = fmt::format("delivery to '{}' given up after {} attempts{}: check the address",
                                              row.address, query.getColumn(9).getInt(),
                                              reply.empty() ? std::string() : " (" + reply + ")");
                 }
                 found.push_back(std::move(row));
             });
}

void shared_address(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    each_row(db, k_account_columns + R"sql(p.email,
       (SELECT group_concat(o.name || ' ' || o.surname || ' (' || b.user_code || ')', ', ')
        FROM account b JOIN person o ON o.id = b.person_id
        WHERE b.kind = 'family' AND b.status = 'active' AND b.id <> a.id AND lower(o.email) = lower(p.email))
FROM account a JOIN person p ON p.id = a.person_id
WHERE a.kind = 'family' AND p.email <> ''
  AND EXISTS (SELECT 1 FROM account b JOIN person o ON o.id = b.person_id
              WHERE b.kind = 'family' AND b.status = 'active' AND b.id <> a.id AND lower(o.email) = lower(p.email))
  AND)sql" + k_active_covered,
             filter, {}, [&](SQLite::Statement& query) {
                 auto row = read_account(query, "shared_address");
                 row.address = query.getColumn(6).getString();
                 row.reason = fmt::format("'{}' is also the address of {}: the PIN is personal, so each guardian "
                                          "needs an address of their own in the register",
                                          row.address, query.getColumn(7).getString());
                 found.push_back(std::move(row));
             });
}

void locked(store::Database& db, const Filter& filter, const LockPolicy& policy, std::vector<Problem>& found)
{
    each_row(db, k_account_columns + R"sql(a.pin_failures, a.password_failures
FROM account a JOIN person p ON p.id = a.person_id
WHERE (a.pin_failures >= ?3 OR a.password_failures >= ?4) AND)sql" + k_active_covered,
             filter,
             [&](SQLite::Statement& query) {
                 query.bind(3, policy.pin_max_failures);
                 query.bind(4, policy.password_max_failures);
             },
             [&](SQLite::Statement& query) {
                 auto row = read_account(query, "locked");
                 const int pin_failures = query.getColumn(6).getInt();
                 const int password_failures = query.getColumn(7).getInt();
                 std::vector<std::string> what;
                 if (pin_failures >= policy.pin_max_failures) {
                     what.push_back(fmt::format("PIN locked after {} failures", pin_failures));
                 }
                 if (password_failures >= policy.password_max_failures) {
                     what.push_back(fmt::format("password locked after {} failures", password_failures));
                 }
                 row.reason = fmt::format("{}: only an administrator's 'credenza reset' unlocks it",
                                          fmt::join(what, ", "));
                 found.push_back(std::move(row));
             });
}

void no_guardian(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    each_row(db, R"sql(
SELECT coalesce(a.user_code, ''), 'student', p.tax_code, p.surname, p.name, sel.class
FROM sel JOIN person p ON p.id = sel.person_id
LEFT JOIN account a ON a.person_id = sel.person_id AND a.kind = 'student'
WHERE NOT EXISTS (SELECT 1 FROM guardianship g WHERE g.pupil_id = sel.person_id))sql",
             filter, {}, [&](SQLite::Statement& query) {
                 auto row = read_account(query, "no_guardian");
                 row.reason = "pupil with no guardian: no family account can be made; record a guardian in the "
                              "register and import again";
                 found.push_back(std::move(row));
             });
}

} // namespace

std::vector<Problem> problems(store::Database& db, const Filter& filter, const LockPolicy& policy)
{
    std::vector<Problem> found;
    db.guard("problems report", [&] {
        const std::vector<std::function<void()>> checks = {
            [&] { no_address(db, filter, found); },     [&] { delivery_failed(db, filter, found); },
            [&] { shared_address(db, filter, found); }, [&] { locked(db, filter, policy, found); },
            [&] { no_guardian(db, filter, found); },
        };
        for (std::size_t i = 0; i < checks.size(); ++i) {
            const auto begin = found.size();
            checks[i]();
            std::stable_sort(found.begin() + static_cast<std::ptrdiff_t>(begin), found.end(),
                             [](const Problem& x, const Problem& y) {
                                 return std::tie(x.classes, x.surname, x.name, x.user_code) <
                                        std::tie(y.classes, y.surname, y.name, y.user_code);
                             });
        }
    });
    return found;
}

} // namespace credenza::reports
