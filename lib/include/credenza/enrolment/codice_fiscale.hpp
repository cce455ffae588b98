#pragma once
// The Italian codice fiscale of a natural person: 16 characters, surname and name
// letters, birth year, month letter, day (+40 for women), place code and a check
// character. Omocodia (a digit replaced by a letter to resolve a clash) is valid.

#include <optional>
#include <string>
#include <string_view>

namespace credenza::enrolment {

// Trims spaces and tabs and upper-cases ASCII letters.
std::string normalise_codice_fiscale(std::string_view text);
// The same into `code`, in place: its room is reused (no allocation once it has held a code), and
// whatever it held before is replaced. `text` must not view `code` itself.
void normalise_codice_fiscale(std::string_view text, std::string& code);

// "" when valid, else a reason such as "must be 16 characters (found 15)",
// "check character should be 'X'", "month letter 'Z' is not a month",
// "day 45 is not a valid day". Expects a normalised code.
std::string codice_fiscale_problem(std::string_view normalised);

struct CodiceFiscaleBirth
{
    int year_two_digits;
    int month;
    int day;
    bool female;
};

// The birth data a valid code carries (omocodia letters decoded), nullopt for an invalid code.
std::optional<CodiceFiscaleBirth> codice_fiscale_birth(std::string_view valid_code);

} // namespace credenza::enrolment
