#pragma once
// Which column of an enrolment export holds which field: canonical headers
// (student_tax_code, guardian1_email, ...), the Italian headers of a register's
// export (Codice Fiscale, Email Genitore 1, ...), and the operator's --map.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace credenza::enrolment {

enum class Field {
    student_tax_code,
    student_surname,
    student_name,
    birth_date,
    class_name,
    student_email,
    guardian_tax_code,
    guardian_surname,
    guardian_name,
    guardian_email,
};

struct FieldRef
{
    Field field;
    int guardian = 0; // 1, 2, ... for guardian fields, 0 otherwise
    auto operator<=>(const FieldRef&) const = default;
};

inline constexpr int k_max_guardians = 9;

// "guardian2_email" -> {guardian_email, 2}; nullopt for an unknown name.
std::optional<FieldRef> parse_field_name(std::string_view canonical);
std::string field_name(const FieldRef& ref);

// A header as written ("Email Genitore 1", " Codice  fiscale ") -> its field, or nullopt.
std::optional<FieldRef> recognise_header(std::string_view header);

struct ColumnMap
{
    std::vector<std::optional<FieldRef>> by_column; // one per header column
    std::vector<std::string> headers;               // as written in the file
    std::vector<std::string> ignored;               // headers that map to nothing
    int guardians = 0;                              // highest guardian index present

    std::optional<std::size_t> column_of(const FieldRef& ref) const;
};

// Builds the map for a header row. `overrides` maps a header (matched case- and
// space-insensitively) to a canonical field name. Problems (unknown field in --map,
// missing required columns, a field given twice) are returned as "field: reason" texts.
ColumnMap map_columns(const std::vector<std::string>& headers, const std::map<std::string, std::string>& overrides,
                      std::vector<std::string>& problems);

} // namespace credenza::enrolment
