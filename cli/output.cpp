#include "cli/output.hpp"

#include <algorithm>
#include <ostream>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <credenza/error.hpp>

namespace credenza::cli {

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

void print_csv_line(std::ostream& out, const std::vector<std::string>& cells, char delimiter)
{
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) {
            out << delimiter;
        }
        out << csv_field(cells[i], delimiter);
    }
    out << "\r\n";
}

void print_table(std::ostream& out, int width, const std::vector<std::string>& columns,
                 const std::vector<std::vector<std::string>>& rows)
{
    std::vector<std::size_t> widths(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        widths[c] = display_width(columns[c]);
        for (const auto& row : rows) {
            widths[c] = std::max(widths[c], display_width(row[c]));
        }
    }
    // Shrink the widest column until the table fits, but never below 8 columns.
    if (width > 0) {
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
    auto print_line = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string cell = truncate(cells[c], widths[c]);
            line += cell;
            if (c + 1 < cells.size()) {
                line += std::string(widths[c] - display_width(cell) + 2, ' ');
            }
        }
        out << line << '\n';
    };
    std::vector<std::string> header;
    for (const auto& column : columns) {
        std::string upper = column;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        header.push_back(upper);
    }
    print_line(header);
    for (const auto& row : rows) {
        print_line(row);
    }
}

std::vector<std::string> cells_of(const Record& record, const std::vector<std::string>& columns)
{
    std::vector<std::string> cells;
    for (const auto& column : columns) {
        const Value* value = record.find(column);
        cells.push_back(value ? to_text(*value) : std::string());
    }
    return cells;
}

} // namespace

Format parse_format(const std::string& name)
{
    if (name == "table") {
        return Format::table;
    }
    if (name == "csv") {
        return Format::csv;
    }
    if (name == "json") {
        return Format::json;
    }
    throw Error(ErrorCode::usage, fmt::format("unknown format '{}': use table, csv or json", name));
}

const Value* Record::find(const std::string& key) const
{
    for (const auto& [name, value] : fields) {
        if (name == key) {
            return &value;
        }
    }
    return nullptr;
}

std::string json_string(const std::string& text)
{
    std::string quoted = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            quoted += "\\\"";
            break;
        case '\\':
            quoted += "\\\\";
            break;
        case '\n':
            quoted += "\\n";
            break;
        case '\r':
            quoted += "\\r";
            break;
        case '\t':
            quoted += "\\t";
            break;
        default:
            if (byte < 0x20 || byte == 0x7f) {
                quoted += fmt::format("\\u{:04x}", byte);
            } else {
                quoted += c;
            }
        }
    }
    return quoted + "\"";
}

std::string to_text(const Value& value)
{
    struct Visitor
    {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(bool b) const { return b ? "yes" : "no"; }
        std::string operator()(long long n) const { return std::to_string(n); }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(const std::vector<std::string>& list) const { return fmt::format("{}", fmt::join(list, " ")); }
    };
    return std::visit(Visitor{}, value);
}

std::string to_json(const Value& value)
{
    struct Visitor
    {
        std::string operator()(std::monostate) const { return "null"; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(long long n) const { return std::to_string(n); }
        std::string operator()(const std::string& s) const { return json_string(s); }
        std::string operator()(const std::vector<std::string>& list) const
        {
            std::string text = "[";
            for (std::size_t i = 0; i < list.size(); ++i) {
                text += (i > 0 ? ", " : "") + json_string(list[i]);
            }
            return text + "]";
        }
    };
    return std::visit(Visitor{}, value);
}

std::string to_json(const Record& record)
{
    std::string text = "{";
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
        text += (i > 0 ? ", " : "") + json_string(record.fields[i].first) + ": " + to_json(record.fields[i].second);
    }
    return text + "}";
}

void print_records(std::ostream& out, const OutputOptions& options, const std::vector<std::string>& columns,
                   const std::vector<Record>& records)
{
    switch (options.format) {
    case Format::json:
        out << "[";
        for (std::size_t i = 0; i < records.size(); ++i) {
            out << (i > 0 ? ",\n " : "\n ") << to_json(records[i]);
        }
        out << (records.empty() ? "]\n" : "\n]\n");
        return;
    case Format::csv: {
        const char delimiter = options.excel ? ';' : ',';
        if (options.excel) {
            out << "\xEF\xBB\xBF";
        }
        print_csv_line(out, columns, delimiter);
        for (const auto& record : records) {
            print_csv_line(out, cells_of(record, columns), delimiter);
        }
        return;
    }
    case Format::table: {
        std::vector<std::vector<std::string>> rows;
        for (const auto& record : records) {
            rows.push_back(cells_of(record, columns));
        }
        print_table(out, options.width, columns, rows);
        return;
    }
    }
}

void print_record(std::ostream& out, const OutputOptions& options, const Record& record)
{
    switch (options.format) {
    case Format::json:
        out << to_json(record) << '\n';
        return;
    case Format::csv: {
        const char delimiter = options.excel ? ';' : ',';
        if (options.excel) {
            out << "\xEF\xBB\xBF";
        }
        print_csv_line(out, {"field", "value"}, delimiter);
        for (const auto& [key, value] : record.fields) {
            print_csv_line(out, {key, to_text(value)}, delimiter);
        }
        return;
    }
    case Format::table: {
        std::size_t key_width = 0;
        for (const auto& field : record.fields) {
            key_width = std::max(key_width, field.first.size());
        }
        for (const auto& [key, value] : record.fields) {
            out << fmt::format("{:<{}}  {}\n", key + ":", key_width + 1, to_text(value));
        }
        return;
    }
    }
}

int terminal_width()
{
    if (!::isatty(STDOUT_FILENO)) {
        return 0;
    }
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) {
        return 80;
    }
    return size.ws_col;
}

} // namespace credenza::cli
