#include <doctest/doctest.h>

#include <sstream>

#include "cli/output/json.hpp"
#include "output_fixtures.hpp"

using namespace credenza;
using namespace credenza::cli::output;

namespace {

std::string written(const Json& document)
{
    std::ostringstream out;
    write_json(out, document);
    return out.str();
}

} // namespace

TEST_CASE("cli output json: a table is an array of objects with typed values, keys in column order")
{
    const auto json = to_json(testing::people_table());
    REQUIRE(json.is_array());
    REQUIRE(json.size() == 2);
    CHECK(json[0].dump() == R"({"class":"1A","pupils":3,"note":"Dell'Orto, \"Gino\""})");
    CHECK(json[1]["pupils"] == 12);
    CHECK(written(to_json(Table().add_column("a"))) == "[]\n");
}

TEST_CASE("cli output json: null, booleans and lists keep their type, a missing field is left out")
{
    Table table;
    table.add_column("code").add_column("ok").add_column("classes").add_column("class");
    table.add_row({Value(), Value(true), Value(std::vector<std::string>{"1A", "2B"}), Cell()});
    CHECK(to_json(table)[0].dump() == R"({"code":null,"ok":true,"classes":["1A","2B"]})");
}

TEST_CASE("cli output json: a record is one object, the text reads back as it was written")
{
    const auto record = Record().add("user_code", std::string("F1")).add("status", std::string("disabled"));
    const auto text = written(to_json(record));
    CHECK(text.find("\"status\": \"disabled\"") != std::string::npos);
    CHECK(text.ends_with("}\n"));
    CHECK(Json::parse(text) == to_json(record));
}

TEST_CASE("cli output json: control characters are escaped and bad UTF-8 never throws")
{
    const auto text = written(to_json(Value(std::string("a\tb\x01\xff"))));
    CHECK(text == "\"a\\tb\\u0001\xEF\xBF\xBD\"\n");
}
