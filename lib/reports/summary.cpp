#include <credenza/reports/summary.hpp>

#include <credenza/reports/problems.hpp>

namespace credenza::reports {

Summary summary(store::Database& db, const Filter& filter)
{
    return store::count_summary(db, filter);
}

Summary summary(store::Database& db, const Filter& filter, const ProblemRules& rules)
{
    Summary counts = store::count_summary(db, filter);
    counts.problems = count_problems(problems(db, filter, rules));
    return counts;
}

} // namespace credenza::reports
