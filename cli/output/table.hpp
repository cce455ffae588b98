#pragma once
// A table for the terminal: columns aligned, numbers right-aligned, cut to the terminal's
// width with an ellipsis, the header in capitals and bold when colour is wanted.

#include <iosfwd>

#include <credenza/table.hpp>

namespace credenza::cli::output {

struct TableStyle
{
    int width = 0;       // of the terminal; 0 = unlimited
    bool colour = false; // a bold header
};

// Every column of `table`, headed by its label.
void write_table(std::ostream& out, const Table& table, const TableStyle& style);

// One record as "key: value" lines, the values aligned.
void write_record(std::ostream& out, const Record& record);

// A column whose every value is a number (and that has rows): right-aligned, in HTML too.
std::vector<bool> numeric_columns(const Table& table);

// The text of a cell: "" for a field the row does not have.
std::string cell_text(const Cell& cell);

} // namespace credenza::cli::output
