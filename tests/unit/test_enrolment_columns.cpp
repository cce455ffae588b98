#include <doctest/doctest.h>

#include <algorithm>

#include <credenza/enrolment/columns.hpp>

using namespace credenza::enrolment;

namespace {

const std::vector<std::string> k_canonical{"student_tax_code", "student_surname", "student_name", "birth_date",
                                           "class",            "guardian1_tax_code", "guardian1_surname",
                                           "guardian1_name",   "guardian1_email"};

} // namespace

TEST_CASE("columns: canonical field names read back as themselves, with the guardian's number")
{
    const auto ref = parse_field_name("guardian2_email");
    REQUIRE(ref.has_value());
    CHECK(ref->field == Field::guardian_email);
    CHECK(ref->guardian == 2);
    CHECK(field_name(*ref) == "guardian2_email");
    CHECK_FALSE(parse_field_name("guardian_email").has_value());
    CHECK_FALSE(parse_field_name("shoe_size").has_value());
}

TEST_CASE("columns: the Italian headers of a register's export are recognised")
{
    CHECK(recognise_header("Codice Fiscale") == FieldRef{Field::student_tax_code, 0});
    CHECK(recognise_header("Data di nascita") == FieldRef{Field::birth_date, 0});
    CHECK(recognise_header("Codice Fiscale Genitore 1") == FieldRef{Field::guardian_tax_code, 1});
    CHECK_FALSE(recognise_header("Note").has_value());
}

TEST_CASE("columns: a file with the canonical headers maps every column and has one guardian")
{
    std::vector<std::string> problems;
    const auto map = map_columns(k_canonical, {}, problems);
    CHECK(problems.empty());
    CHECK(map.guardians == 1);
    CHECK(map.ignored.empty());
    CHECK(map.column_of({Field::birth_date, 0}) == 3u);
}

TEST_CASE("columns: a missing required column is a problem naming the field")
{
    std::vector<std::string> headers = k_canonical;
    headers.erase(headers.begin() + 3); // birth_date
    std::vector<std::string> problems;
    map_columns(headers, {}, problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().find("birth_date") != std::string::npos);
}

TEST_CASE("columns: --map names a column for a field, and a column it names must be in the file")
{
    std::vector<std::string> headers = k_canonical;
    headers[3] = "Nato il";
    std::vector<std::string> problems;
    const auto map = map_columns(headers, {{"Nato il", "birth_date"}, {"assente", "student_email"}}, problems);
    CHECK(map.column_of({Field::birth_date, 0}) == 3u);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().find("assente") != std::string::npos);
}

TEST_CASE("columns: a column given twice is a problem, and unknown headers are listed as ignored")
{
    std::vector<std::string> headers = k_canonical;
    headers.push_back("Codice Fiscale"); // student_tax_code again
    headers.push_back("Note");
    std::vector<std::string> problems;
    const auto map = map_columns(headers, {}, problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().find("given twice") != std::string::npos);
    CHECK(std::find(map.ignored.begin(), map.ignored.end(), "Note") != map.ignored.end());
}
