#pragma once
// The reports as tables that describe themselves: every front end (the CLI's table, CSV,
// JSON and HTML, a web page) gets the same columns, keys and labels from here.

#include <vector>

#include <credenza/audit/log.hpp>
#include <credenza/reports/classes.hpp>
#include <credenza/reports/deliveries.hpp>
#include <credenza/reports/problems.hpp>
#include <credenza/reports/summary.hpp>
#include <credenza/table.hpp>

namespace credenza::reports {

// The counts, one field each (the keys JSON prints).
Record summary_record(const Summary& summary);

// Brief: the letters' states with short labels; full adds who has credentials.
Table classes_table(const std::vector<ClassProgress>& rows);

// Brief: the account, where the letter went and how it went; full: everything.
Table deliveries_table(const std::vector<Delivery>& rows);

// Brief: what is wrong, for whom, and why; full adds the kind, codice fiscale and address.
Table problems_table(const std::vector<Problem>& rows);

// Every entry of the audit log listing, oldest first.
Table audit_table(const std::vector<audit::Entry>& entries);

} // namespace credenza::reports
