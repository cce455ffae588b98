#include "cli/output/table.hpp"
#include "cli/output/words.hpp"
#include "cli/terminal.hpp"

#include <algorithm>
#include <ostream>

#include <fmt/format.h>

namespace credenza::cli::output {

namespace {

// Display width of UTF-8 text, counting code points (accented Latin letters are one column).
std::size_t display_width(const std::string& text)
{
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Cuts UTF-8 text to at most `width` columns, ending with an ellipsis when cut.
std::string truncate(const std::string& text, std::size_t width)
{
    if (display_width(text) <= width || width == 0) {
        return text;
    }
    std::string cut;
    std::size_t columns = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte & 0xC0) != 0x80) {
            if (columns + 1 == width) {
                break;
            }
            ++columns;
        }
        cut += text[i];
    }
    return cut + "…";
}

// Shrinks the widest column until the table fits, but never below 8 columns.
void fit(std::vector<std::size_t>& widths, int width)
{
    if (width <= 0) {
        return;
    }
    auto total = [&] {
        std::size_t sum = 0;
        for (const auto w : widths) {
            sum += w + 2;
        }
        return sum;
    };
    while (total() > static_cast<std::size_t>(width)) {
        auto widest = std::max_element(widths.begin(), widths.end());
        if (*widest <= 8) {
            break;
        }
        --*widest;
    }
}

} // namespace

std::string cell_text(const Cell& cell)
{
    return cell ? to_text(*cell) : std::string();
}

std::vector<bool> numeric_columns(const Table& table)
{
    std::vector<bool> numeric(table.columns().size(), !table.empty());
    for (std::size_t c = 0; c < numeric.size(); ++c) {
        for (const auto& row : table.rows()) {
            if (!row[c] || !std::holds_alternative<long long>(*row[c])) {
                numeric[c] = false;
                break;
            }
        }
    }
    return numeric;
}

void write_table(std::ostream& out, const Table& table, const TableStyle& style)
{
    const auto& columns = table.columns();
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : table.rows()) {
        std::vector<std::string> cells;
        for (std::size_t c = 0; c < row.size(); ++c) {
            cells.push_back(person_text(row[c], columns[c].key));
        }
        rows.push_back(std::move(cells));
    }
    std::vector<std::size_t> widths(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        widths[c] = display_width(short_heading(columns[c].heading()));
        for (const auto& row : rows) {
            widths[c] = std::max(widths[c], display_width(row[c]));
        }
    }
    fit(widths, style.width);
    const auto numeric = numeric_columns(table);
    auto format_line = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string cell = truncate(cells[c], widths[c]);
            const std::string padding(widths[c] - display_width(cell), ' ');
            if (numeric[c]) {
                line += padding + cell;
            } else {
                line += cell;
                if (c + 1 < cells.size()) {
                    line += padding;
                }
            }
            if (c + 1 < cells.size()) {
                line += "  ";
            }
        }
        return line;
    };
    std::vector<std::string> header;
    for (const auto& column : columns) {
        std::string upper = short_heading(column.heading());
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        header.push_back(upper);
    }
    if (style.colour) {
        write_control(out, "\x1b[1m");
        out << format_line(header);
        write_control(out, "\x1b[0m");
    } else {
        out << format_line(header);
    }
    out << '\n';
    for (const auto& row : rows) {
        out << format_line(row) << '\n';
    }
}

void write_record(std::ostream& out, const Record& record)
{
    std::size_t key_width = 0;
    for (const auto& field : record.fields) {
        key_width = std::max(key_width, display_width(short_heading(field.first)));
    }
    for (const auto& [key, value] : record.fields) {
        const std::string label = short_heading(key) + ":";
        out << label << std::string(key_width + 1 - display_width(label), ' ') << "  " << person_text(value, key)
            << '\n';
    }
}

} // namespace credenza::cli::output
