#pragma once
// A string that holds a password, PIN or key: its bytes are wiped (sodium_memzero)
// whenever it lets go of them, so a secret does not linger in freed memory.

#include <cstddef>
#include <string>
#include <string_view>

namespace credenza::credentials {

class Secret
{
public:
    Secret() = default;
    // Takes ownership and wipes the buffer of `value`. A short string moved into
    // `value` may leave bytes in the caller's own small-string buffer: callers
    // that build a secret char by char should use push_back instead.
    explicit Secret(std::string value);
    Secret(Secret&& other) noexcept;
    Secret& operator=(Secret&& other) noexcept;
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;
    ~Secret();

    std::string_view view() const noexcept { return m_value; }
    bool empty() const noexcept { return m_value.empty(); }
    std::size_t size() const noexcept { return m_value.size(); }

    // For reading from a terminal char by char; grows by copying into a new
    // buffer and wiping the old one, so no reallocation leaves a copy behind.
    void push_back(char c);
    // Wipes and empties; the buffer is kept for reuse.
    void clear() noexcept;

private:
    std::string m_value;
};

} // namespace credenza::credentials
