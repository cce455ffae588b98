#pragma once
// The secretariat's counts at a glance. Reports return rows; the CLI formats them.

#include <credenza/store/database.hpp>
#include <credenza/store/reports.hpp>

namespace credenza::reports {

// Which pupils a report covers, and through them which accounts (see store::ReportScope).
using Filter = store::ReportScope;

// The counts of pupils, accounts and letters (see store::SummaryCounts).
using Summary = store::SummaryCounts;

// With a filter, the pupils (active and left) of those classes and years, the accounts that
// cover them and the letters of those accounts. Without rules, no problem counts.
Summary summary(store::Database& db, const Filter& filter = {});

struct ProblemRules;
// The same, with the number of rows of each problem that problems() lists with these rules.
Summary summary(store::Database& db, const Filter& filter, const ProblemRules& rules);

} // namespace credenza::reports
