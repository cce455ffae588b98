#pragma once
// Internal to the import: a codice fiscale as a key of the import's maps.

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <string_view>

namespace credenza::enrolment::detail {

// A codice fiscale as a key: 16 bytes in place. A std::string of 16 characters is one more than
// libstdc++ keeps without allocating, so every key of the import's maps was an allocation (and 49 bytes
// or more). Codes of the file are checked to be 16 characters; a shorter one is padded with NUL, and a
// longer one (only a recorded code could be: it never equals a code of the file) is all 0xff.
struct TaxKey
{
    std::array<char, 16> bytes{};

    explicit TaxKey(std::string_view code)
    {
        if (code.size() > bytes.size()) {
            bytes.fill('\xff');
        } else {
            std::copy(code.begin(), code.end(), bytes.begin());
        }
    }

    // The code as given, for a code of 16 characters (a code of the file).
    std::string_view view() const { return {bytes.data(), bytes.size()}; }

    bool operator==(const TaxKey&) const = default;
};

struct TaxKeyHash
{
    std::size_t operator()(const TaxKey& key) const noexcept { return std::hash<std::string_view>{}(key.view()); }
};

} // namespace credenza::enrolment::detail
