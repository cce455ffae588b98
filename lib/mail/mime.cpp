#include <credenza/mail/mime.hpp>
#include <credenza/util/text.hpp>

#include <sodium.h>

#include <algorithm>
#include <string>
#include <vector>

namespace credenza::mail {

namespace {

constexpr std::string_view k_hex_digits = "0123456789ABCDEF";
constexpr std::string_view k_word_prefix_q = "=?UTF-8?Q?";
constexpr std::string_view k_word_prefix_b = "=?UTF-8?B?";
constexpr std::string_view k_word_suffix = "?=";
// An encoded word of at most 66 characters fits after "Subject: " within 78 columns.
constexpr std::size_t k_max_word = 66;
constexpr std::size_t k_max_word_text = k_max_word - 10 - 2;
constexpr std::size_t k_max_qp_line = 76;

void append_hex_byte(std::string& out, unsigned char byte)
{
    out += '=';
    out += k_hex_digits[byte >> 4];
    out += k_hex_digits[byte & 0x0F];
}

// RFC 2047 section 5 (3): the characters a Q-encoded word may carry as themselves anywhere,
// including in a display name.
bool is_q_safe(unsigned char byte)
{
    return (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9')
        || byte == '!' || byte == '*' || byte == '+' || byte == '-' || byte == '/';
}

std::string q_encode_character(std::string_view character)
{
    // One character is one or a few bytes: built by count and character, never by copying a
    // string, which GCC 12 at -O2/-O3 mistakes for an overflowing memcpy (-Wstringop-overflow).
    if (character.size() == 1 && character[0] == ' ') {
        return std::string(1, '_');
    }
    if (character.size() == 1 && is_q_safe(static_cast<unsigned char>(character[0]))) {
        return std::string(1, character[0]);
    }
    std::string out;
    for (const char byte : character) {
        append_hex_byte(out, static_cast<unsigned char>(byte));
    }
    return out;
}

std::string base64(std::string_view bytes)
{
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1); // the terminating NUL
    return out;
}

// A byte that begins no well-formed UTF-8 sequence is a character of its own, encoded on its own.
std::size_t character_length(std::string_view text, std::size_t position)
{
    return std::max<std::size_t>(1, util::utf8_sequence_length(text, position));
}

std::vector<std::string_view> split_characters(std::string_view text)
{
    std::vector<std::string_view> characters;
    for (std::size_t position = 0; position < text.size();) {
        const std::size_t length = character_length(text, position);
        characters.push_back(text.substr(position, length));
        position += length;
    }
    return characters;
}

std::string q_words(const std::vector<std::string_view>& characters)
{
    std::string out;
    std::string word;
    const auto flush = [&] {
        if (!word.empty()) {
            if (!out.empty()) {
                out += ' ';
            }
            out += k_word_prefix_q;
            out += word;
            out += k_word_suffix;
            word.clear();
        }
    };
    for (const auto character : characters) {
        const std::string encoded = q_encode_character(character);
        if (word.size() + encoded.size() > k_max_word_text) {
            flush();
        }
        word += encoded;
    }
    flush();
    return out;
}

std::string b_words(const std::vector<std::string_view>& characters)
{
    // 13 groups of 4 base64 characters (39 bytes) fit in the 54 characters a word may hold.
    constexpr std::size_t max_bytes = k_max_word_text / 4 * 3;
    std::string out;
    std::string chunk;
    const auto flush = [&] {
        if (!chunk.empty()) {
            if (!out.empty()) {
                out += ' ';
            }
            out += k_word_prefix_b;
            out += base64(chunk);
            out += k_word_suffix;
            chunk.clear();
        }
    };
    for (const auto character : characters) {
        if (chunk.size() + character.size() > max_bytes) {
            flush();
        }
        chunk += character;
    }
    flush();
    return out;
}

bool is_plain_header_text(std::string_view text)
{
    for (const char byte : text) {
        const auto value = static_cast<unsigned char>(byte);
        if (value < 0x20 || value > 0x7E) {
            return false;
        }
    }
    // A literal "=?" could be read back as the start of an encoded word.
    return text.find("=?") == std::string_view::npos;
}

} // namespace

std::string encode_header_text(std::string_view utf8)
{
    if (is_plain_header_text(utf8)) {
        return std::string(utf8);
    }
    const auto characters = split_characters(utf8);
    std::string q = q_words(characters);
    std::string b = b_words(characters);
    return q.size() <= b.size() ? q : b;
}

std::string quoted_printable(std::string_view utf8)
{
    std::string out;
    out.reserve(utf8.size() + utf8.size() / 4);
    std::size_t line_start = 0;
    while (line_start <= utf8.size()) {
        std::size_t line_end = utf8.find_first_of("\r\n", line_start);
        const bool has_break = line_end != std::string_view::npos;
        if (!has_break) {
            line_end = utf8.size();
        }
        const std::string_view line = utf8.substr(line_start, line_end - line_start);

        std::size_t column = 0;
        for (std::size_t position = 0; position < line.size();) {
            const std::size_t length = character_length(line, position);
            const std::string_view character = line.substr(position, length);
            const auto first = static_cast<unsigned char>(character[0]);
            const bool last = position + length == line.size();
            std::string token;
            if (length == 1 && first >= 33 && first <= 126 && first != '=') {
                token = character;
            } else if (length == 1 && (first == ' ' || first == '\t') && !last) {
                token = character;
            } else {
                for (const char byte : character) {
                    append_hex_byte(token, static_cast<unsigned char>(byte));
                }
            }
            // A token that is not the line's last must leave room for the soft break's "=".
            const std::size_t limit = last ? k_max_qp_line : k_max_qp_line - 1;
            if (column > 0 && column + token.size() > limit) {
                out += "=\r\n";
                column = 0;
            }
            out += token;
            column += token.size();
            position += length;
        }

        if (!has_break) {
            break;
        }
        out += "\r\n";
        line_start = line_end + 1;
        if (utf8[line_end] == '\r' && line_start < utf8.size() && utf8[line_start] == '\n') {
            ++line_start;
        }
        if (line_start == utf8.size()) {
            break;
        }
    }
    return out;
}

std::string to_crlf(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t position = 0; position < text.size(); ++position) {
        const char character = text[position];
        if (character == '\r') {
            out += "\r\n";
            if (position + 1 < text.size() && text[position + 1] == '\n') {
                ++position;
            }
        } else if (character == '\n') {
            out += "\r\n";
        } else {
            out += character;
        }
    }
    return out;
}

} // namespace credenza::mail
