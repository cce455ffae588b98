#include <doctest/doctest.h>

#include <sstream>

#include "cli/output/table.hpp"
#include "output_fixtures.hpp"

using namespace credenza;
using namespace credenza::cli::output;

namespace {

std::string table_of(const Table& table, TableStyle style = {})
{
    std::ostringstream out;
    write_table(out, table, style);
    return out.str();
}

} // namespace

TEST_CASE("cli output table: numeric columns are right-aligned and headed by their labels")
{
    CHECK(table_of(testing::people_table().view(Detail::brief)) == "CLASS   N\n1A      3\n1B     12\n");
}

TEST_CASE("cli output table: the header is bold only when colour is wanted")
{
    const auto people = testing::people_table().view(Detail::brief);
    CHECK(table_of(people).find('\x1b') == std::string::npos);
    CHECK(table_of(people, {0, true}).starts_with("\x1b[1mCLASS   N\x1b[0m\n"));
}

TEST_CASE("cli output table: narrower than its text, the widest column is cut with an ellipsis")
{
    Table table = testing::people_table();
    table = Table(table).view(Detail::full);
    const auto text = table_of(table, {20, false});
    CHECK(text.find("CLASS   N  NOTE") != std::string::npos);
    CHECK(text.find("1A      3  Dell'Or…\n") != std::string::npos);
}

TEST_CASE("cli output table: a column with a missing or text value is not numeric")
{
    Table table;
    table.add_column("a").add_column("b");
    table.add_row({number(1), number(2)}).add_row({Cell(), number(30)});
    CHECK(numeric_columns(table) == std::vector<bool>{false, true});
    CHECK(table_of(table) == "A   B\n1   2\n   30\n");
    CHECK(numeric_columns(Table().add_column("a")) == std::vector<bool>{false});
}

TEST_CASE("cli output table: accented letters count as one column")
{
    Table table;
    table.add_column("name").add_column("n");
    table.add_row({Value(std::string("Nicolò")), number(1)});
    CHECK(table_of(table) == "NAME    N\nNicolò  1\n");
}

TEST_CASE("cli output table: one record is key: value lines aligned on the longest key")
{
    std::ostringstream out;
    write_record(out, Record().add("a", 1LL).add("longer", std::vector<std::string>{"x", "y"}));
    CHECK(out.str() == "a:       1\nlonger:  x y\n");
}
