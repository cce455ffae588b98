#include <credenza/util/text.hpp>

#include <cstdint>
#include <cstring>

namespace credenza::util {

namespace {

constexpr char32_t k_replacement = 0xFFFD;

struct Fold
{
    char32_t first;
    char32_t last;
    std::string_view ascii;
};

// Ranges in code point order; letters that have no single ASCII twin get their usual spelling.
constexpr Fold k_folds[] = {
    {0xC0, 0xC5, "a"},   {0xC6, 0xC6, "ae"},  {0xC7, 0xC7, "c"},   {0xC8, 0xCB, "e"},   {0xCC, 0xCF, "i"},
    {0xD0, 0xD0, "d"},   {0xD1, 0xD1, "n"},   {0xD2, 0xD6, "o"},   {0xD8, 0xD8, "o"},   {0xD9, 0xDC, "u"},
    {0xDD, 0xDD, "y"},   {0xDE, 0xDE, "th"},  {0xDF, 0xDF, "ss"},  {0xE0, 0xE5, "a"},   {0xE6, 0xE6, "ae"},
    {0xE7, 0xE7, "c"},   {0xE8, 0xEB, "e"},   {0xEC, 0xEF, "i"},   {0xF0, 0xF0, "d"},   {0xF1, 0xF1, "n"},
    {0xF2, 0xF6, "o"},   {0xF8, 0xF8, "o"},   {0xF9, 0xFC, "u"},   {0xFD, 0xFD, "y"},   {0xFE, 0xFE, "th"},
    {0xFF, 0xFF, "y"},   {0x100, 0x105, "a"}, {0x106, 0x10D, "c"}, {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
    {0x11C, 0x123, "g"}, {0x124, 0x127, "h"}, {0x128, 0x131, "i"}, {0x132, 0x133, "ij"}, {0x134, 0x135, "j"},
    {0x136, 0x138, "k"}, {0x139, 0x142, "l"}, {0x143, 0x14B, "n"}, {0x14C, 0x151, "o"}, {0x152, 0x153, "oe"},
    {0x154, 0x159, "r"}, {0x15A, 0x161, "s"}, {0x162, 0x167, "t"}, {0x168, 0x173, "u"}, {0x174, 0x175, "w"},
    {0x176, 0x178, "y"}, {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"}, {0x218, 0x219, "s"}, {0x21A, 0x21B, "t"},
};

char32_t decode_sequence(std::string_view text, std::size_t position, std::size_t length)
{
    const auto lead = static_cast<unsigned char>(text[position]);
    char32_t code_point = length == 1 ? lead : length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
    for (std::size_t k = 1; k < length; ++k) {
        code_point = (code_point << 6) | (static_cast<unsigned char>(text[position + k]) & 0x3F);
    }
    return code_point;
}

} // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t position)
{
    if (position >= text.size()) {
        return 0;
    }
    const auto lead = static_cast<unsigned char>(text[position]);
    if (lead < 0x80) {
        return 1;
    }
    std::size_t length = 0;
    // The allowed range of the second byte rules out overlong forms, surrogates (ED A0..BF)
    // and code points above U+10FFFF (F4 90.. and up).
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) {
            second_min = 0xA0;
        } else if (lead == 0xED) {
            second_max = 0x9F;
        }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) {
            second_min = 0x90;
        } else if (lead == 0xF4) {
            second_max = 0x8F;
        }
    } else {
        return 0;
    }
    if (text.size() - position < length) {
        return 0;
    }
    const auto second = static_cast<unsigned char>(text[position + 1]);
    if (second < second_min || second > second_max) {
        return 0;
    }
    for (std::size_t k = 2; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[position + k]);
        if (next < 0x80 || next > 0xBF) {
            return 0;
        }
    }
    return length;
}

bool is_valid_utf8(std::string_view text)
{
    constexpr std::uint64_t k_high_bits = 0x8080808080808080ULL;
    std::size_t position = 0;
    while (position < text.size()) {
        // ASCII, the most of any school's file, eight bytes at a time: none has its high bit set.
        if (text.size() - position >= sizeof(std::uint64_t)) {
            std::uint64_t word = 0;
            std::memcpy(&word, text.data() + position, sizeof word);
            if ((word & k_high_bits) == 0) {
                position += sizeof word;
                continue;
            }
        }
        if (static_cast<unsigned char>(text[position]) < 0x80) {
            ++position;
            continue;
        }
        const std::size_t length = utf8_sequence_length(text, position);
        if (length == 0) {
            return false;
        }
        position += length;
    }
    return true;
}

char32_t next_code_point(std::string_view text, std::size_t& position)
{
    const std::size_t length = utf8_sequence_length(text, position);
    if (length == 0) {
        ++position;
        return k_replacement;
    }
    const char32_t code_point = decode_sequence(text, position, length);
    position += length;
    return code_point;
}

bool append_decoded_utf8(std::string_view text, std::u32string& decoded)
{
    decoded.reserve(decoded.size() + text.size());
    std::size_t position = 0;
    while (position < text.size()) {
        const auto lead = static_cast<unsigned char>(text[position]);
        if (lead < 0x80) {
            decoded.push_back(lead);
            ++position;
            continue;
        }
        const std::size_t length = utf8_sequence_length(text, position);
        if (length == 0) {
            return false;
        }
        decoded.push_back(decode_sequence(text, position, length));
        position += length;
    }
    return true;
}

std::optional<std::u32string> decode_utf8(std::string_view text)
{
    std::u32string decoded;
    if (!append_decoded_utf8(text, decoded)) {
        return std::nullopt;
    }
    return decoded;
}

void append_utf8(std::string& out, char32_t code_point)
{
    if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
        code_point = k_replacement;
    }
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xE0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code_point >> 18));
        out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

std::string encode_utf8(char32_t code_point)
{
    std::string out;
    append_utf8(out, code_point);
    return out;
}

std::string ascii_lower(std::string_view text)
{
    std::string folded(text);
    for (char& c : folded) {
        c = ascii_lower(c);
    }
    return folded;
}

std::string ascii_upper(std::string_view text)
{
    std::string folded(text);
    for (char& c : folded) {
        c = ascii_upper(c);
    }
    return folded;
}

std::string_view fold_accent(char32_t code_point)
{
    for (const Fold& fold : k_folds) {
        if (code_point < fold.first) {
            break;
        }
        if (code_point <= fold.last) {
            return fold.ascii;
        }
    }
    return {};
}

std::string trim(std::string_view text, std::string_view characters)
{
    const auto first = text.find_first_not_of(characters);
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(characters);
    return std::string(text.substr(first, last - first + 1));
}

std::string escape_html(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (const char character : text) {
        switch (character) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += character;
        }
    }
    return out;
}

} // namespace credenza::util
