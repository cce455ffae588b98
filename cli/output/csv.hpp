#pragma once
// CSV as RFC 4180 has it (CRLF, fields quoted when they need it), safe to open in a
// spreadsheet: a leading = + - @ stays text. For an Italian Excel: ';' and a UTF-8 BOM.

#include <iosfwd>
#include <string>

#include <credenza/table.hpp>

namespace credenza::cli::output {

// A header of the column keys, then one line per row.
void write_csv(std::ostream& out, const Table& table, bool excel);

// One record as two columns: field,value.
void write_csv(std::ostream& out, const Record& record, bool excel);

std::string csv_field(const std::string& text, char delimiter);

// The same file a line at a time, for rows printed as they are read: the header of `columns` (a
// table whose rows are not used), then each row of those columns.
void write_csv_header(std::ostream& out, const Table& columns, bool excel);
void write_csv_row(std::ostream& out, const Table& columns, const Row& row, bool excel);

} // namespace credenza::cli::output
