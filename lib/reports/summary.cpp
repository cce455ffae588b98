#include <credenza/reports/summary.hpp>

namespace credenza::reports {

Summary summary(store::Database& db)
{
    Summary s;
    db.guard("summary report", [&] {
        SQLite::Statement query(db.raw(), R"sql(
SELECT
  (SELECT count(*) FROM pupil WHERE status = 'active'),
  (SELECT count(*) FROM pupil WHERE status = 'left'),
  (SELECT count(*) FROM account WHERE kind = 'family'),
  (SELECT count(*) FROM account WHERE kind = 'family' AND status = 'active'),
  (SELECT count(*) FROM account WHERE kind = 'family' AND status = 'disabled'),
  (SELECT count(*) FROM account WHERE kind = 'student' AND status = 'active'),
  (SELECT count(*) FROM account WHERE kind = 'student' AND status = 'disabled'),
  (SELECT count(*) FROM account a JOIN person p ON p.id = a.person_id
     WHERE a.kind = 'family' AND a.status = 'active' AND p.email = ''),
  (SELECT count(*) FROM account a JOIN pupil pu ON pu.person_id = a.person_id
     WHERE a.kind = 'student' AND a.status = 'active' AND pu.institutional_email = ''),
  (SELECT count(*) FROM letter WHERE state IN ('queued', 'sending')),
  (SELECT count(*) FROM letter WHERE state = 'sent'),
  (SELECT count(*) FROM letter WHERE state = 'deferred'),
  (SELECT count(*) FROM letter WHERE state = 'failed'),
  (SELECT count(*) FROM letter WHERE state = 'cancelled'))sql");
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
