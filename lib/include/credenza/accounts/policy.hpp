#pragma once
// What makes a password or a PIN chosen by its holder acceptable, after NIST
// SP 800-63B: a length and a blocklist, no composition rules. The checks run
// before hashing, at first access, on a voluntary change and in the front end.

#include <cstddef>
#include <string>
#include <string_view>

namespace credenza::accounts {

// What the holder's own data says about them: a password must not contain it.
struct PasswordContext
{
    std::string user_code;       // e.g. "F7KQ2M9XP"
    std::string name;            // holder's first name(s), UTF-8, e.g. "Nicolò"
    std::string surname;         // e.g. "D'Angelo"
    std::string tax_code;        // codice fiscale, upper case
    std::size_t min_length = 15; // [policy] password_min_length
    std::string general_blocklist; // [policy] password_blocklist: a word list file, "" = none
};

// "" when acceptable, else one reason in lower case for the user, without a
// trailing period, e.g. "must be at least 10 characters", "is one of the most
// common passwords", "must not contain your name". Rules:
//  - valid UTF-8, no control characters (spaces are fine: passphrases);
//  - between min_length and 128 characters, counted in Unicode code points;
//  - not one character or a short pattern repeated, not a straight run of a
//    keyboard row, the alphabet or the digits, up or down;
//  - not in the embedded blocklist (schemas/common_passwords.txt) nor in the
//    general word list (Debian's cracklib-runtime /usr/share/dict/cracklib-small),
//    compared ignoring ASCII case, as a whole and after stripping trailing digits
//    and punctuation ("Juventus2024!" is "juventus"); Error(config) when the
//    general list cannot be read;
//  - not containing the user code, the codice fiscale, the name or the surname
//    (each part of 3 letters or more), ignoring case, accents on Latin letters
//    and apostrophes ("Dangelo2020xx" contains "D'Angelo").
// Never echoes the candidate in its answer.
std::string password_problem(std::string_view candidate, const PasswordContext& context);

// "" when acceptable: exactly `length` ASCII digits, not all one digit, not a
// straight run up or down, wrapping included (123456, 987654, 890123).
std::string pin_problem(std::string_view candidate, std::size_t length);

} // namespace credenza::accounts
