#include <doctest/doctest.h>

#include <sstream>

#include "cli/output/html.hpp"
#include "output_fixtures.hpp"

using namespace credenza;
using namespace credenza::cli::output;

namespace {

std::string page_of(const HtmlPage& page)
{
    std::ostringstream out;
    write_html(out, page);
    return out.str();
}

HtmlSection table_section(Table table)
{
    HtmlSection section;
    section.table = std::move(table);
    return section;
}

} // namespace

TEST_CASE("cli output html: a page is self-contained, with every field escaped")
{
    Table table;
    table.add_column("name").add_row({Value(std::string("<script>alert(1)</script>"))});
    const auto page = page_of({"A & B", "", {table_section(table)}});
    CHECK(page.starts_with("<!DOCTYPE html>\n"));
    CHECK(page.find("<meta charset=\"utf-8\">") != std::string::npos);
    CHECK(page.find("<title>A &amp; B</title>") != std::string::npos);
    CHECK(page.find("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>") != std::string::npos);
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("http") == std::string::npos); // no external resource of any kind
    CHECK(page.find("<link") == std::string::npos);
    CHECK(page.ends_with("</html>\n"));
}

TEST_CASE("cli output html: numbers are right-aligned cells and the labels head the columns")
{
    const auto page = page_of({"T", "", {table_section(testing::people_table())}});
    CHECK(page.find("<th>class</th><th class=\"number\">n</th><th>note</th>") != std::string::npos);
    CHECK(page.find("<td class=\"number\">12</td>") != std::string::npos);
    CHECK(page.find("<td>Dell&#39;Orto, &quot;Gino&quot;</td>") != std::string::npos);
}

TEST_CASE("cli output html: a bar is filled to its share, rounded, and says its numbers")
{
    HtmlSection section;
    section.heading = "Families";
    section.bars = {{"1A", 3, 5}, {"1B", 0, 0}, {"<2A>", 2, 3}};
    const auto page = page_of({"T", "sub", {section}});
    CHECK(page.find("style=\"width: 60%\"></div></div><span class=\"count\">3 of 5 (60%)</span>") != std::string::npos);
    CHECK(page.find("0 of 0 (0%)") != std::string::npos);
    CHECK(page.find("2 of 3 (67%)") != std::string::npos);
    CHECK(page.find("<span class=\"label\">&lt;2A&gt;</span>") != std::string::npos);
    CHECK(page.find("<p class=\"subtitle\">sub</p>") != std::string::npos);
    CHECK(page.find("<table>") == std::string::npos);
}

TEST_CASE("cli output html: an empty table says so instead of printing an empty grid")
{
    auto section = table_section(Table().add_column("a"));
    section.empty_text = "nothing to fix";
    const auto page = page_of({"T", "", {section}});
    CHECK(page.find("<p class=\"empty\">nothing to fix</p>") != std::string::npos);
    CHECK(page.find("<table>") == std::string::npos);
}

TEST_CASE("cli output html: a record section is a field/value table under its heading")
{
    const auto page = page_of({"T", "", {record_section("Counts", Record().add("letters_sent", 4LL))}});
    CHECK(page.find("<h2>Counts</h2>") != std::string::npos);
    CHECK(page.find("<th>field</th><th class=\"number\">value</th>") != std::string::npos);
    CHECK(page.find("<tr><td>letters sent</td><td class=\"number\">4</td></tr>") != std::string::npos);
}
