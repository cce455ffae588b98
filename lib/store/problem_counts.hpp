#pragma once
// The number of rows of each problem of the problems report, counted by SQLite (one count(*) per
// problem) without reading a row: the summary's counts. Internal to the library (lib/reports/summary.cpp).

#include <string>
#include <utility>
#include <vector>

#include <credenza/store/database.hpp>
#include <credenza/store/reports.hpp>
#include <credenza/time.hpp>

namespace credenza::store {

struct ProblemCountRules
{
    int pin_max_failures = 10;
    int password_max_failures = 100;
    TimePoint pending_before{};  // letters queued before this and never tried
    TimePoint password_before{}; // first passwords set before this and never changed
};

// count_summary's counts, and in `problems` {code, rows} in the order of `codes` (reports::problem_codes());
// a code this file does not know counts 0. The accounts without an address are counted once, in the
// pass that counts the problems of every account.
SummaryCounts count_summary_with_problems(Database& db, const ReportScope& scope, const ProblemCountRules& rules,
                                         const std::vector<std::string>& codes);

// The count queries, for the query-plan guard: {name, sql}.
std::vector<ReportQuery> problem_count_queries();

} // namespace credenza::store
