#pragma once
// Every command prints rows through here: an aligned table that fits the terminal,
// CSV (RFC 4180; --excel: ';' and a UTF-8 BOM for an Italian Excel), or JSON.

#include <iosfwd>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace credenza::cli {

enum class Format { table, csv, json };

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

} // namespace credenza::cli
