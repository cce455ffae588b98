#include "cli/output/html.hpp"

#include <credenza/util/text.hpp>

#include <algorithm>
#include <ostream>

#include <fmt/format.h>

#include "cli/output/table.hpp"
#include "cli/output/words.hpp"
#include "lib/i18n/gettext.hpp"

namespace credenza::cli::output {

namespace {

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

void write_bar(std::ostream& out, const Bar& bar)
{
    const long long done = std::clamp(bar.done, 0LL, std::max(bar.total, 0LL));
    const long long percent = bar.total > 0 ? (done * 100 + bar.total / 2) / bar.total : 0;
    out << fmt::format("<div class=\"bar\"><span class=\"label\">{}</span>"
                       "<div class=\"track\"><div class=\"fill\" style=\"width: {}%\"></div></div>"
                       "<span class=\"count\">{}</span></div>\n",
                       util::escape_html(bar.label), percent,
                       util::escape_html(i18n::format(_fmt("{} of {} ({}%)"), bar.done, bar.total, percent)));
}

void write_html_table(std::ostream& out, const Table& table, const std::string& empty_text)
{
    if (table.empty()) {
        out << "<p class=\"empty\">" << util::escape_html(empty_text.empty() ? _("nothing to show") : empty_text)
            << "</p>\n";
        return;
    }
    const auto numeric = numeric_columns(table);
    const auto cell_class = [&](std::size_t c) { return numeric[c] ? " class=\"number\"" : ""; };
    out << "<table>\n<thead><tr>";
    for (std::size_t c = 0; c < table.columns().size(); ++c) {
        out << "<th" << cell_class(c) << ">" << util::escape_html(words_of(table.columns()[c].heading())) << "</th>";
    }
    out << "</tr></thead>\n<tbody>\n";
    for (const auto& row : table.rows()) {
        out << "<tr>";
        for (std::size_t c = 0; c < row.size(); ++c) {
            out << "<td" << cell_class(c) << ">" << util::escape_html(person_text(row[c], table.columns()[c].key))
                << "</td>";
        }
        out << "</tr>\n";
    }
    out << "</tbody>\n</table>\n";
}

} // namespace

HtmlSection record_section(std::string heading, const Record& record)
{
    HtmlSection section;
    section.heading = std::move(heading);
    Table table;
    table.add_column("field").add_column("value");
    for (const auto& [key, value] : record.fields) {
        // Numbers stay numbers (aligned right); the rest in the reader's words.
        table.add_row({Value(words_of(key)),
                       std::holds_alternative<long long>(value) ? value : Value(person_text(value, key))});
    }
    section.table = std::move(table);
    return section;
}

void write_html(std::ostream& out, const HtmlPage& page)
{
    out << "<!DOCTYPE html>\n<html lang=\"" << i18n::language() << "\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<title>" << util::escape_html(page.title) << "</title>\n<style>\n" << k_html_style << "</style>\n</head>\n<body>\n"
        << "<h1>" << util::escape_html(page.title) << "</h1>\n";
    if (!page.subtitle.empty()) {
        out << "<p class=\"subtitle\">" << util::escape_html(page.subtitle) << "</p>\n";
    }
    for (const auto& section : page.sections) {
        out << "<section>\n";
        if (!section.heading.empty()) {
            out << "<h2>" << util::escape_html(section.heading) << "</h2>\n";
        }
        if (!section.note.empty()) {
            out << "<p class=\"note\">" << util::escape_html(section.note) << "</p>\n";
        }
        for (const auto& bar : section.bars) {
            write_bar(out, bar);
        }
        if (section.table) {
            write_html_table(out, *section.table, section.empty_text);
        }
        out << "</section>\n";
    }
    out << "</body>\n</html>\n";
}

} // namespace credenza::cli::output
