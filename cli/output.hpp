#pragma once
// Every command prints rows through here, in the format the user asked for: an aligned
// table that fits the terminal (cli/output/table.*), CSV (csv.*), JSON (json.*) or one
// printable HTML page (html.*). What the rows are comes from the Table they describe.

#include <functional>
#include <iosfwd>
#include <string>

#include <credenza/table.hpp>

namespace credenza::cli {

enum class Format { table, csv, json, html };

Format parse_format(const std::string& name); // throws Error(usage)

struct OutputOptions
{
    Format format = Format::table;
    bool excel = false;             // CSV for an Italian Excel
    int width = 0;                  // terminal width for tables; 0 = unlimited
    bool colour = false;            // tables: a bold header (see colour_wanted)
    std::string title = "credenza"; // the heading of an HTML page
};

// Rows: a terminal table shows the table's brief columns, CSV and HTML its full ones, JSON
// (an array of objects) every field of each row.
void print_table(std::ostream& out, const OutputOptions& options, Table table);

// The same output with the rows handed over one at a time: `produce` calls its argument once per
// row, in order, for a table of `columns` (whose own rows are not used). CSV and JSON print each row
// as it comes, so no list of every row is kept; a terminal table (its column widths come from every
// row) and an HTML page gather the rows first, then print as print_table.
using RowSink = std::function<void(Row&&)>;
void print_rows(std::ostream& out, const OutputOptions& options, Table columns,
                const std::function<void(const RowSink&)>& produce);

// One object: "key: value" lines, a two-column CSV, a JSON object or a field/value page.
void print_record(std::ostream& out, const OutputOptions& options, const Record& record);

// Width of the terminal on stdout, or 0 when stdout is not a terminal.
int terminal_width();

// True when stdout is a terminal and NO_COLOR (https://no-color.org) is unset or empty.
bool colour_wanted();

} // namespace credenza::cli
