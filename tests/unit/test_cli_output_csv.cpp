#include <doctest/doctest.h>

#include <sstream>

#include "cli/output/csv.hpp"
#include "output_fixtures.hpp"

using namespace credenza;
using namespace credenza::cli::output;

namespace {

std::string csv_of(const Table& table, bool excel = false)
{
    std::ostringstream out;
    write_csv(out, table, excel);
    return out.str();
}

} // namespace

TEST_CASE("cli output csv: quotes what needs it and keeps a leading = as text")
{
    CHECK(csv_of(testing::people_table()) ==
          "class,pupils,note\r\n1A,3,\"Dell'Orto, \"\"Gino\"\"\"\r\n1B,12,\"'=SUM(A1)\"\r\n");
}

TEST_CASE("cli output csv: for an Italian Excel it has a UTF-8 BOM and semicolons")
{
    // For Excel a person reads the headings: the labels, in words.
    CHECK(csv_of(testing::people_table(), true)
              .starts_with("\xEF\xBB\xBF" "class;n;note\r\n1A;3;\"Dell'Orto, \"\"Gino\"\"\"\r\n"));
}

TEST_CASE("cli output csv: the header is the column keys, never the labels, for Excel the labels in words")
{
    Table table;
    table.add_column("without_address", "no_address");
    CHECK(csv_of(table) == "without_address\r\n");
    CHECK(csv_of(table, true) == "\xEF\xBB\xBF" "no address\r\n");
}

TEST_CASE("cli output csv: a field with a line break, a leading space or the delimiter is quoted")
{
    CHECK(csv_field("a\nb", ',') == "\"a\nb\"");
    CHECK(csv_field(" a", ',') == "\" a\"");
    CHECK(csv_field("a;b", ';') == "\"a;b\"");
    CHECK(csv_field("a;b", ',') == "a;b");
    CHECK(csv_field("-1", ',') == "\"'-1\"");
    CHECK(csv_field("@home", ',') == "\"'@home\"");
}

TEST_CASE("cli output csv: a null, a missing field and a list are plain text cells")
{
    Table table;
    table.add_column("a").add_column("b").add_column("c").add_column("d");
    table.add_row({Value(), Cell(), Value(std::vector<std::string>{"1A", "2B"}), Value(false)});
    CHECK(csv_of(table) == "a,b,c,d\r\n,,1A 2B,no\r\n");
}

TEST_CASE("cli output csv: one record is a field,value table")
{
    std::ostringstream out;
    write_csv(out, Record().add("letters_sent", 4LL).add("note", std::string("a,b")), false);
    CHECK(out.str() == "field,value\r\nletters_sent,4\r\nnote,\"a,b\"\r\n");
}
