#include <credenza/enrolment/fields.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace credenza::enrolment;

TEST_CASE("dates: ISO and Italian day/month/year forms parse to the same date")
{
    const auto iso = parse_date("2008-03-07");
    REQUIRE(iso);
    CHECK(iso->year == 2008);
    CHECK(iso->month == 3);
    CHECK(iso->day == 7);
    CHECK(parse_date("07/03/2008") == iso);
    CHECK(parse_date("7/3/2008") == iso);
    CHECK(parse_date(" 07/03/2008 ") == iso);
    CHECK(iso->iso() == "2008-03-07");
}

TEST_CASE("dates: only real calendar dates are accepted")
{
    CHECK_FALSE(parse_date("31/04/2010"));
    CHECK(parse_date("30/04/2010"));
    CHECK(parse_date("29/02/2024"));
    CHECK_FALSE(parse_date("29/02/2023"));
    CHECK(parse_date("2000-02-29"));      // divisible by 400
    CHECK_FALSE(parse_date("1900-02-29")); // divisible by 100 only
    CHECK_FALSE(parse_date("2010-13-01"));
    CHECK_FALSE(parse_date("00/01/2010"));
}

TEST_CASE("dates: the year must be between 1900 and 2100")
{
    CHECK(parse_date("01/01/1900"));
    CHECK(parse_date("31/12/2100"));
    CHECK_FALSE(parse_date("31/12/1899"));
    CHECK_FALSE(parse_date("01/01/2101"));
}

TEST_CASE("dates: other shapes are refused")
{
    for (const char* text : {"", "2008-3-7", "07/03/08", "07-03-2008", "2008/03/07", "7.3.2008", "07/03/2008x",
                             "1/2/3/2008", "2008-03-07T00:00", "+7/03/2008"}) {
        CAPTURE(text);
        CHECK_FALSE(parse_date(text));
    }
}

TEST_CASE("dates: the ISO parser accepts exactly YYYY-MM-DD")
{
    CHECK(parse_iso_date("2008-03-07"));
    CHECK_FALSE(parse_iso_date("07/03/2008"));
    CHECK_FALSE(parse_iso_date(" 2008-03-07"));
    CHECK_FALSE(parse_iso_date("2023-02-29"));
}

TEST_CASE("dates: they order by year, month, day")
{
    CHECK(Date{2008, 12, 15} > Date{2008, 11, 23});
    CHECK(Date{2007, 12, 31} < Date{2008, 1, 1});
}

TEST_CASE("dates: today is a real date")
{
    const Date today = Date::today();
    CHECK(parse_iso_date(today.iso()) == today);
}

TEST_CASE("age: whole years, the birthday itself counts")
{
    const Date today{2026, 11, 23};
    CHECK(age_on(Date{2008, 11, 23}, today) == 18);
    CHECK(age_on(Date{2008, 11, 24}, today) == 17);
    CHECK(age_on(Date{2008, 12, 15}, today) == 17);
    CHECK(age_on(Date{2007, 5, 20}, today) == 19);
    CHECK(age_on(Date{2008, 3, 4}, today) == 18);
}

TEST_CASE("age: someone born on 29 February comes of age on 1 March in a non-leap year")
{
    const Date birth{2008, 2, 29};
    CHECK(age_on(birth, Date{2026, 2, 28}) == 17);
    CHECK(age_on(birth, Date{2026, 3, 1}) == 18);
    CHECK(age_on(birth, Date{2028, 2, 29}) == 20);
}

TEST_CASE("e-mail: ordinary addresses are valid")
{
    for (const char* email : {"mario.rossi@example.it", "famiglia.fontana@gmail.com", "a@b.co",
                              "nicolo.dangelo@itisvallauri.edu.it", "o'brien+scuola@mail-server.example.org",
                              "x!#$%&'*+/=?^_`{|}~-@example.it", "MARIO@EXAMPLE.IT"}) {
        CAPTURE(email);
        CHECK(email_problem(email) == "");
    }
}

TEST_CASE("e-mail: two at-signs are refused")
{
    CHECK(email_problem("mario.rossi@@example.it") == "must contain exactly one '@'");
    CHECK(email_problem("mario.rossi.example.it") == "must contain '@'");
}

TEST_CASE("e-mail: spaces, line breaks, control characters and quotes are refused")
{
    CHECK(email_problem("a b@x.it") == "must not contain spaces");
    CHECK(email_problem("ab@x.it\r\nBcc: x@y.it") == "must not contain a line break");
    CHECK(email_problem(std::string("ab\x01@x.it")) == "must not contain control characters");
    CHECK(email_problem("\"mario\"@x.it") == "must not contain quotes");
    CHECK(email_problem("nicolò@example.it") == "must contain only ASCII characters (no accented letters)");
}

TEST_CASE("e-mail: the part before '@' is a dot-atom of at most 64 characters")
{
    CHECK(email_problem("@example.it") == "has nothing before '@'");
    CHECK(email_problem(".mario@example.it") == "the part before '@' must not start or end with a dot");
    CHECK(email_problem("mario.@example.it") == "the part before '@' must not start or end with a dot");
    CHECK(email_problem("mario..rossi@example.it") == "the part before '@' must not contain two dots in a row");
    CHECK(email_problem("mario(casa)@example.it") == "character '(' is not allowed before '@'");
    CHECK(email_problem("ma,rio@example.it") == "character ',' is not allowed before '@'");
    CHECK(email_problem(std::string(64, 'a') + "@example.it") == "");
    CHECK(email_problem(std::string(65, 'a') + "@example.it") == "the part before '@' is longer than 64 characters");
}

TEST_CASE("e-mail: the domain needs a dot and a top-level domain of letters")
{
    CHECK(email_problem("mario@") == "has nothing after '@'");
    CHECK(email_problem("mario@localhost") == "the domain 'localhost' has no dot (as in example.it)");
    CHECK(email_problem("mario@example.i") == "the domain 'example.i' must end with a top-level domain of 2 or more letters");
    CHECK(email_problem("mario@example.123") == "the domain 'example.123' must end with a top-level domain of 2 or more letters");
    CHECK(email_problem("mario@example..it") == "the domain 'example..it' must not contain two dots in a row");
    CHECK(email_problem("mario@.example.it") == "the domain '.example.it' must not start or end with a dot");
    CHECK(email_problem("mario@example.it.") == "the domain 'example.it.' must not start or end with a dot");
    CHECK(email_problem("mario@-example.it") == "the domain part '-example' must not start or end with '-'");
    CHECK(email_problem("mario@example_1.it") == "character '_' is not allowed in the domain");
    CHECK(email_problem("mario@[192.168.1.1]") == "an IP address is not accepted as the domain");
}

TEST_CASE("e-mail: at most 254 characters in all")
{
    const std::string label(60, 'd');
    const std::string domain = label + "." + label + "." + label + "." + label.substr(0, 50) + ".it"; // 236
    const std::string ok = std::string(17, 'a') + "@" + domain;                                   // 254
    REQUIRE(ok.size() == 254);
    CHECK(email_problem(ok) == "");
    CHECK(email_problem("a" + ok) == "is longer than 254 characters");
    CHECK(email_problem("") == "must not be empty");
}

TEST_CASE("class: normalising trims, removes inner spaces and upper-cases")
{
    CHECK(normalise_class(" 1 a ") == "1A");
    CHECK(normalise_class("3ainf") == "3AINF");
    CHECK(normalise_class("\t5 BS") == "5BS");
}

TEST_CASE("class: a year 1-8 then 1 to 6 letters or digits")
{
    for (const char* good : {"1A", "5BS", "3AINF", "8Z", "2ABCDEF", "4A1"}) {
        CAPTURE(good);
        CHECK(class_problem(good) == "");
    }
    CHECK(class_problem("A1") == "'A1' is not a class: a year 1-8 then 1 to 6 letters or digits, as in 1A or 3AINF");
    for (const char* bad : {"0A", "9Z", "1", "1ABCDEFG", "1-A", "1À", "A"}) {
        CAPTURE(bad);
        CHECK(class_problem(bad) != "");
    }
    CHECK(class_problem("11") == "");
    CHECK(class_problem("") == "must not be empty");
}

TEST_CASE("names: Italian names with accents, apostrophes, spaces, hyphens and dots are valid")
{
    for (const char* name : {"D'Angelo", "Pietà", "Nicolò", "Niccolò", "Zoë", "De Luca", "Dell’Orto",
                             "Maria-Luisa", "Gian Maria", "St. John", "Çelik", "Nguyễn", "Ştefan", "Łukasz"}) {
        CAPTURE(name);
        CHECK(name_problem(name) == "");
    }
}

TEST_CASE("names: control characters are refused, with the kind named")
{
    CHECK(name_problem("Anna\tMaria") == "contains a tab character");
    CHECK(name_problem("Rossi\nBianchi") == "contains a line break");
    CHECK(name_problem("Rossi\r") == "contains a line break");
    CHECK(name_problem("Ros\x1bsi") == "contains a control character (U+001B)");
    CHECK(name_problem("Ros\x7fsi") == "contains a control character (U+007F)");
    CHECK(name_problem("Ros\xc2\x81si") == "contains a control character (U+0081)"); // C1
}

TEST_CASE("names: empty, invalid UTF-8, symbols and over-long names are refused")
{
    CHECK(name_problem("") == "must not be empty");
    CHECK(name_problem("   ") == "must not be empty");
    CHECK(name_problem("Piet\xe0") == "is not valid UTF-8 text");
    CHECK(name_problem("Mario2") == "character '2' is not allowed in a name");
    CHECK(name_problem("Mario \"Super\" Rossi") == "character '\"' is not allowed in a name");
    CHECK(name_problem("Rossi@") == "character '@' is not allowed in a name");
    CHECK(name_problem("Ros×si") == "character '×' is not allowed in a name");
    CHECK(name_problem("Ros\xef\xbf\xbdsi") == "character U+FFFD is not allowed in a name");
    CHECK(name_problem("Ros\xc2\xa0si") == "character U+00A0 is not allowed in a name");
    CHECK(name_problem(std::string(100, 'a')) == "");
    CHECK(name_problem(std::string(101, 'a')) == "is longer than 100 characters");
    std::string accented;
    for (int i = 0; i < 100; ++i) {
        accented += "à"; // 100 characters in 200 bytes
    }
    CHECK(name_problem(accented) == "");
    CHECK(name_problem(accented + "à") == "is longer than 100 characters");
    CHECK(name_problem("  " + std::string(100, 'a') + "  ") == "");
    CHECK(name_problem(" " + accented + " ") == "");                         // counted after the trim
    CHECK(name_problem(" " + accented + "\xf0\x9f\x98\x80") != "");           // a 4-byte character: not a letter
    CHECK(name_problem(" " + accented + "e ") == "is longer than 100 characters");
}
