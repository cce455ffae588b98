#include "cli/output.hpp"

#include <cstdlib>
#include <ostream>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <credenza/error.hpp>

#include "cli/output/csv.hpp"
#include "cli/output/html.hpp"
#include "cli/output/json.hpp"
#include "cli/output/table.hpp"
#include "lib/i18n/gettext.hpp"

namespace credenza::cli {

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
    throw Error(ErrorCode::usage, i18n::format(_fmt("unknown format '{}': use table, csv, json or html"), name));
}

void print_table(std::ostream& out, const OutputOptions& options, Table table)
{
    // Each view moves the cells: a listing of 100,000 accounts is not copied once more to be printed.
    switch (options.format) {
    case Format::html: {
        output::HtmlSection section;
        section.table = std::move(table).view(Detail::full);
        output::write_html(out, {options.title, "", {section}});
        return;
    }
    case Format::json:
        output::write_json(out, output::to_json(table));
        return;
    case Format::csv:
        output::write_csv(out, std::move(table).view(Detail::full), options.excel);
        return;
    case Format::table:
        output::write_table(out, std::move(table).view(Detail::brief), {options.width, options.colour});
        return;
    }
}

void print_rows(std::ostream& out, const OutputOptions& options, Table columns,
                const std::function<void(const RowSink&)>& produce)
{
    if (options.format == Format::csv) {
        // The file's columns (Detail::full), as print_table's view of the whole table keeps them.
        std::vector<std::size_t> kept;
        for (std::size_t c = 0; c < columns.columns().size(); ++c) {
            if (columns.columns()[c].detail <= Detail::full) {
                kept.push_back(c);
            }
        }
        const Table shown = columns.view(Detail::full);
        output::write_csv_header(out, shown, options.excel);
        if (kept.size() == columns.columns().size()) {
            produce([&](Row&& row) { output::write_csv_row(out, shown, row, options.excel); });
            return;
        }
        Row cells;
        produce([&](Row&& row) {
            cells.clear();
            for (const auto c : kept) {
                cells.push_back(std::move(row[c]));
            }
            output::write_csv_row(out, shown, cells, options.excel);
        });
        return;
    }
    if (options.format == Format::json) {
        output::JsonRowWriter writer(out, columns);
        produce([&](Row&& row) { writer.row(row); });
        writer.end();
        return;
    }
    produce([&](Row&& row) { columns.add_row(std::move(row)); });
    print_table(out, options, std::move(columns));
}

void print_record(std::ostream& out, const OutputOptions& options, const Record& record)
{
    switch (options.format) {
    case Format::html:
        output::write_html(out, {options.title, "", {output::record_section("", record)}});
        return;
    case Format::json:
        output::write_json(out, output::to_json(record));
        return;
    case Format::csv:
        output::write_csv(out, record, options.excel);
        return;
    case Format::table:
        output::write_record(out, record);
        return;
    }
}

bool colour_wanted()
{
    const char* no_colour = std::getenv("NO_COLOR");
    return ::isatty(STDOUT_FILENO) && (no_colour == nullptr || *no_colour == '\0');
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
