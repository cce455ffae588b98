#include <credenza/reports/deliveries.hpp>

#include "filter.hpp"

namespace credenza::reports {

std::vector<Delivery> deliveries(store::Database& db, const Filter& filter)
{
    std::vector<Delivery> rows;
    db.guard("deliveries report", [&] {
        SQLite::Statement query(db.raw(), detail::k_cover_cte + R"sql(
SELECT l.id, a.user_code, a.kind, p.surname, p.name, )sql" + detail::k_account_classes + R"sql(,
       l.purpose,
       CASE WHEN l.recipient <> '' THEN l.recipient
            WHEN a.kind = 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END,
       l.state, l.attempts, l.last_code, l.last_reply, coalesce(l.sent_at, l.updated_at),
       CASE l.state WHEN 'deferred' THEN coalesce(l.next_attempt_at, '') ELSE '' END
FROM letter l
JOIN account a ON a.id = l.account_id
JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
WHERE ?3 = 0 OR l.account_id IN (SELECT account_id FROM cover)
ORDER BY l.id)sql");
        detail::bind_filter(query, filter);
        query.bind(3, filter.empty() ? 0 : 1);
        while (query.executeStep()) {
            Delivery row;
            row.letter_id = query.getColumn(0).getInt64();
            row.user_code = query.getColumn(1).getString();
            row.kind = query.getColumn(2).getString();
            row.surname = query.getColumn(3).getString();
            row.name = query.getColumn(4).getString();
            row.classes = detail::split_classes(query.getColumn(5).getString());
            row.purpose = query.getColumn(6).getString();
            row.address = query.getColumn(7).getString();
            row.state = query.getColumn(8).getString();
            row.attempts = query.getColumn(9).getInt();
            if (!query.getColumn(10).isNull()) {
                row.last_code = query.getColumn(10).getInt();
            }
            row.last_reply = query.getColumn(11).getString();
            row.time = query.getColumn(12).getString();
            row.next_attempt = query.getColumn(13).getString();
            rows.push_back(std::move(row));
        }
    });
    return rows;
}

} // namespace credenza::reports
