#include <credenza/util/text.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace credenza::util;

TEST_CASE("utf-8: well-formed text of one to four bytes a character is valid")
{
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("Pietà Zoë D’Angelo €"));
    CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));        // U+1F600
    CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));        // U+10FFFF
}

TEST_CASE("utf-8: Windows-1252, overlong forms, surrogates, cut-short and stray bytes are invalid")
{
    CHECK_FALSE(is_valid_utf8("Piet\xE0"));          // Windows-1252 à
    CHECK_FALSE(is_valid_utf8("\xC0\x80"));          // overlong NUL
    CHECK_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong DEL
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong '/' in four bytes
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
    CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // surrogate U+DFFF
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
    CHECK_FALSE(is_valid_utf8("\xC3"));              // cut short
    CHECK_FALSE(is_valid_utf8("\xE2\x82"));
    CHECK_FALSE(is_valid_utf8("a\xF0\x9F\x98"));
    CHECK_FALSE(is_valid_utf8("\x80"));              // stray continuation
    CHECK_FALSE(is_valid_utf8("\xFF"));
}

TEST_CASE("utf-8: a bad or good byte is judged wherever it falls around the eight-byte ASCII steps")
{
    // ASCII is checked eight bytes at a time; a sequence may start, end or be cut anywhere around
    // those words, and a word of ASCII may follow one.
    for (std::size_t before = 0; before <= 17; ++before) {
        for (std::size_t after = 0; after <= 9; ++after) {
            const std::string head(before, 'a');
            const std::string tail(after, 'z');
            CAPTURE(before);
            CAPTURE(after);
            CHECK(is_valid_utf8(head + tail));
            CHECK(is_valid_utf8(head + "\xC3\xA0" + tail));             // à
            CHECK(is_valid_utf8(head + "\xF0\x9F\x98\x80" + tail));     // U+1F600
            CHECK_FALSE(is_valid_utf8(head + "\xE0" + tail));            // Windows-1252 à
            CHECK_FALSE(is_valid_utf8(head + "\x80" + tail));            // stray continuation
            CHECK_FALSE(is_valid_utf8(head + "\xED\xA0\x80" + tail));    // surrogate
            CHECK_FALSE(is_valid_utf8(head + "\xE2\x82"));               // cut short at the end
            CHECK_FALSE(is_valid_utf8(head + "\xFF" + tail));
            CHECK(decode_utf8(head + "\xC3\xA0" + tail) == std::u32string(before, U'a') + U"\u00E0" + std::u32string(after, U'z'));
            CHECK_FALSE(decode_utf8(head + "\x80" + tail));
        }
    }
    CHECK_FALSE(is_valid_utf8(std::string("abcdefg\0\xC3", 9))); // NUL is ASCII, the cut sequence is not
    CHECK(is_valid_utf8(std::string("abc\0defg\0hijklmn", 16)));
}

TEST_CASE("utf-8: the sequence length is 0 where no well-formed sequence starts")
{
    const std::string text = "a\xC3\xA0\xE2\x82\xAC\xF0\x9F\x98\x80";
    CHECK(utf8_sequence_length(text, 0) == 1);
    CHECK(utf8_sequence_length(text, 1) == 2);
    CHECK(utf8_sequence_length(text, 2) == 0);       // inside à
    CHECK(utf8_sequence_length(text, 3) == 3);
    CHECK(utf8_sequence_length(text, 6) == 4);
    CHECK(utf8_sequence_length(text, text.size()) == 0);
    CHECK(utf8_sequence_length("\xC0\x80", 0) == 0);
    CHECK(utf8_sequence_length("\xED\xA0\x80", 0) == 0);
    CHECK(utf8_sequence_length("\xE2\x82", 0) == 0);
}

TEST_CASE("utf-8: decoding gives the code points, and nothing for invalid text")
{
    CHECK(decode_utf8("") == std::u32string());
    CHECK(decode_utf8("aà€😀") == std::u32string{U'a', 0xE0, 0x20AC, 0x1F600});
    CHECK_FALSE(decode_utf8("Piet\xE0").has_value());
    CHECK_FALSE(decode_utf8("\xC0\x80").has_value());
    CHECK_FALSE(decode_utf8("\xED\xA0\x80").has_value());
    CHECK_FALSE(decode_utf8("\xE2\x82").has_value());
}

TEST_CASE("utf-8: appending a decoding reports invalid text and reserves room for all of it first")
{
    std::u32string decoded = U"x";
    CHECK(append_decoded_utf8("àb", decoded));
    CHECK(decoded == std::u32string{U'x', 0xE0, U'b'});

    std::u32string partial;
    CHECK_FALSE(append_decoded_utf8("ab\xC3", partial));
    CHECK(partial == U"ab");
    CHECK(partial.capacity() >= 3);
}

TEST_CASE("utf-8: walking code points gives U+FFFD for each bad byte and always advances")
{
    const std::string text = "a\xC3\xA0\xC0\x80\xE2\x82";
    std::u32string walked;
    for (std::size_t position = 0; position < text.size();) {
        walked.push_back(next_code_point(text, position));
    }
    CHECK(walked == std::u32string{U'a', 0xE0, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD});
}

TEST_CASE("utf-8: encoding one code point, U+FFFD for a surrogate or a value beyond U+10FFFF")
{
    CHECK(encode_utf8(U'a') == "a");
    CHECK(encode_utf8(0xE0) == "à");
    CHECK(encode_utf8(0x20AC) == "€");
    CHECK(encode_utf8(0x1F600) == "😀");
    CHECK(encode_utf8(0xD800) == "\xEF\xBF\xBD");
    CHECK(encode_utf8(0x110000) == "\xEF\xBF\xBD");
    std::string out = "x";
    append_utf8(out, 0xF9);
    CHECK(out == "xù");
}

TEST_CASE("ascii: case folding changes A-Z only and passes UTF-8 through")
{
    CHECK(ascii_lower("MaRiO.Rossi@EXAMPLE.it") == "mario.rossi@example.it");
    CHECK(ascii_upper("rssmra80a01h501u") == "RSSMRA80A01H501U");
    CHECK(ascii_lower("ÀÉ") == "ÀÉ");
    CHECK(ascii_upper("àé") == "àé");
    CHECK(ascii_lower(U'Q') == U'q');
    CHECK(ascii_lower(char32_t{0xC0}) == 0xC0);
}

TEST_CASE("ascii: control characters are C0 and DEL, not bytes of UTF-8")
{
    CHECK(is_ascii_control('\0'));
    CHECK(is_ascii_control('\n'));
    CHECK(is_ascii_control('\x1F'));
    CHECK(is_ascii_control('\x7F'));
    CHECK_FALSE(is_ascii_control(' '));
    CHECK_FALSE(is_ascii_control('\xC3'));
}

TEST_CASE("accent folding: ligatures and letters without an ASCII twin get their usual spelling")
{
    CHECK(fold_accent(U'æ') == "ae");
    CHECK(fold_accent(U'Æ') == "ae");
    CHECK(fold_accent(U'ß') == "ss");
    CHECK(fold_accent(U'þ') == "th");
    CHECK(fold_accent(U'Þ') == "th");
    CHECK(fold_accent(U'ø') == "o");
    CHECK(fold_accent(U'đ') == "d");
    CHECK(fold_accent(U'ð') == "d");
    CHECK(fold_accent(U'ł') == "l");
    CHECK(fold_accent(U'œ') == "oe");
    CHECK(fold_accent(U'ĳ') == "ij");
}

TEST_CASE("accent folding: accented letters lose the accent and come out in lower case")
{
    CHECK(fold_accent(U'à') == "a");
    CHECK(fold_accent(U'È') == "e");
    CHECK(fold_accent(U'ñ') == "n");
    CHECK(fold_accent(U'ÿ') == "y");
    CHECK(fold_accent(U'Ş') == "s");
    CHECK(fold_accent(U'ș') == "s");
    CHECK(fold_accent(U'ț') == "t");
    CHECK(fold_accent(U'ž') == "z");
}

TEST_CASE("accent folding: ASCII, symbols and other scripts have no folding")
{
    CHECK(fold_accent(U'a') == "");
    CHECK(fold_accent(U'×') == "");
    CHECK(fold_accent(U'÷') == "");
    CHECK(fold_accent(0x301) == "");   // a combining accent
    CHECK(fold_accent(U'ж') == "");
    CHECK(fold_accent(0xFFFD) == "");
}

TEST_CASE("trim: removes spaces and tabs at both ends only")
{
    CHECK(trim("  a b\t") == "a b");
    CHECK(trim("\t \t") == "");
    CHECK(trim("") == "");
    CHECK(trim("x") == "x");
}

TEST_CASE("trim: line ends stay unless asked for, and a no-break space always stays")
{
    CHECK(trim("a\r\n") == "a\r\n");
    CHECK(trim(" a\r\n", k_whitespace) == "a");
    CHECK(trim("\u00A0a\u00A0") == "\u00A0a\u00A0");
    CHECK(trim("\u00A0a\u00A0", k_whitespace) == "\u00A0a\u00A0");
}

TEST_CASE("html: escape_html escapes the five characters that matter and copies the rest")
{
    CHECK(escape_html("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
    CHECK(escape_html("plain") == "plain");
    CHECK(escape_html("Pietà \xE0") == "Pietà \xE0");
    CHECK(escape_html("&amp;") == "&amp;amp;");
}
