#pragma once
// The SQL that every report query shares to honour a ReportScope: `sel`, the selected active pupils,
// and `cover`, the (class, account) pairs of the accounts covering them. Bind with bind_scope.

#include <string>

#include <SQLiteCpp/Statement.h>

#include <credenza/store/reports.hpp>

namespace credenza::store::detail {

// ?1 = the classes as a JSON array ('[]' = all), ?2 = the school year ('' = all).
inline constexpr const char* k_pupil_condition =
    "(?1 = '[]' OR pu.class IN (SELECT value FROM json_each(?1))) AND (?2 = '' OR pu.school_year = ?2)";

inline const std::string k_cover_cte = std::string(R"sql(
WITH sel AS (SELECT pu.person_id, pu.class FROM pupil pu WHERE pu.status = 'active' AND )sql") +
                                       k_pupil_condition + R"sql(),
cover AS (
    SELECT sel.class AS class, a.id AS account_id FROM sel
    JOIN account a ON a.kind = 'student' AND a.person_id = sel.person_id
    UNION
    SELECT sel.class, a.id FROM sel
    JOIN guardianship g ON g.pupil_id = sel.person_id
    JOIN account a ON a.kind = 'family' AND a.person_id = g.guardian_id)
)sql";

// The classes of the active pupils an account `a` covers, comma separated (split_classes).
inline constexpr const char* k_account_classes = R"sql(
(SELECT group_concat(DISTINCT cl.class) FROM pupil cl WHERE cl.status = 'active' AND
   ((a.kind = 'student' AND cl.person_id = a.person_id) OR
    (a.kind = 'family' AND cl.person_id IN (SELECT g2.pupil_id FROM guardianship g2 WHERE g2.guardian_id = a.person_id)))))sql";

std::string classes_json(const ReportScope& scope);
void bind_scope(SQLite::Statement& query, const ReportScope& scope);
std::vector<std::string> split_classes(const std::string& list); // sorted

} // namespace credenza::store::detail
