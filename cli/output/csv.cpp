#include "cli/output/csv.hpp"

#include <ostream>
#include <sstream>
#include <string_view>
#include <vector>

#include "cli/output/table.hpp"
#include "cli/output/words.hpp"

namespace credenza::cli::output {

namespace {

constexpr const char* k_utf8_bom = "\xEF\xBB\xBF";

// Writes one field, quoted when it needs it, straight to the stream.
void write_field(std::ostream& out, std::string_view text, char delimiter)
{
    const char specials[] = {delimiter, '"', '\n', '\r'};
    const bool quote = text.find_first_of(std::string_view(specials, sizeof specials)) != std::string_view::npos ||
                       (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    // A leading = + - @ would make a spreadsheet run a formula: keep it text.
    const bool formula = !text.empty() && std::string_view("=+-@").find(text.front()) != std::string_view::npos;
    if (!quote && !formula) {
        out << text;
        return;
    }
    out << '"';
    if (formula) {
        out << '\'';
    }
    std::size_t start = 0;
    for (auto quote_at = text.find('"'); quote_at != std::string_view::npos; quote_at = text.find('"', start)) {
        out << text.substr(start, quote_at + 1 - start) << '"';
        start = quote_at + 1;
    }
    out << text.substr(start) << '"';
}

void write_line(std::ostream& out, const std::vector<std::string>& cells, char delimiter)
{
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) {
            out << delimiter;
        }
        write_field(out, cells[i], delimiter);
    }
    out << "\r\n";
}

// A cell of plain CSV as cell_text has it, without copying a text.
void write_cell(std::ostream& out, const Cell& cell, char delimiter)
{
    if (!cell) {
        return;
    }
    if (const auto* text = std::get_if<std::string>(&*cell)) {
        write_field(out, *text, delimiter);
    } else {
        write_field(out, cell_text(cell), delimiter);
    }
}

char start(std::ostream& out, bool excel)
{
    if (excel) {
        out << k_utf8_bom;
    }
    return excel ? ';' : ',';
}

} // namespace

std::string csv_field(const std::string& text, char delimiter)
{
    std::ostringstream field;
    write_field(field, text, delimiter);
    return field.str();
}

void write_csv_header(std::ostream& out, const Table& columns, bool excel)
{
    const char delimiter = start(out, excel);
    // For Excel a person reads the file: headings, yes/no, words and times in the reader's language.
    // Plain CSV is read by programs too: stable keys, stored words and times, as JSON.
    std::vector<std::string> keys;
    for (const auto& column : columns.columns()) {
        keys.push_back(excel ? words_of(column.heading()) : column.key);
    }
    write_line(out, keys, delimiter);
}

void write_csv_row(std::ostream& out, const Table& columns, const Row& row, bool excel)
{
    const char delimiter = excel ? ';' : ',';
    for (std::size_t c = 0; c < row.size(); ++c) {
        if (c > 0) {
            out << delimiter;
        }
        if (excel) {
            write_field(out, person_text(row[c], columns.columns()[c].key), delimiter);
        } else {
            write_cell(out, row[c], delimiter);
        }
    }
    out << "\r\n";
}

void write_csv(std::ostream& out, const Table& table, bool excel)
{
    write_csv_header(out, table, excel);
    for (const auto& row : table.rows()) {
        write_csv_row(out, table, row, excel);
    }
}

void write_csv(std::ostream& out, const Record& record, bool excel)
{
    const char delimiter = start(out, excel);
    if (excel) {
        write_line(out, {words_of("field"), words_of("value")}, delimiter);
    } else {
        write_line(out, {"field", "value"}, delimiter);
    }
    for (const auto& [key, value] : record.fields) {
        write_line(out, {excel ? words_of(key) : key, excel ? person_text(value, key) : to_text(value)}, delimiter);
    }
}

} // namespace credenza::cli::output
