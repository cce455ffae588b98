#pragma once
// ASCII case folding, locale-independent: user codes, codici fiscali and e-mail
// addresses are compared this way (accented letters never occur in them).

#include <string>
#include <string_view>

namespace credenza {

inline std::string ascii_lower(std::string_view text)
{
    std::string folded(text);
    for (char& c : folded) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return folded;
}

inline std::string ascii_upper(std::string_view text)
{
    std::string folded(text);
    for (char& c : folded) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return folded;
}

} // namespace credenza
