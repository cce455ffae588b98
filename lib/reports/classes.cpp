#include <credenza/reports/classes.hpp>

#include <map>

#include "filter.hpp"

namespace credenza::reports {

std::vector<ClassProgress> class_progress(store::Database& db, const Filter& filter)
{
    std::map<std::string, ClassProgress> rows;
    db.guard("classes report", [&] {
        SQLite::Statement pupils(db.raw(), detail::k_cover_cte + "SELECT class, count(*) FROM sel GROUP BY class");
        detail::bind_filter(pupils, filter);
        while (pupils.executeStep()) {
            auto& row = rows[pupils.getColumn(0).getString()];
            row.class_name = pupils.getColumn(0).getString();
            row.pupils = pupils.getColumn(1).getInt();
        }
        SQLite::Statement accounts(db.raw(), detail::k_cover_cte + R"sql(
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
           FROM letter GROUP BY account_id) l ON l.account_id = a.id)sql");
        detail::bind_filter(accounts, filter);
        while (accounts.executeStep()) {
            auto& row = rows[accounts.getColumn(0).getString()];
            const bool family = accounts.getColumn(1).getString() == "family";
            const int sent = accounts.getColumn(3).getInt();
            ++(family ? row.family_accounts : row.student_accounts);
            if (accounts.getColumn(2).getInt() != 0) {
                ++row.without_address;
            }
            row.letters_sent += sent;
            row.letters_pending += accounts.getColumn(4).getInt();
            row.letters_deferred += accounts.getColumn(5).getInt();
            row.letters_failed += accounts.getColumn(6).getInt();
            if (sent > 0) {
                ++(family ? row.families_with_credentials : row.students_with_credentials);
            }
        }
    });
    std::vector<ClassProgress> result;
    for (auto& [name, row] : rows) {
        result.push_back(std::move(row));
    }
    return result;
}

} // namespace credenza::reports
