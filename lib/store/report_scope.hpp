#pragma once
// The SQL that every report query shares to honour a ReportScope: `sel`, the selected active pupils,
// and `cover`, the (class, account) pairs of the accounts covering them. Bind with bind_scope.

#include <string>

#include <SQLiteCpp/Statement.h>

#include <credenza/store/reports.hpp>

namespace credenza::store::detail {

// ?1 = the classes as a JSON array ('[]' = all), ?2 = the school year ('' = all), for the pupil `alias`.
inline std::string pupil_condition(const std::string& alias)
{
    return "(?1 = '[]' OR " + alias + ".class IN (SELECT value FROM json_each(?1))) AND (?2 = '' OR " + alias +
           ".school_year = ?2)";
}
inline const std::string k_pupil_condition = pupil_condition("pu");

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

// The classes of the active pupils an account `a` covers, comma separated (split_classes). One
// subquery per kind, each a search by index: an OR of both kinds made SQLite build a list per row.
inline constexpr const char* k_account_classes = R"sql(
(CASE a.kind WHEN 'student'
   THEN (SELECT cl.class FROM pupil cl WHERE cl.person_id = a.person_id AND cl.status = 'active')
   ELSE (SELECT group_concat(DISTINCT cl.class) FROM guardianship g2 JOIN pupil cl ON cl.person_id = g2.pupil_id
         WHERE g2.guardian_id = a.person_id AND cl.status = 'active') END))sql";

// Whether an account `a` covers an active pupil of the scope: `a.id IN cover`, asked by index for
// the rows a query has already narrowed down, instead of building `cover` again in every query.
inline const std::string k_account_covered = std::string(R"sql(
(CASE a.kind WHEN 'student'
   THEN EXISTS (SELECT 1 FROM pupil cp WHERE cp.person_id = a.person_id AND cp.status = 'active' AND )sql") +
                                              pupil_condition("cp") + R"sql()
   ELSE EXISTS (SELECT 1 FROM guardianship cg JOIN pupil cp ON cp.person_id = cg.pupil_id
                WHERE cg.guardian_id = a.person_id AND cp.status = 'active' AND )sql" +
                                              pupil_condition("cp") + ") END)";

std::string classes_json(const ReportScope& scope);
void bind_scope(SQLite::Statement& query, const ReportScope& scope);
std::vector<std::string> split_classes(const std::string& list); // sorted

} // namespace credenza::store::detail
