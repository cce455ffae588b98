#include <credenza/reports/summary.hpp>

#include <credenza/reports/problems.hpp>

#include "store/problem_counts.hpp"

namespace credenza::reports {

Summary summary(store::Database& db, const Filter& filter)
{
    return store::count_summary(db, filter);
}

Summary summary(store::Database& db, const Filter& filter, const ProblemRules& rules)
{
    // Counted by SQLite, the very rows problems() would list: building them all only to count them took
    // seconds on a large school where most accounts had a problem.
    store::ProblemCountRules count_rules;
    count_rules.pin_max_failures = rules.pin_max_failures;
    count_rules.password_max_failures = rules.password_max_failures;
    count_rules.pending_before = rules.now - std::chrono::hours(rules.pending_hours);
    count_rules.password_before = rules.now - std::chrono::hours(24) * rules.initial_password_days;
    return store::count_summary_with_problems(db, filter, count_rules, problem_codes());
}

} // namespace credenza::reports
