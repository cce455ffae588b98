#include <credenza/credentials/generator.hpp>

#include <credenza/error.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <utility>
#include "i18n/gettext.hpp"

namespace credenza::credentials {

namespace {

constexpr std::string_view k_kind_token = "{kind}";
constexpr std::string_view k_digits = "0123456789";
constexpr std::string_view k_code_digits = "23456789";
constexpr std::size_t k_min_user_code_bits = 40;
constexpr std::size_t k_max_user_code_length = 32;

void check_range(std::string_view name, std::size_t value, std::size_t low, std::size_t high)
{
    if (value < low || value > high) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("[credentials] {} must be between {} and {} (found {})"), name, low,
                                high, value));
    }
}

bool is_literal(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

void check_user_code_format(const std::string& format)
{
    std::size_t length = 0;
    std::size_t bits = 0;
    for (std::size_t i = 0; i < format.size(); ++i) {
        const char c = format[i];
        if (c == '{') {
            if (format.compare(i, k_kind_token.size(), k_kind_token) != 0) {
                throw Error(ErrorCode::config,
                            credenza::i18n::format(_fmt("[credentials] user_code_format '{}' has an unknown field at "
                                        "position {}: only '{{kind}}' is known"),
                                        format, i + 1));
            }
            i += k_kind_token.size() - 1;
        } else if (c == 'X') {
            bits += 5;
        } else if (c == '9') {
            bits += 3;
        } else if (!is_literal(c)) {
            throw Error(ErrorCode::config,
                        credenza::i18n::format(_fmt("[credentials] user_code_format '{}' has '{}' at position {}: "
                                    "use 'X', '9', '{{kind}}', upper-case letters, digits or '-'"),
                                    format, c, i + 1));
        }
        ++length;
    }
    if (bits < k_min_user_code_bits) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("[credentials] user_code_format '{}' must hold at least {} random "
                                "bits, such as 8 'X' (found {})"),
                                format, k_min_user_code_bits, bits));
    }
    if (length > k_max_user_code_length) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("[credentials] user_code_format '{}' must make codes of at most {} "
                                "characters (found {})"),
                                format, k_max_user_code_length, length));
    }
}

char pick(RandomSource& random, std::string_view alphabet)
{
    return alphabet[random.uniform(static_cast<std::uint32_t>(alphabet.size()))];
}

// One repeated digit, or each digit one more (or one less) than the previous, modulo 10.
bool is_guessable_pin(std::string_view pin)
{
    bool same = true;
    bool up = true;
    bool down = true;
    for (std::size_t i = 1; i < pin.size(); ++i) {
        const int previous = pin[i - 1] - '0';
        const int digit = pin[i] - '0';
        same = same && digit == previous;
        up = up && digit == (previous + 1) % 10;
        down = down && digit == (previous + 9) % 10;
    }
    return same || up || down;
}

} // namespace

Generator::Generator(GeneratorSettings settings, RandomSource& random)
    : m_settings(std::move(settings)), m_random(&random)
{
    check_range("password_length", m_settings.password_length, 10, 64);
    check_range("pin_length", m_settings.pin_length, 6, 10);
    check_user_code_format(m_settings.user_code_format);
}

Secret Generator::password() const
{
    Secret password;
    for (std::size_t i = 0; i < m_settings.password_length; ++i) {
        password.push_back(pick(*m_random, k_password_alphabet));
    }
    return password;
}

Secret Generator::pin() const
{
    Secret pin;
    do {
        pin.clear();
        for (std::size_t i = 0; i < m_settings.pin_length; ++i) {
            pin.push_back(pick(*m_random, k_digits));
        }
    } while (is_guessable_pin(pin.view()));
    return pin;
}

std::string Generator::user_code(AccountKind kind) const
{
    const std::string& format = m_settings.user_code_format;
    std::string code;
    for (std::size_t i = 0; i < format.size(); ++i) {
        const char c = format[i];
        if (c == '{') {
            code.push_back(kind == AccountKind::family ? 'F' : 'S');
            i += k_kind_token.size() - 1;
        } else if (c == 'X') {
            code.push_back(pick(*m_random, k_user_code_alphabet));
        } else if (c == '9') {
            code.push_back(pick(*m_random, k_code_digits));
        } else {
            code.push_back(c);
        }
    }
    return code;
}

} // namespace credenza::credentials
