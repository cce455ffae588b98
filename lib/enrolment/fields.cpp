// Field checks for enrolment rows: dates, e-mail addresses, classes and names.

#include <credenza/enrolment/fields.hpp>

#include <algorithm>
#include <cstddef>
#include <ctime>
#include <optional>
#include <fmt/format.h>

#include <credenza/util/text.hpp>
#include "i18n/gettext.hpp"

namespace credenza::enrolment {

namespace {

constexpr std::size_t k_email_max = 254;
constexpr std::size_t k_local_part_max = 64;
constexpr std::size_t k_domain_label_max = 63;
constexpr std::size_t k_name_max = 100;
constexpr std::size_t k_class_suffix_max = 6;
constexpr std::string_view k_local_part_symbols = "!#$%&'*+/=?^_`{|}~-";

bool is_ascii_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool is_ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month)
{
    static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : k_days[month - 1];
}

// The value of text when it is 1..max_digits ASCII digits, else -1.
int parse_number(std::string_view text, std::size_t min_digits, std::size_t max_digits)
{
    if (text.size() < min_digits || text.size() > max_digits) {
        return -1;
    }
    int value = 0;
    for (const char c : text) {
        if (!is_ascii_digit(c)) {
            return -1;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<Date> make_date(int year, int month, int day)
{
    if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month)) {
        return std::nullopt;
    }
    return Date{year, month, day};
}

// Letters outside ASCII are approximated as "any code point from U+00C0 on" minus
// the symbols that turn up in spreadsheets; without ICU that is the honest limit.
bool is_name_character(char32_t c)
{
    if (c < 0x80) {
        const auto ascii = static_cast<char>(c);
        return is_ascii_letter(ascii) || ascii == ' ' || ascii == '\'' || ascii == '-' || ascii == '.';
    }
    if (c == 0x2019) { // right single quotation mark: the typographic apostrophe
        return true;
    }
    if (c < 0xC0 || c == 0xD7 || c == 0xF7) {
        return false;
    }
    const bool punctuation = c >= 0x2000 && c <= 0x206F;
    const bool symbols = c >= 0x20A0 && c <= 0x2BFF;
    const bool specials = c >= 0xFFF0; // U+FFFD shows a decoding gone wrong
    return !punctuation && !symbols && !specials;
}

std::string control_problem(char32_t c)
{
    if (c == '\t') {
        return _("contains a tab character");
    }
    if (c == '\n' || c == '\r') {
        return _("contains a line break");
    }
    return credenza::i18n::format(_fmt("contains a control character (U+{:04X})"), static_cast<unsigned>(c));
}

std::string local_part_problem(std::string_view local)
{
    if (local.empty()) {
        return _("has nothing before '@'");
    }
    if (local.size() > k_local_part_max) {
        return _("the part before '@' is longer than 64 characters");
    }
    for (const char c : local) {
        const bool allowed = is_ascii_letter(c) || is_ascii_digit(c) || c == '.' ||
                             k_local_part_symbols.find(c) != std::string_view::npos;
        if (!allowed) {
            return credenza::i18n::format(_fmt("character '{}' is not allowed before '@'"), c);
        }
    }
    if (local.front() == '.' || local.back() == '.') {
        return _("the part before '@' must not start or end with a dot");
    }
    if (local.find("..") != std::string_view::npos) {
        return _("the part before '@' must not contain two dots in a row");
    }
    return {};
}

std::string domain_problem(std::string_view domain)
{
    if (domain.empty()) {
        return _("has nothing after '@'");
    }
    if (domain.front() == '[') {
        return _("an IP address is not accepted as the domain");
    }
    for (const char c : domain) {
        if (!is_ascii_letter(c) && !is_ascii_digit(c) && c != '-' && c != '.') {
            return credenza::i18n::format(_fmt("character '{}' is not allowed in the domain"), c);
        }
    }
    if (domain.find('.') == std::string_view::npos) {
        return credenza::i18n::format(_fmt("the domain '{}' has no dot (as in example.it)"), domain);
    }
    if (domain.front() == '.' || domain.back() == '.') {
        return credenza::i18n::format(_fmt("the domain '{}' must not start or end with a dot"), domain);
    }
    if (domain.find("..") != std::string_view::npos) {
        return credenza::i18n::format(_fmt("the domain '{}' must not contain two dots in a row"), domain);
    }
    std::string_view label;
    for (std::size_t start = 0;;) {
        const auto dot = domain.find('.', start);
        label = dot == std::string_view::npos ? domain.substr(start) : domain.substr(start, dot - start);
        if (label.size() > k_domain_label_max) {
            return credenza::i18n::format(_fmt("the domain '{}' has a part longer than 63 characters"), domain);
        }
        if (label.front() == '-' || label.back() == '-') {
            return credenza::i18n::format(_fmt("the domain part '{}' must not start or end with '-'"), label);
        }
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    const bool letters_only = std::all_of(label.begin(), label.end(), is_ascii_letter);
    if (label.size() < 2 || !letters_only) {
        return credenza::i18n::format(_fmt("the domain '{}' must end with a top-level domain of 2 or more letters"), domain);
    }
    return {};
}

} // namespace

std::string Date::iso() const
{
    // By hand: fmt::format was 1.2% of an import (once per pupil).
    if (year < 0 || year > 9999 || month < 0 || month > 99 || day < 0 || day > 99) {
        return fmt::format("{:04}-{:02}-{:02}", year, month, day);
    }
    std::string text = "0000-00-00";
    text[0] = static_cast<char>('0' + year / 1000);
    text[1] = static_cast<char>('0' + year / 100 % 10);
    text[2] = static_cast<char>('0' + year / 10 % 10);
    text[3] = static_cast<char>('0' + year % 10);
    text[5] = static_cast<char>('0' + month / 10);
    text[6] = static_cast<char>('0' + month % 10);
    text[8] = static_cast<char>('0' + day / 10);
    text[9] = static_cast<char>('0' + day % 10);
    return text;
}

Date Date::today()
{
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return Date{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

std::optional<Date> parse_iso_date(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    const int year = parse_number(text.substr(0, 4), 4, 4);
    const int month = parse_number(text.substr(5, 2), 2, 2);
    const int day = parse_number(text.substr(8, 2), 2, 2);
    if (year < 0 || month < 0 || day < 0) {
        return std::nullopt;
    }
    return make_date(year, month, day);
}

std::optional<Date> parse_date(std::string_view text)
{
    const std::string trimmed = util::trim(text);
    if (auto iso = parse_iso_date(trimmed)) {
        return iso;
    }
    const std::string_view view(trimmed);
    const auto first = view.find('/');
    const auto second = first == std::string_view::npos ? first : view.find('/', first + 1);
    if (second == std::string_view::npos) {
        return std::nullopt;
    }
    const int day = parse_number(view.substr(0, first), 1, 2);
    const int month = parse_number(view.substr(first + 1, second - first - 1), 1, 2);
    const int year = parse_number(view.substr(second + 1), 4, 4);
    if (year < 0 || month < 0 || day < 0) {
        return std::nullopt;
    }
    return make_date(year, month, day);
}

int age_on(const Date& birth, const Date& day)
{
    int age = day.year - birth.year;
    // Compare (month, day) pairs: someone born on 29 February has a birthday on 1 March in other years.
    if (day.month < birth.month || (day.month == birth.month && day.day < birth.day)) {
        --age;
    }
    return age;
}

std::string email_problem(std::string_view email)
{
    if (email.empty()) {
        return _("must not be empty");
    }
    if (email.size() > k_email_max) {
        return _("is longer than 254 characters");
    }
    for (const char c : email) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\r' || c == '\n') {
            return _("must not contain a line break");
        }
        if (c == ' ' || c == '\t') {
            return _("must not contain spaces");
        }
        if (byte < 0x20 || byte == 0x7F) {
            return _("must not contain control characters");
        }
        if (byte >= 0x80) {
            return _("must contain only ASCII characters (no accented letters)");
        }
        if (c == '"') {
            return _("must not contain quotes");
        }
    }
    const auto at = email.find('@');
    if (at == std::string_view::npos) {
        return _("must contain '@'");
    }
    if (email.find('@', at + 1) != std::string_view::npos) {
        return _("must contain exactly one '@'");
    }
    if (auto problem = local_part_problem(email.substr(0, at)); !problem.empty()) {
        return problem;
    }
    return domain_problem(email.substr(at + 1));
}

std::string normalise_class(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == ' ' || c == '\t') {
            continue;
        }
        out += c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out;
}

std::string class_problem(std::string_view normalised)
{
    if (normalised.empty()) {
        return _("must not be empty");
    }
    const std::string_view suffix = normalised.substr(1);
    const bool valid = normalised[0] >= '1' && normalised[0] <= '8' && !suffix.empty() &&
                       suffix.size() <= k_class_suffix_max &&
                       std::all_of(suffix.begin(), suffix.end(),
                                   [](char c) { return is_ascii_letter(c) || is_ascii_digit(c); });
    if (!valid) {
        return credenza::i18n::format(_fmt("'{}' is not a class: a year 1-8 then 1 to 6 letters or digits, as in 1A or 3AINF"),
                           normalised);
    }
    return {};
}

std::string name_problem(std::string_view name)
{
    // Most names are ASCII: their bytes are their characters, checked with no decoding into a new
    // string and no trimmed copy (those were 2% of an import).
    const bool ascii =
        std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    std::u32string decoded;
    if (!ascii) {
        auto characters = util::decode_utf8(name); // validates as it decodes
        if (!characters) {
            return _("is not valid UTF-8 text");
        }
        decoded = std::move(*characters);
    }
    const auto problem_of = [&](const auto& characters) -> std::string {
        for (const auto character : characters) {
            const auto c = static_cast<char32_t>(character);
            if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
                return control_problem(c);
            }
        }
        const auto first = name.find_first_not_of(util::k_blanks);
        if (first == std::string_view::npos) {
            return _("must not be empty");
        }
        const std::string_view trimmed = name.substr(first, name.find_last_not_of(util::k_blanks) - first + 1);
        for (const auto character : characters) {
            const auto c = static_cast<char32_t>(character);
            if (!is_name_character(c)) {
                if (c == 0xA0 || c == 0xFFFD || (c >= 0x2000 && c <= 0x200F)) {
                    return credenza::i18n::format(_fmt("character U+{:04X} is not allowed in a name"),
                                                  static_cast<unsigned>(c));
                }
                return credenza::i18n::format(_fmt("character '{}' is not allowed in a name"), util::encode_utf8(c));
            }
        }
        // Valid UTF-8: one character per byte that does not continue a sequence.
        if (std::count_if(trimmed.begin(), trimmed.end(),
                          [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }) >
            static_cast<std::ptrdiff_t>(k_name_max)) {
            return _("is longer than 100 characters");
        }
        return std::string();
    };
    return ascii ? problem_of(name) : problem_of(decoded);
}

} // namespace credenza::enrolment
