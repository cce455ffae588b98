// Decoders for the mail tests (test_mail_mime.cpp, test_mail_message.cpp): they read back what
// the encoders wrote, written independently of them. Declared where used.

#include <doctest/doctest.h>
#include <sodium.h>

#include <string>
#include <string_view>

namespace mail_test {

namespace {

int hex_value(char digit)
{
    if (digit >= '0' && digit <= '9') {
        return digit - '0';
    }
    if (digit >= 'A' && digit <= 'F') {
        return digit - 'A' + 10;
    }
    FAIL("not an upper-case hex digit: ", digit);
    return 0;
}

} // namespace

// RFC 2047: a header value made of encoded words (and plain text), whitespace between two
// encoded words dropped, folding (CRLF + space) undone.
std::string decode_header(std::string_view value)
{
    std::string unfolded;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value.substr(i, 2) == "\r\n") {
            ++i;
            continue;
        }
        unfolded += value[i];
    }
    std::string out;
    std::string pending_space;
    bool previous_was_word = false;
    std::size_t position = 0;
    while (position < unfolded.size()) {
        if (unfolded.compare(position, 2, "=?") == 0) {
            const auto charset_end = unfolded.find('?', position + 2);
            REQUIRE(charset_end != std::string::npos);
            CHECK(unfolded.substr(position + 2, charset_end - position - 2) == "UTF-8");
            const char encoding = unfolded[charset_end + 1];
            const auto text_start = charset_end + 3;
            const auto end = unfolded.find("?=", text_start);
            REQUIRE(end != std::string::npos);
            const std::string text = unfolded.substr(text_start, end - text_start);
            CHECK(end + 2 - position <= 75);
            if (!previous_was_word) {
                out += pending_space;
            }
            pending_space.clear();
            if (encoding == 'Q') {
                for (std::size_t i = 0; i < text.size(); ++i) {
                    if (text[i] == '_') {
                        out += ' ';
                    } else if (text[i] == '=') {
                        out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
                        i += 2;
                    } else {
                        out += text[i];
                    }
                }
            } else {
                REQUIRE(encoding == 'B');
                std::string binary(text.size(), '\0');
                std::size_t length = 0;
                REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(binary.data()), binary.size(), text.data(),
                                          text.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL)
                        == 0);
                out += binary.substr(0, length);
            }
            previous_was_word = true;
            position = end + 2;
        } else if (unfolded[position] == ' ' || unfolded[position] == '\t') {
            pending_space += unfolded[position];
            ++position;
        } else {
            out += pending_space;
            pending_space.clear();
            out += unfolded[position];
            previous_was_word = false;
            ++position;
        }
    }
    return out + pending_space;
}

// RFC 2045 quoted-printable: soft breaks removed, =XX decoded, CRLF kept.
std::string decode_quoted_printable(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '=' && text.substr(i + 1, 2) == "\r\n") {
            i += 2;
        } else if (text[i] == '=') {
            REQUIRE(i + 2 < text.size());
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

} // namespace mail_test

TEST_CASE("mail test decoders: known encoded words and quoted-printable read back as expected")
{
    CHECK(mail_test::decode_header("=?UTF-8?Q?caf=C3=A9_bar?= =?UTF-8?B?w6A=?= end") == "café barà end");
    CHECK(mail_test::decode_header("plain  text") == "plain  text");
    CHECK(mail_test::decode_quoted_printable("a=3Db=\r\nc=C3=A0\r\n") == "a=bcà\r\n");
}
