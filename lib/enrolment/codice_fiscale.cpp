// Codice fiscale checks as the Agenzia delle Entrate defines them (DM 23/12/1976).

#include <credenza/enrolment/codice_fiscale.hpp>

#include <array>
#include <fmt/format.h>
#include "i18n/gettext.hpp"

namespace credenza::enrolment {

namespace {

constexpr std::size_t k_length = 16;
// Omocodia replaces the digits 0-9 with these letters, right to left, to tell apart two people with the same code.
constexpr std::string_view k_omocodia_letters = "LMNPQRSTUV";
// 0-based positions of the seven digits (year, day, place number).
constexpr std::array<std::size_t, 7> k_digit_positions = {6, 7, 9, 10, 12, 13, 14};
constexpr std::string_view k_month_letters = "ABCDEHLMPRST";
constexpr std::array<std::string_view, 12> k_month_names = {
    N_("January"), N_("February"), N_("March"),     N_("April"),   N_("May"),      N_("June"),
    N_("July"),    N_("August"),   N_("September"), N_("October"), N_("November"), N_("December")};
constexpr std::array<int, 12> k_days_in_month = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
// Values of the characters in odd (1-based) positions for the check character; index by A-Z or 0-9.
constexpr std::array<int, 26> k_odd_values = {1,  0,  5,  7,  9,  13, 15, 17, 19, 21, 2,  4,  18,
                                              20, 11, 3,  6,  8,  12, 14, 16, 10, 22, 25, 24, 23};

bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

// The digit a character of a digit position stands for (omocodia decoded), or -1.
int digit_value(char c)
{
    if (is_digit(c)) {
        return c - '0';
    }
    const auto index = k_omocodia_letters.find(c);
    return index == std::string_view::npos ? -1 : static_cast<int>(index);
}

bool is_digit_position(std::size_t position)
{
    for (const std::size_t p : k_digit_positions) {
        if (p == position) {
            return true;
        }
    }
    return false;
}

int number_at(std::string_view code, std::size_t position)
{
    return digit_value(code[position]) * 10 + digit_value(code[position + 1]);
}

char check_character(std::string_view code)
{
    int sum = 0;
    for (std::size_t i = 0; i + 1 < k_length; ++i) {
        const char c = code[i];
        const int index = is_digit(c) ? c - '0' : c - 'A';
        // Position i is 0-based: even i is an odd position in the official tables.
        sum += i % 2 == 0 ? k_odd_values[static_cast<std::size_t>(index)] : index;
    }
    return static_cast<char>('A' + sum % 26);
}

std::string describe(char c)
{
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
        return credenza::i18n::format(_fmt("byte 0x{:02X}"), static_cast<unsigned char>(c));
    }
    return fmt::format("'{}'", c);
}

} // namespace

std::string normalise_codice_fiscale(std::string_view text)
{
    std::string code;
    normalise_codice_fiscale(text, code);
    return code;
}

void normalise_codice_fiscale(std::string_view text, std::string& code)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        code.clear();
        return;
    }
    const auto last = text.find_last_not_of(" \t");
    code.assign(text.substr(first, last - first + 1));
    for (char& c : code) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
}

std::string codice_fiscale_problem(std::string_view code)
{
    if (code.empty()) {
        return _("must not be empty");
    }
    if (code.size() != k_length) {
        return credenza::i18n::format(_fmt("must be 16 characters (found {})"), code.size());
    }
    for (std::size_t i = 0; i < k_length; ++i) {
        const char c = code[i];
        if (is_digit_position(i)) {
            if (digit_value(c) < 0) {
                return credenza::i18n::format(_fmt("character {} must be a digit (found {})"), i + 1, describe(c));
            }
        } else if (!is_upper(c)) {
            return credenza::i18n::format(_fmt("character {} must be a letter (found {})"), i + 1, describe(c));
        }
    }
    const auto month_index = k_month_letters.find(code[8]);
    if (month_index == std::string_view::npos) {
        return credenza::i18n::format(_fmt("month letter '{}' is not a month"), code[8]);
    }
    const int coded_day = number_at(code, 9);
    const int day = coded_day > 40 ? coded_day - 40 : coded_day;
    if (day < 1 || day > 31) {
        return credenza::i18n::format(_fmt("day {} is not a valid day"), coded_day);
    }
    const int year = number_at(code, 6);
    // Two-digit years: '00' may be 1900 (not leap) or 2000 (leap), so 29 February passes for it.
    const int days = month_index == 1 && year % 4 != 0 ? 28 : k_days_in_month[month_index];
    if (day > days) {
        return credenza::i18n::format(_fmt("day {} is not a valid day in {}"), day, credenza::i18n::translate(k_month_names[month_index].data()));
    }
    const char expected = check_character(code);
    if (code[15] != expected) {
        return credenza::i18n::format(_fmt("check character should be '{}'"), expected);
    }
    return {};
}

std::optional<CodiceFiscaleBirth> codice_fiscale_birth(std::string_view valid_code)
{
    if (!codice_fiscale_problem(valid_code).empty()) {
        return std::nullopt;
    }
    const int coded_day = number_at(valid_code, 9);
    CodiceFiscaleBirth birth{};
    birth.year_two_digits = number_at(valid_code, 6);
    birth.month = static_cast<int>(k_month_letters.find(valid_code[8])) + 1;
    birth.female = coded_day > 40;
    birth.day = birth.female ? coded_day - 40 : coded_day;
    return birth;
}

} // namespace credenza::enrolment
