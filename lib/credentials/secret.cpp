#include <credenza/credentials/secret.hpp>

#include <sodium.h>

#include <algorithm>
#include <utility>

namespace credenza::credentials {

namespace {

constexpr std::size_t k_initial_capacity = 256;

// Zeroes every byte the string owns, up to its capacity, then empties it.
// resize() to the capacity never reallocates, and makes the whole buffer ours to write.
void wipe(std::string& value) noexcept
{
    value.resize(value.capacity());
    sodium_memzero(value.data(), value.size());
    value.clear();
}

} // namespace

Secret::Secret(std::string value)
{
    m_value.reserve(std::max(k_initial_capacity, value.size()));
    m_value.assign(value);
    wipe(value);
}

Secret::Secret(Secret&& other) noexcept : m_value(std::move(other.m_value))
{
    wipe(other.m_value);
}

Secret& Secret::operator=(Secret&& other) noexcept
{
    if (this != &other) {
        wipe(m_value);
        m_value = std::move(other.m_value);
        // A string move may hand our old buffer to `other`; it was wiped above,
        // and this also wipes a small-string buffer left behind.
        wipe(other.m_value);
    }
    return *this;
}

Secret::~Secret()
{
    wipe(m_value);
}

void Secret::push_back(char c)
{
    if (m_value.size() == m_value.capacity() || m_value.capacity() < k_initial_capacity) {
        std::string bigger;
        bigger.reserve(std::max(k_initial_capacity, 2 * m_value.capacity()));
        bigger.assign(m_value);
        wipe(m_value);
        m_value.swap(bigger);
        wipe(bigger);
    }
    m_value.push_back(c);
}

void Secret::clear() noexcept
{
    wipe(m_value);
}

} // namespace credenza::credentials
