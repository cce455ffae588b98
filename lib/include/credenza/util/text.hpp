#pragma once
// Text helpers used across the library, each with one behaviour on bad input, written here
// once. UTF-8 is "well-formed" as RFC 3629 defines it: no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF, no sequence cut short, no stray continuation byte.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace credenza::util {

// ---- UTF-8 ------------------------------------------------------------------------------

// True when the whole text is well-formed UTF-8 ("" is).
bool is_valid_utf8(std::string_view text);

// The length in bytes (1..4) of the well-formed sequence that starts at text[position];
// 0 when none starts there (a stray continuation, an invalid lead, an overlong form, a
// surrogate, a sequence cut short by the end of the text) or when position is past the end.
std::size_t utf8_sequence_length(std::string_view text, std::size_t position);

// The code point whose sequence starts at text[position], advancing position past it. Where no
// well-formed sequence starts, gives U+FFFD and advances by one byte, so a walk always ends.
char32_t next_code_point(std::string_view text, std::size_t& position);

// The code points of text; std::nullopt when the text is not well-formed UTF-8.
std::optional<std::u32string> decode_utf8(std::string_view text);

// Appends the code points of text to decoded; false when the text is not well-formed (decoded
// then holds the code points before the first bad sequence). Reserves room for the whole text
// first, so decoded never reallocates: a buffer that holds a secret leaves no copy behind.
bool append_decoded_utf8(std::string_view text, std::u32string& decoded);

// Appends the UTF-8 form of code_point to out; a surrogate or a value above U+10FFFF, which
// have none, appends U+FFFD.
void append_utf8(std::string& out, char32_t code_point);
std::string encode_utf8(char32_t code_point);

// ---- ASCII ------------------------------------------------------------------------------

// A C0 control character (0x00..0x1F) or DEL (0x7F).
constexpr bool is_ascii_control(char c)
{
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
}

// ASCII case folding, locale-independent: user codes, codici fiscali, e-mail addresses and
// passwords are compared this way, whatever a terminal's locale says. Every byte or code point
// outside A-Z (a-z) is kept as it is, so UTF-8 text passes through unchanged.
constexpr char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr char32_t ascii_lower(char32_t c)
{
    return c >= U'A' && c <= U'Z' ? c - U'A' + U'a' : c;
}
constexpr char ascii_upper(char c)
{
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
std::string ascii_lower(std::string_view text);
std::string ascii_upper(std::string_view text);

// ---- Accent folding ---------------------------------------------------------------------

// The lower-case ASCII spelling of a Latin letter with a diacritic, a ligature or a letter
// without an ASCII twin, as an Italian secretary would type it: à -> "a", Æ -> "ae", ß -> "ss",
// þ -> "th", ø -> "o", đ -> "d", ł -> "l", œ -> "oe", ĳ -> "ij". Covers the Latin-1 Supplement,
// Latin Extended-A and Romanian's comma-below letters; "" for any other code point (ASCII,
// × and ÷ included), which the caller keeps or drops as it needs.
std::string_view fold_accent(char32_t code_point);

// ---- Trimming and escaping --------------------------------------------------------------

inline constexpr std::string_view k_blanks = " \t";
inline constexpr std::string_view k_whitespace = " \t\r\n";

// text without the given characters at either end (ASCII only: a no-break space U+00A0 is
// never trimmed, since it is not one byte). By default spaces and tabs.
std::string trim(std::string_view text, std::string_view characters = k_blanks);

// & < > " ' as character references, so any text is safe inside HTML elements and attribute
// values; every other byte, invalid UTF-8 included, is copied as it is.
std::string escape_html(std::string_view text);

} // namespace credenza::util
