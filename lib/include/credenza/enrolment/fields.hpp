#pragma once
// Parsing and validation of the single fields of an enrolment row. Every *_problem
// function returns "" when the value is valid, else a short lower-case reason
// without a trailing period, ready for "FILE:LINE: field: reason".

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace credenza::enrolment {

struct Date
{
    int year = 0, month = 0, day = 0;

    std::string iso() const;                                 // "2008-03-07"
    auto operator<=>(const Date&) const = default;
    static Date today();                                     // local calendar date
};

// "YYYY-MM-DD" or "DD/MM/YYYY" (also D/M/YYYY), surrounding spaces ignored; real
// calendar dates only (leap years); year 1900..2100.
std::optional<Date> parse_date(std::string_view text);

// Only YYYY-MM-DD, exactly (as stored in the database).
std::optional<Date> parse_iso_date(std::string_view text);

// Whole years; born 29 Feb -> adult on 1 Mar in non-leap years.
int age_on(const Date& birth, const Date& day);

// A practical RFC 5322 subset: dot-atom local part (at most 64 characters), '@', a
// domain of at least two labels [A-Za-z0-9-] ending in a top-level domain of 2+
// letters; at most 254 characters. No quoted local parts, comments or IP literals.
std::string email_problem(std::string_view email);

// Trims, removes inner spaces and upper-cases: " 1 a " -> "1A".
std::string normalise_class(std::string_view text);

// A year digit 1-8 then 1 to 6 letters or digits: 1A, 5BS, 3AINF.
std::string class_problem(std::string_view normalised);

// Non-empty after trimming, valid UTF-8, no control characters, at most 100
// characters; letters (accented too), apostrophes (' and U+2019), spaces, hyphens
// and dots. Digits, quotes and other symbols are refused.
std::string name_problem(std::string_view name);

} // namespace credenza::enrolment
