#include "cli/output.hpp"

#include <algorithm>
#include <cstdlib>
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

// A column whose every value is a number is right-aligned, header included.
std::vector<bool> numeric_columns(const std::vector<std::string>& columns, const std::vector<Record>& records)
{
    std::vector<bool> numeric(columns.size(), !records.empty());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        for (const auto& record : records) {
            const Value* value = record.find(columns[c]);
            if (value == nullptr || !std::holds_alternative<long long>(*value)) {
                numeric[c] = false;
                break;
            }
        }
    }
    return numeric;
}

void print_table(std::ostream& out, const OutputOptions& options, const std::vector<std::string>& columns,
                 const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& numeric)
{
    const int width = options.width;
    const auto& labels = options.headers.size() == columns.size() ? options.headers : columns;
    std::vector<std::size_t> widths(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        widths[c] = display_width(labels[c]);
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
    for (const auto& column : labels) {
        std::string upper = column;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        header.push_back(upper);
    }
    out << (options.colour ? "\x1b[1m" + format_line(header) + "\x1b[0m" : format_line(header)) << '\n';
    for (const auto& row : rows) {
        out << format_line(row) << '\n';
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


// Printable on paper as on screen: the bars keep their colour when printed.
constexpr const char* k_html_style = R"css(* { -webkit-print-color-adjust: exact; print-color-adjust: exact; box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #222; margin: 2em; }
h1 { font-size: 1.5em; margin: 0 0 0.2em; }
h2 { font-size: 1.15em; border-bottom: 1px solid #bbb; padding-bottom: 0.2em; margin: 1.5em 0 0.6em; }
p.subtitle { color: #555; margin: 0 0 1em; }
p.note { color: #444; margin: 0 0 0.8em; }
p.empty { color: #555; font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: 0.85em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.number, th.number { text-align: right; }
div.bar { display: flex; align-items: center; margin: 0.35em 0; }
div.bar span.label { width: 6em; font-weight: bold; }
div.bar div.track { flex: 1; height: 1.3em; background: #e3e3e3; border: 1px solid #888; }
div.bar div.fill { height: 100%; background: #2e7d32; }
div.bar span.count { width: 11em; text-align: right; padding-left: 0.6em; }
@media print { body { margin: 1cm; } h2 { break-after: avoid; } tr, div.bar { break-inside: avoid; } }
)css";

void print_bar(std::ostream& out, const Bar& bar)
{
    const long long done = std::clamp(bar.done, 0LL, std::max(bar.total, 0LL));
    const long long percent = bar.total > 0 ? (done * 100 + bar.total / 2) / bar.total : 0;
    out << fmt::format("<div class=\"bar\"><span class=\"label\">{}</span>"
                       "<div class=\"track\"><div class=\"fill\" style=\"width: {}%\"></div></div>"
                       "<span class=\"count\">{} of {} ({}%)</span></div>\n",
                       html_escape(bar.label), percent, bar.done, bar.total, percent);
}

void print_html_table(std::ostream& out, const HtmlSection& section)
{
    if (section.records.empty()) {
        out << "<p class=\"empty\">" << html_escape(section.empty_text) << "</p>\n";
        return;
    }
    const auto numeric = numeric_columns(section.columns, section.records);
    const auto cell_class = [&](std::size_t c) { return numeric[c] ? " class=\"number\"" : ""; };
    out << "<table>\n<thead><tr>";
    for (std::size_t c = 0; c < section.columns.size(); ++c) {
        const bool labelled = section.headers.size() == section.columns.size();
        out << "<th" << cell_class(c) << ">" << html_escape(labelled ? section.headers[c] : section.columns[c])
            << "</th>";
    }
    out << "</tr></thead>\n<tbody>\n";
    for (const auto& record : section.records) {
        out << "<tr>";
        const auto cells = cells_of(record, section.columns);
        for (std::size_t c = 0; c < cells.size(); ++c) {
            out << "<td" << cell_class(c) << ">" << html_escape(cells[c]) << "</td>";
        }
        out << "</tr>\n";
    }
    out << "</tbody>\n</table>\n";
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
    if (name == "html") {
        return Format::html;
    }
    throw Error(ErrorCode::usage, fmt::format("unknown format '{}': use table, csv, json or html", name));
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
    case Format::html: {
        HtmlSection section;
        section.columns = columns;
        section.headers = options.headers;
        section.records = records;
        print_html(out, HtmlPage{options.title, "", {section}});
        return;
    }
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
        print_table(out, options, columns, rows, numeric_columns(columns, records));
        return;
    }
    }
}

void print_record(std::ostream& out, const OutputOptions& options, const Record& record)
{
    switch (options.format) {
    case Format::html:
        print_html(out, HtmlPage{options.title, "", {record_section("", record)}});
        return;
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

bool colour_wanted()
{
    const char* no_colour = std::getenv("NO_COLOR");
    return ::isatty(STDOUT_FILENO) && (no_colour == nullptr || *no_colour == '\0');
}

std::string html_escape(std::string_view text)
{
    std::string escaped;
    escaped.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            escaped += "&amp;";
            break;
        case '<':
            escaped += "&lt;";
            break;
        case '>':
            escaped += "&gt;";
            break;
        case '"':
            escaped += "&quot;";
            break;
        case '\'':
            escaped += "&#39;";
            break;
        default:
            escaped += c;
        }
    }
    return escaped;
}

HtmlSection record_section(std::string heading, const Record& record)
{
    HtmlSection section;
    section.heading = std::move(heading);
    section.columns = {"field", "value"};
    for (const auto& [key, value] : record.fields) {
        section.records.push_back(Record().add("field", key).add("value", value));
    }
    return section;
}

void print_html(std::ostream& out, const HtmlPage& page)
{
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<title>" << html_escape(page.title) << "</title>\n<style>\n" << k_html_style << "</style>\n</head>\n<body>\n"
        << "<h1>" << html_escape(page.title) << "</h1>\n";
    if (!page.subtitle.empty()) {
        out << "<p class=\"subtitle\">" << html_escape(page.subtitle) << "</p>\n";
    }
    for (const auto& section : page.sections) {
        out << "<section>\n";
        if (!section.heading.empty()) {
            out << "<h2>" << html_escape(section.heading) << "</h2>\n";
        }
        if (!section.note.empty()) {
            out << "<p class=\"note\">" << html_escape(section.note) << "</p>\n";
        }
        for (const auto& bar : section.bars) {
            print_bar(out, bar);
        }
        if (!section.columns.empty()) {
            print_html_table(out, section);
        }
        out << "</section>\n";
    }
    out << "</body>\n</html>\n";
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
