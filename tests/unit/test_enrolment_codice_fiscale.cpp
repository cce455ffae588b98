#include <credenza/enrolment/codice_fiscale.hpp>

#include <doctest/doctest.h>

using namespace credenza::enrolment;

TEST_CASE("codice fiscale: the classic example RSSMRA80A01H501U is valid")
{
    CHECK(codice_fiscale_problem("RSSMRA80A01H501U") == "");
}

TEST_CASE("codice fiscale: codes computed for the sample data are valid")
{
    for (const char* code : {"DNGNCL11C14H501W", "RNLZOE11H62D742T", "PTIMME11T41F839M", "CSTGRL08T15D742Y",
                             "PPSNDR08A20Z129Y", "RSSMRA80A41H501Y"}) {
        CAPTURE(code);
        CHECK(codice_fiscale_problem(code) == "");
    }
}

TEST_CASE("codice fiscale: a wrong check character names the right one")
{
    CHECK(codice_fiscale_problem("RSSMRA80A01H501A") == "check character should be 'U'");
    CHECK(codice_fiscale_problem("RSSMRA80A41H501U") == "check character should be 'Y'");
}

TEST_CASE("codice fiscale: a code that is not 16 characters long says how long it is")
{
    CHECK(codice_fiscale_problem("RSSMRA80A01H501") == "must be 16 characters (found 15)");
    CHECK(codice_fiscale_problem("RSSMRA80A01H501UU") == "must be 16 characters (found 17)");
    CHECK(codice_fiscale_problem("") == "must not be empty");
}

TEST_CASE("codice fiscale: letters and digits must be in their places")
{
    CHECK(codice_fiscale_problem("RSSMR480A01H501U") == "character 6 must be a letter (found '4')");
    CHECK(codice_fiscale_problem("RSSMRA8AA01H501U") == "character 8 must be a digit (found 'A')");
    CHECK(codice_fiscale_problem("RSSMRA80A01H5-1U") == "character 14 must be a digit (found '-')");
    CHECK(codice_fiscale_problem("rssmra80a01h501u") == "character 1 must be a letter (found 'r')");
}

TEST_CASE("codice fiscale: a month letter outside ABCDEHLMPRST is refused")
{
    CHECK(codice_fiscale_problem("RSSMRA80Z01H501Q") == "month letter 'Z' is not a month");
}

TEST_CASE("codice fiscale: a day outside 1-31 and 41-71 is refused")
{
    CHECK(codice_fiscale_problem("RSSMRA80A35H501K") == "day 35 is not a valid day");
    CHECK(codice_fiscale_problem("RSSMRA80A72H501G") == "day 72 is not a valid day");
    CHECK(codice_fiscale_problem("RSSMRA80A00H501V") == "day 0 is not a valid day");
}

TEST_CASE("codice fiscale: the day must exist in its month")
{
    CHECK(codice_fiscale_problem("RSSMRA80D31H501D") == "day 31 is not a valid day in April");
    CHECK(codice_fiscale_problem("RSSMRA80D30H501E") == "");
    CHECK(codice_fiscale_problem("RSSMRA80B29H501Q") == "");     // 1980 was a leap year
    CHECK(codice_fiscale_problem("RSSMRA81B29H501R") == "day 29 is not a valid day in February");
}

TEST_CASE("codice fiscale: a female code carries the day plus 40 and decodes it")
{
    const auto birth = codice_fiscale_birth("RSSMRA80A41H501Y");
    REQUIRE(birth);
    CHECK(birth->female);
    CHECK(birth->day == 1);
    CHECK(birth->month == 1);
    CHECK(birth->year_two_digits == 80);
}

TEST_CASE("codice fiscale: a male code decodes year, month and day")
{
    const auto birth = codice_fiscale_birth("CSTGRL08T15D742Y");
    REQUIRE(birth);
    CHECK_FALSE(birth->female);
    CHECK(birth->year_two_digits == 8);
    CHECK(birth->month == 12);
    CHECK(birth->day == 15);
}

TEST_CASE("codice fiscale: an omocodia code with letters in the digit places is valid")
{
    for (const char* code : {"RSSMRA80A01H50MM", "RSSMRA80A01H5LMX", "RSSMRA80A01HRLMS", "RSSMRA80A0MHRLMK",
                             "RSSMRA80ALMHRLMV", "RSSMRA8LALMHRLMG", "RSSMRAULALMHRLMD"}) {
        CAPTURE(code);
        CHECK(codice_fiscale_problem(code) == "");
        const auto birth = codice_fiscale_birth(code);
        REQUIRE(birth);
        CHECK(birth->year_two_digits == 80);
        CHECK(birth->month == 1);
        CHECK(birth->day == 1);
        CHECK_FALSE(birth->female);
    }
}

TEST_CASE("codice fiscale: an omocodia code decodes a female day and a leap day")
{
    const auto birth = codice_fiscale_birth("BNCGLI11B68ZMNVY"); // 28 February 2011, born abroad
    REQUIRE(birth);
    CHECK(birth->female);
    CHECK(birth->day == 28);
    CHECK(birth->month == 2);
    CHECK(birth->year_two_digits == 11);
}

TEST_CASE("codice fiscale: an omocodia code keeps its own check character")
{
    // The check character of the plain code does not fit the substituted one.
    CHECK(codice_fiscale_problem("RSSMRA80A01H50MU") == "check character should be 'M'");
    // Only L M N P Q R S T U V stand for digits.
    CHECK(codice_fiscale_problem("RSSMRA80A01H50AM") == "character 15 must be a digit (found 'A')");
}

TEST_CASE("codice fiscale: an invalid code has no birth data")
{
    CHECK_FALSE(codice_fiscale_birth("RSSMRA80A01H501A"));
    CHECK_FALSE(codice_fiscale_birth("RSSMRA80A01H501"));
}

TEST_CASE("codice fiscale: normalising trims and upper-cases")
{
    CHECK(normalise_codice_fiscale("  rssmra80a01h501u\t") == "RSSMRA80A01H501U");
    CHECK(codice_fiscale_problem(normalise_codice_fiscale(" rssmra80a01h50mm ")) == "");
    CHECK(normalise_codice_fiscale("   ") == "");
}

TEST_CASE("codice fiscale: normalising in place replaces what the string held, longer or shorter")
{
    std::string code = "a previous value much longer than any codice fiscale";
    normalise_codice_fiscale(" \trssmra80a01h501u ", code);
    CHECK(code == "RSSMRA80A01H501U");
    normalise_codice_fiscale("ab\t", code); // shorter: nothing of the old value is left
    CHECK(code == "AB");
    normalise_codice_fiscale(" \t ", code); // blank: empty
    CHECK(code.empty());
    normalise_codice_fiscale("x y", code); // inner blanks and non-letters are kept as they are
    CHECK(code == "X Y");
    normalise_codice_fiscale("\xC3\xA0" "b", code); // UTF-8 bytes are not letters a-z: kept
    CHECK(code == "\xC3\xA0" "B");
}
