#include <credenza/reports/summary.hpp>

#include "filter.hpp"

namespace credenza::reports {

namespace {

// Without a filter every row counts, also accounts no pupil links to any more.
constexpr const char* k_everything = R"sql(
WITH sel_pupil AS (SELECT person_id, status FROM pupil),
sel_account AS (SELECT id, person_id, kind, status FROM account)
)sql";

// With one, the pupils of the selected classes and years, active or left, and what covers them.
const std::string k_filtered = std::string(R"sql(
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

} // namespace

Summary summary(store::Database& db, const Filter& filter)
{
    Summary s;
    db.guard("summary report", [&] {
        SQLite::Statement query(db.raw(), (filter.empty() ? std::string(k_everything) : k_filtered) + k_counts);
        if (!filter.empty()) {
            detail::bind_filter(query, filter);
        }
        query.executeStep();
        int* fields[] = {&s.pupils_active,          &s.pupils_left,           &s.guardians,
                         &s.family_active,          &s.family_disabled,       &s.student_active,
                         &s.student_disabled,       &s.family_without_address, &s.student_without_address,
                         &s.letters_queued,         &s.letters_sent,          &s.letters_deferred,
                         &s.letters_failed,         &s.letters_cancelled};
        for (int i = 0; i < static_cast<int>(std::size(fields)); ++i) {
            *fields[i] = query.getColumn(i).getInt();
        }
    });
    return s;
}

} // namespace credenza::reports
