#pragma once
// Every command prints rows through here: an aligned table that fits the terminal,
// CSV (RFC 4180; --excel: ';' and a UTF-8 BOM for an Italian Excel), JSON, or one
// self-contained, printable HTML page (inline CSS, no script, every field escaped).

#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace credenza::cli {

enum class Format { table, csv, json, html };

Format parse_format(const std::string& name); // throws Error(usage)

using Value = std::variant<std::monostate, bool, long long, std::string, std::vector<std::string>>;

struct Record
{
    std::vector<std::pair<std::string, Value>> fields;

    Record& add(std::string key, Value value)
    {
        fields.emplace_back(std::move(key), std::move(value));
        return *this;
    }
    const Value* find(const std::string& key) const;
};

struct OutputOptions
{
    Format format = Format::table;
    bool excel = false;       // CSV for an Italian Excel
    int width = 0;            // terminal width for tables; 0 = unlimited
    bool colour = false;      // tables: a bold header (see colour_wanted)
    std::string title = "credenza"; // the heading of an HTML page
    // Tables and HTML: labels for the header instead of the record keys (same number).
    std::vector<std::string> headers;
};

// Rows: a table (with `columns` as the header; every record has them), CSV with the
// same columns, or a JSON array of objects with every field of each record.
void print_records(std::ostream& out, const OutputOptions& options, const std::vector<std::string>& columns,
                   const std::vector<Record>& records);

// One object: "key: value" lines, a two-column CSV, or a JSON object.
void print_record(std::ostream& out, const OutputOptions& options, const Record& record);

std::string json_string(const std::string& text);
std::string to_text(const Value& value); // for tables and CSV: lists joined with ' '
std::string to_json(const Value& value);
std::string to_json(const Record& record);

// Width of the terminal on stdout, or 0 when stdout is not a terminal.
int terminal_width();

// True when stdout is a terminal and NO_COLOR (https://no-color.org) is unset or empty.
bool colour_wanted();

// HTML pages ---------------------------------------------------------------------------

// &, <, >, " and ' as entities: no field can open a tag or leave an attribute.
std::string html_escape(std::string_view text);

// A horizontal bar: `done` of `total` filled, with the numbers written beside it.
struct Bar
{
    std::string label;
    long long done = 0;
    long long total = 0;
};

struct HtmlSection
{
    std::string heading;
    std::string note;                 // a sentence under the heading, "" = none
    std::vector<Bar> bars;
    std::vector<std::string> columns; // a table when not empty
    std::vector<std::string> headers; // their labels, if not the keys themselves
    std::vector<Record> records;
    std::string empty_text = "nothing to show";
};

struct HtmlPage
{
    std::string title;
    std::string subtitle;             // e.g. the school and the time of the report
    std::vector<HtmlSection> sections;
};

// One record as a two-column "field | value" table.
HtmlSection record_section(std::string heading, const Record& record);

void print_html(std::ostream& out, const HtmlPage& page);

} // namespace credenza::cli
