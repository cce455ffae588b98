#pragma once
// Private to lib/mail: walking UTF-8 text a character at a time, so encoders never split one.

#include <cstddef>
#include <string_view>

namespace credenza::mail::detail {

// The length in bytes of the character starting at text[position]: 1 for ASCII and for any
// byte that does not begin a well-formed sequence (it is then encoded on its own).
inline std::size_t utf8_length(std::string_view text, std::size_t position)
{
    const auto lead = static_cast<unsigned char>(text[position]);
    std::size_t length = 1;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
    }
    if (position + length > text.size()) {
        return 1;
    }
    for (std::size_t i = 1; i < length; ++i) {
        if ((static_cast<unsigned char>(text[position + i]) & 0xC0) != 0x80) {
            return 1;
        }
    }
    return length;
}

inline bool is_control(unsigned char byte)
{
    return byte < 0x20 || byte == 0x7F;
}

} // namespace credenza::mail::detail
