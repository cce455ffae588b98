#include "cli/output/csv.hpp"

#include <ostream>
#include <string_view>
#include <vector>

#include "cli/output/table.hpp"
#include "cli/output/words.hpp"

namespace credenza::cli::output {

namespace {

constexpr const char* k_utf8_bom = "\xEF\xBB\xBF";

void write_line(std::ostream& out, const std::vector<std::string>& cells, char delimiter)
{
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) {
            out << delimiter;
        }
        out << csv_field(cells[i], delimiter);
    }
    out << "\r\n";
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
    const bool quote = text.find_first_of(std::string{delimiter, '"', '\n', '\r'}) != std::string::npos ||
                       (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    // A leading = + - @ would make a spreadsheet run a formula: keep it text.
    const bool formula = !text.empty() && std::string_view("=+-@").find(text.front()) != std::string_view::npos;
    std::string body = formula ? "'" + text : text;
    if (!quote && !formula) {
        return body;
    }
    std::string quoted = "\"";
    for (const char c : body) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

void write_csv(std::ostream& out, const Table& table, bool excel)
{
    const char delimiter = start(out, excel);
    // For Excel a person reads the file: headings, yes/no, words and times in the reader's language.
    // Plain CSV is read by programs too: stable keys, stored words and times, as JSON.
    std::vector<std::string> keys;
    for (const auto& column : table.columns()) {
        keys.push_back(excel ? words_of(column.heading()) : column.key);
    }
    write_line(out, keys, delimiter);
    for (const auto& row : table.rows()) {
        std::vector<std::string> cells;
        for (std::size_t c = 0; c < row.size(); ++c) {
            cells.push_back(excel ? person_text(row[c], table.columns()[c].key) : cell_text(row[c]));
        }
        write_line(out, cells, delimiter);
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
