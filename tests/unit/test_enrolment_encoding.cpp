#include <doctest/doctest.h>

#include <credenza/enrolment/csv_reader.hpp>
#include <credenza/util/text.hpp>

using credenza::enrolment::windows1252_to_utf8;

TEST_CASE("encoding: Windows-1252 accented letters of Italian names become their UTF-8 letters")
{
    CHECK(windows1252_to_utf8("Nicol\xF2 Citr\xF2") == "Nicolò Citrò");
    CHECK(windows1252_to_utf8("Pietr\xE0 \xC8") == "Pietrà È");
    CHECK(windows1252_to_utf8("plain ASCII, 1;2") == "plain ASCII, 1;2");
}

TEST_CASE("encoding: the 0x80-0x9F block follows Windows-1252, not Latin-1")
{
    CHECK(windows1252_to_utf8("\x80") == "€");
    CHECK(windows1252_to_utf8("D\x92" "Angelo") == "D’Angelo");
    CHECK(windows1252_to_utf8("\x8A\x9E") == "Šž");
}

TEST_CASE("encoding: bytes Windows-1252 leaves undefined keep their C1 code point, so name checks refuse them")
{
    const std::string converted = windows1252_to_utf8("a\x81z");
    CHECK(credenza::util::is_valid_utf8(converted));
    CHECK(converted == "a\xC2\x81z");
}

TEST_CASE("encoding: any byte string converts to valid UTF-8")
{
    std::string every_byte;
    for (int byte = 1; byte < 256; ++byte) {
        every_byte += static_cast<char>(byte);
    }
    CHECK(credenza::util::is_valid_utf8(windows1252_to_utf8(every_byte)));
}
