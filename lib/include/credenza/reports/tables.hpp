#pragma once
// The reports as tables that describe themselves: every front end (the CLI's table, CSV,
// JSON and HTML, a web page) gets the same columns, keys and labels from here.

#include <string>
#include <string_view>
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

// The words for a key of summary_record() in the reader's language ("family accounts without an
// address" for family_accounts_without_address; problems_CODE as its problem_label()), for a
// front end that shows the summary to people; the keys stay English for JSON. Other keys come back unchanged.
std::string summary_label(std::string_view key);

// Brief: the letters' states with short labels; full adds who has credentials.
Table classes_table(const std::vector<ClassProgress>& rows);

// Brief: the account, where the letter went and how it went; full: everything.
Table deliveries_table(std::vector<Delivery> rows);
// Its columns alone, and one row of it: a report printed as it is read (for_each_delivery).
Table deliveries_columns();
Row delivery_row(Delivery&& row);

// Brief: what is wrong, for whom, and why; full adds the kind, codice fiscale and address.
Table problems_table(std::vector<Problem> rows);

// Every entry of the audit log listing, oldest first.
Table audit_table(std::vector<audit::Entry> entries);
// Its columns alone, and one row of it: the log printed as it is read (Session::for_each_audit_entry).
Table audit_columns();
Row audit_row(audit::Entry&& entry);

} // namespace credenza::reports
