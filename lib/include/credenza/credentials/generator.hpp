#pragma once
// Generates user codes, passwords and PINs from a RandomSource (libsodium's CSPRNG by default).

#include <credenza/credentials/random.hpp>
#include <credenza/credentials/secret.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace credenza::credentials {

// No 0 O o 1 l I: a secretary dictating a password on the phone must not have to ask which.
inline constexpr std::string_view k_password_alphabet =
    "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
// 32 symbols (5 bits each), upper case, no look-alikes.
inline constexpr std::string_view k_user_code_alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

struct GeneratorSettings
{
    std::size_t password_length = 12; // allowed 10..64
    std::size_t pin_length = 6;       // allowed 6..10 (NIST minimum 6)
    // "{kind}" -> 'F' for family, 'S' for student; 'X' -> a random symbol of
    // k_user_code_alphabet (5 bits); '9' -> a random digit 2..9 (3 bits); any other
    // char in [A-Z0-9-] is literal. At least 40 random bits (e.g. 8 'X') and at most
    // 32 characters in all.
    std::string user_code_format = "{kind}XXXXXXXX";
};

enum class AccountKind { family, student };

class Generator
{
public:
    // Validates the settings: Error(config) naming the setting, e.g.
    // "[credentials] pin_length must be between 6 and 10 (found 4)".
    explicit Generator(GeneratorSettings settings = {}, RandomSource& random = system_random());

    Secret password() const;
    // Digits 0-9; a PIN of one repeated digit or a straight run up or down
    // (123456, 987654, also wrapping as in 890123) is drawn again.
    Secret pin() const;
    // Uniqueness is checked by the caller against the database.
    std::string user_code(AccountKind kind) const;

private:
    GeneratorSettings m_settings;
    RandomSource* m_random;
};

} // namespace credenza::credentials
