#include <doctest/doctest.h>

#include <sstream>

#include <credenza/error.hpp>

#include "cli/output.hpp"
#include "output_fixtures.hpp"

using namespace credenza;
using namespace credenza::cli;

namespace {

std::string table_as(Format format, const Table& table)
{
    OutputOptions options;
    options.format = format;
    std::ostringstream out;
    print_table(out, options, table);
    return out.str();
}

} // namespace

TEST_CASE("cli output: html is the fifth format, anything else a usage error")
{
    CHECK(parse_format("html") == Format::html);
    CHECK(parse_format("csv") == Format::csv);
    try {
        parse_format("xml");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::usage);
    }
}

TEST_CASE("cli output: a terminal table shows the brief columns, csv and html the full ones")
{
    const auto people = testing::people_table();
    CHECK(table_as(Format::table, people) == "CLASS   N\n1A      3\n1B     12\n");
    CHECK(table_as(Format::csv, people).starts_with("class,pupils,note\r\n"));
    CHECK(table_as(Format::html, people).find("<th>Class</th>") == std::string::npos);
    CHECK(table_as(Format::html, people).find("<th>class</th><th class=\"number\">n</th><th>note</th>") !=
          std::string::npos);
}

TEST_CASE("cli output: json gives every field a row has, whatever its detail")
{
    Table table;
    table.add_column("a").add_column("b", "", Detail::complete);
    table.add_row({number(1), Value(true)}).add_row({number(2), Cell()});
    const auto json = table_as(Format::json, table);
    CHECK(json.find("\"b\": true") != std::string::npos);
    CHECK(json.find("\"b\"", json.find("\"b\": true") + 1) == std::string::npos); // the second row has none
}

TEST_CASE("cli output: one record as html is a field/value table")
{
    OutputOptions options;
    options.format = Format::html;
    std::ostringstream out;
    print_record(out, options, Record().add("letters_sent", 4LL));
    // The head teacher's page names a field in words, not by its key.
    CHECK(out.str().find("<tr><td>letters sent</td><td class=\"number\">4</td></tr>") != std::string::npos);
}

TEST_CASE("cli output: one record as a table is aligned key: value lines")
{
    OutputOptions options;
    std::ostringstream out;
    print_record(out, options, Record().add("pupils_active", 12LL).add("kind", std::string("family")));
    CHECK(out.str() == "pupils_active:  12\nkind:           family\n");
}

namespace {

// print_rows with the rows of `table` handed over one at a time.
std::string rows_as(Format format, const Table& table, bool excel = false)
{
    OutputOptions options;
    options.format = format;
    options.excel = excel;
    Table columns;
    for (const auto& column : table.columns()) {
        columns.add_column(column.key, column.label, column.detail);
    }
    std::ostringstream out;
    print_rows(out, options, columns, [&](const RowSink& sink) {
        for (const auto& row : table.rows()) {
            sink(Row(row));
        }
    });
    return out.str();
}

} // namespace

TEST_CASE("cli output: rows printed as they come are the bytes of the whole table, in every format")
{
    // A full column, a complete one (JSON only) with a null and a list, quotes, a formula, a newline.
    Table table;
    table.add_column("class").add_column("pupils", "n").add_column("note", "", Detail::full).add_column(
        "adult", "", Detail::complete);
    table.add_row({Value(std::string("1A")), number(3), Value(std::string("Dell'Orto, \"Gino\"")), Cell()});
    table.add_row({Value(std::string("1B")), number(12), Value(std::string("=SUM(A1)\nx")), Value(true)});
    table.add_row({Value(std::string("2A")), Cell(), Value(std::vector<std::string>{"a", "b"}), Value(false)});
    for (const auto format : {Format::csv, Format::json, Format::table, Format::html}) {
        INFO("format " << static_cast<int>(format));
        CHECK(rows_as(format, table) == table_as(format, table));
        Table none;
        for (const auto& column : table.columns()) {
            none.add_column(column.key, column.label, column.detail);
        }
        CHECK(rows_as(format, none) == table_as(format, none));
    }
    OutputOptions excel;
    excel.format = Format::csv;
    excel.excel = true;
    std::ostringstream whole;
    print_table(whole, excel, table);
    CHECK(rows_as(Format::csv, table, true) == whole.str());
    CHECK(rows_as(Format::json, table).find("\"adult\": true") != std::string::npos);
    CHECK(rows_as(Format::json, Table()) == "[]\n");
}
