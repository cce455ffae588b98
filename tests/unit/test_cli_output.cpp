#include <doctest/doctest.h>

#include <sstream>

#include <credenza/error.hpp>

#include "cli/output.hpp"

using namespace credenza;
using namespace credenza::cli;

namespace {

std::string records_as(const OutputOptions& options, const std::vector<std::string>& columns,
                       const std::vector<Record>& records)
{
    std::ostringstream out;
    print_records(out, options, columns, records);
    return out.str();
}

OutputOptions with_format(Format format)
{
    OutputOptions options;
    options.format = format;
    return options;
}

const std::vector<Record> k_people = {
    Record().add("class", std::string("1A")).add("pupils", 3LL).add("note", std::string("Dell'Orto, \"Gino\"")),
    Record().add("class", std::string("1B")).add("pupils", 12LL).add("note", std::string("=SUM(A1)")),
};

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

TEST_CASE("cli output: html_escape turns every markup character into an entity")
{
    CHECK(html_escape("<b>\"Tom\" & 'Jerry'</b>") == "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;");
    CHECK(html_escape("Nicolò D’Angelo") == "Nicolò D’Angelo");
}

TEST_CASE("cli output: an html page is self-contained, with every field escaped")
{
    const std::vector<Record> records = {Record().add("name", std::string("<script>alert(1)</script>"))};
    auto options = with_format(Format::html);
    options.title = "A & B";
    const auto page = records_as(options, {"name"}, records);
    CHECK(page.starts_with("<!DOCTYPE html>\n"));
    CHECK(page.find("<meta charset=\"utf-8\">") != std::string::npos);
    CHECK(page.find("<title>A &amp; B</title>") != std::string::npos);
    CHECK(page.find("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>") != std::string::npos);
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("http") == std::string::npos); // no external resource of any kind
    CHECK(page.find("<link") == std::string::npos);
    CHECK(page.ends_with("</html>\n"));
}

TEST_CASE("cli output: html numbers are right-aligned cells and header labels replace the keys")
{
    auto options = with_format(Format::html);
    options.headers = {"Class", "Pupils", "Note"};
    const auto page = records_as(options, {"class", "pupils", "note"}, k_people);
    CHECK(page.find("<th>Class</th><th class=\"number\">Pupils</th><th>Note</th>") != std::string::npos);
    CHECK(page.find("<td class=\"number\">12</td>") != std::string::npos);
    CHECK(page.find("<td>Dell&#39;Orto, &quot;Gino&quot;</td>") != std::string::npos);
}

TEST_CASE("cli output: a bar is filled to its share, rounded, and says its numbers")
{
    HtmlSection section;
    section.heading = "Families";
    section.bars = {{"1A", 3, 5}, {"1B", 0, 0}, {"<2A>", 2, 3}};
    std::ostringstream out;
    print_html(out, {"T", "sub", {section}});
    const auto page = out.str();
    CHECK(page.find("style=\"width: 60%\"></div></div><span class=\"count\">3 of 5 (60%)</span>") != std::string::npos);
    CHECK(page.find("0 of 0 (0%)") != std::string::npos);
    CHECK(page.find("2 of 3 (67%)") != std::string::npos);
    CHECK(page.find("<span class=\"label\">&lt;2A&gt;</span>") != std::string::npos);
    CHECK(page.find("<p class=\"subtitle\">sub</p>") != std::string::npos);
}

TEST_CASE("cli output: an empty html table says so instead of printing an empty grid")
{
    HtmlSection section;
    section.columns = {"a"};
    section.empty_text = "nothing to fix";
    std::ostringstream out;
    print_html(out, {"T", "", {section}});
    CHECK(out.str().find("<p class=\"empty\">nothing to fix</p>") != std::string::npos);
    CHECK(out.str().find("<table>") == std::string::npos);
}

TEST_CASE("cli output: one record as html is a field/value table")
{
    std::ostringstream out;
    print_record(out, with_format(Format::html), Record().add("letters_sent", 4LL));
    CHECK(out.str().find("<tr><td>letters_sent</td><td class=\"number\">4</td></tr>") != std::string::npos);
}

TEST_CASE("cli output: csv quotes what needs it and keeps a leading = as text")
{
    const auto csv = records_as(with_format(Format::csv), {"class", "pupils", "note"}, k_people);
    CHECK(csv == "class,pupils,note\r\n1A,3,\"Dell'Orto, \"\"Gino\"\"\"\r\n1B,12,\"'=SUM(A1)\"\r\n");
}

TEST_CASE("cli output: csv for an Italian Excel has a UTF-8 BOM and ';'")
{
    auto options = with_format(Format::csv);
    options.excel = true;
    const auto csv = records_as(options, {"class", "note"}, k_people);
    CHECK(csv.starts_with("\xEF\xBB\xBF" "class;note\r\n1A;\"Dell'Orto, \"\"Gino\"\"\"\r\n"));
}

TEST_CASE("cli output: json is an array of objects with typed values")
{
    const auto json = records_as(with_format(Format::json), {"class"}, k_people);
    CHECK(json == "[\n {\"class\": \"1A\", \"pupils\": 3, \"note\": \"Dell'Orto, \\\"Gino\\\"\"},\n"
                  " {\"class\": \"1B\", \"pupils\": 12, \"note\": \"=SUM(A1)\"}\n]\n");
    CHECK(records_as(with_format(Format::json), {"class"}, {}) == "[]\n");
}

TEST_CASE("cli output: a table right-aligns numeric columns and uses the header labels")
{
    auto options = with_format(Format::table);
    options.headers = {"class", "n"};
    const auto table = records_as(options, {"class", "pupils"}, k_people);
    CHECK(table == "CLASS   N\n1A      3\n1B     12\n");
}

TEST_CASE("cli output: a table header is bold only when colour is wanted")
{
    auto options = with_format(Format::table);
    CHECK(records_as(options, {"class"}, k_people).find('\x1b') == std::string::npos);
    options.colour = true;
    CHECK(records_as(options, {"class"}, k_people).starts_with("\x1b[1mCLASS\x1b[0m\n"));
}

TEST_CASE("cli output: a table narrower than its text cuts the widest column with an ellipsis")
{
    auto options = with_format(Format::table);
    options.width = 20;
    const auto table = records_as(options, {"class", "note"}, k_people);
    for (const auto& line : {std::string("CLASS  NOTE"), std::string("1A     Dell'Orto,…\n")}) {
        CHECK(table.find(line) != std::string::npos);
    }
}
