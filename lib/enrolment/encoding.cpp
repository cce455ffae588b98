// Windows-1252 conversion for the enrolment files.

#include <credenza/enrolment/csv_reader.hpp>

#include <array>
#include <cstdint>

#include <credenza/util/text.hpp>

namespace credenza::enrolment {

namespace {

// Windows-1252 bytes 0x80..0x9F; the undefined ones keep their C1 code point.
constexpr std::array<char32_t, 32> k_windows1252_high = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F, // 88-8F
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178, // 98-9F
};

} // namespace

std::string windows1252_to_utf8(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    for (const char c : text) {
        const auto byte = static_cast<std::uint8_t>(c);
        if (byte < 0x80) {
            out += c;
        } else if (byte < 0xA0) {
            util::append_utf8(out, k_windows1252_high[byte - 0x80]);
        } else {
            util::append_utf8(out, byte); // 0xA0..0xFF are Latin-1
        }
    }
    return out;
}

} // namespace credenza::enrolment
