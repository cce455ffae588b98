#include <doctest/doctest.h>

#include <credenza/error.hpp>
#include <credenza/table.hpp>

using namespace credenza;

namespace {

Table sample()
{
    Table table;
    table.add_column("code").add_column("kind", "Kind").add_column("tax_code", "", Detail::full).add_column(
        "class", "", Detail::complete);
    table.add_row({Value(std::string("F1")), Value(std::string("family")), Value(std::string("RSSMRA")), Cell()});
    table.add_row({Value(std::string("S1")), Value(std::string("student")), Value(std::string("BNCLRA")),
                   Value(std::string("1A"))});
    return table;
}

} // namespace

TEST_CASE("table: a column is headed by its label, or by its key when it has none")
{
    const auto table = sample();
    CHECK(table.columns()[0].heading() == "code");
    CHECK(table.columns()[1].heading() == "Kind");
}

TEST_CASE("table: a view keeps the columns of that detail and less, in their order")
{
    const auto table = sample();
    const auto brief = table.view(Detail::brief);
    REQUIRE(brief.columns().size() == 2);
    CHECK(brief.columns()[1].key == "kind");
    CHECK(brief.rows()[1] == Row{Value(std::string("S1")), Value(std::string("student"))});
    CHECK(table.view(Detail::full).columns().size() == 3);
    CHECK(table.view(Detail::complete).columns().size() == 4);
}

TEST_CASE("table: find tells a missing field from a null value")
{
    Table table = sample();
    CHECK(table.find(0, "class") == nullptr);
    REQUIRE(table.find(1, "class") != nullptr);
    CHECK(*table.find(1, "class") == Value(std::string("1A")));
    CHECK(table.find(0, "nothing") == nullptr);
    CHECK(table.find(5, "code") == nullptr);
    table = Table().add_column("last_code").add_row({Value()});
    REQUIRE(table.find(0, "last_code") != nullptr);
    CHECK(std::holds_alternative<std::monostate>(*table.find(0, "last_code")));
}

TEST_CASE("table: a row of another width is a bug, and so is a column added after the rows")
{
    Table table;
    table.add_column("a").add_column("b");
    CHECK_THROWS_AS(table.add_row({number(1)}), Error);
    table.add_row({number(1), number(2)});
    CHECK_THROWS_AS(table.add_column("c"), Error);
    CHECK(table.rows().size() == 1);
}

TEST_CASE("table: the text of a value: empty for null, yes/no, lists joined with a space")
{
    CHECK(to_text(Value()) == "");
    CHECK(to_text(Value(true)) == "yes");
    CHECK(to_text(Value(false)) == "no");
    CHECK(to_text(number(-3)) == "-3");
    CHECK(to_text(Value(std::vector<std::string>{"1A", "2B"})) == "1A 2B");
}

TEST_CASE("table: a record keeps its fields in order and finds them by key")
{
    const auto record = Record().add("b", 1LL).add("a", std::string("x"));
    CHECK(record.fields[0].first == "b");
    REQUIRE(record.find("a") != nullptr);
    CHECK(*record.find("a") == Value(std::string("x")));
    CHECK(record.find("c") == nullptr);
}
