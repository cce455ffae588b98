#include <credenza/mail/mime.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace credenza::mail;

namespace mail_test {
std::string decode_header(std::string_view value);          // test_mail_decode.cpp
std::string decode_quoted_printable(std::string_view text); // test_mail_decode.cpp
} // namespace mail_test

namespace {

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (auto end = text.find("\r\n"); end != std::string::npos; end = text.find("\r\n", start)) {
        lines.push_back(text.substr(start, end - start));
        start = end + 2;
    }
    lines.push_back(text.substr(start));
    return lines;
}

bool has_bare_line_feed_or_return(const std::string& text)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
            return true;
        }
        if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST_CASE("mime: a subject with an en dash becomes encoded words that decode back to it")
{
    const std::string subject = "Credenziali di accesso – registro elettronico";
    const std::string encoded = encode_header_text(subject);
    CHECK(encoded.starts_with("=?UTF-8?"));
    for (const char byte : encoded) {
        CHECK(static_cast<unsigned char>(byte) < 0x80);
        CHECK(static_cast<unsigned char>(byte) >= 0x20);
    }
    CHECK(mail_test::decode_header(encoded) == subject);
}

TEST_CASE("mime: a long accented subject is split into words of whole characters, each short enough")
{
    std::string subject;
    for (int i = 0; i < 12; ++i) {
        subject += "Perché è già più così ";
    }
    const std::string encoded = encode_header_text(subject);
    CHECK(encoded.find(' ') != std::string::npos); // more than one word
    std::size_t start = 0;
    while (start < encoded.size()) {
        auto end = encoded.find(' ', start);
        if (end == std::string::npos) {
            end = encoded.size();
        }
        CHECK(end - start <= 66);
        start = end + 1;
    }
    CHECK(mail_test::decode_header(encoded) == subject);
}

TEST_CASE("mime: mostly non-Latin text is encoded as base64 words that decode back")
{
    const std::string subject = "Учетные данные для электронного журнала";
    const std::string encoded = encode_header_text(subject);
    CHECK(encoded.starts_with("=?UTF-8?B?"));
    CHECK(mail_test::decode_header(encoded) == subject);
}

TEST_CASE("mime: a plain ASCII subject is left untouched")
{
    CHECK(encode_header_text("Credentials for the electronic register") == "Credentials for the electronic register");
}

TEST_CASE("mime: ASCII text that looks like an encoded word is encoded, so it reads back literally")
{
    const std::string tricky = "=?UTF-8?Q?x?= note";
    const std::string encoded = encode_header_text(tricky);
    CHECK(encoded != tricky);
    CHECK(mail_test::decode_header(encoded) == tricky);
}

TEST_CASE("mime: quoted-printable keeps every line of a long accented text within 76 characters")
{
    std::string text;
    for (int i = 0; i < 20; ++i) {
        text += "àèéìòù perché già ";
    }
    text += "\nseconda riga\n";
    const std::string encoded = quoted_printable(text);
    for (const auto& line : lines_of(encoded)) {
        CHECK(line.size() <= 76);
    }
    CHECK_FALSE(has_bare_line_feed_or_return(encoded));
    CHECK(mail_test::decode_quoted_printable(encoded) == to_crlf(text));
}

TEST_CASE("mime: quoted-printable never splits a UTF-8 character across a soft break")
{
    // Shift the accented letters against the break at every offset.
    for (int shift = 0; shift < 8; ++shift) {
        const std::string text = std::string(static_cast<std::size_t>(70 + shift), 'a') + "ààààà";
        const std::string encoded = quoted_printable(text);
        for (const auto& line : lines_of(encoded)) {
            CHECK(line.size() <= 76);
            // A line ending in the middle of "=C3=A0" would end in "=C3" before the soft break.
            CHECK_FALSE(line.ends_with("=C3="));
        }
        CHECK(mail_test::decode_quoted_printable(encoded) == text);
    }
}

TEST_CASE("mime: quoted-printable encodes '=' and whitespace before a line end")
{
    CHECK(quoted_printable("a=b") == "a=3Db");
    CHECK(quoted_printable("end \nnext\t\nlast ") == "end=20\r\nnext=09\r\nlast=20");
    CHECK(quoted_printable("in between stays") == "in between stays");
}

TEST_CASE("mime: quoted-printable turns LF, CRLF and bare CR into CRLF")
{
    CHECK(quoted_printable("a\nb\r\nc\rd\n") == "a\r\nb\r\nc\r\nd\r\n");
    CHECK(quoted_printable("") == "");
    CHECK(quoted_printable("\n\n") == "\r\n\r\n");
}

TEST_CASE("mime: a 76-character line stays whole and a 77-character one gets a soft break")
{
    CHECK(quoted_printable(std::string(76, 'x')) == std::string(76, 'x'));
    CHECK(quoted_printable(std::string(77, 'x')) == std::string(75, 'x') + "=\r\nxx");
}

TEST_CASE("mime: to_crlf normalises every kind of line end")
{
    CHECK(to_crlf("a\nb\r\nc\rd") == "a\r\nb\r\nc\r\nd");
    CHECK(to_crlf("\r\r\n\n") == "\r\n\r\n\r\n");
}
