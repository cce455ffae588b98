#pragma once
// Which column of an enrolment export holds which field: canonical headers
// (student_tax_code, guardian1_email, ...), the many spellings of real registers' exports
// (Codice Fiscale, E-mail Genitore 1, Data Nascita, CODICE FISCALE ALUNNO, genitore1Cognome,
// COGNOME TUTORE, ...), and the operator's --map. schemas/enrolment_columns.md lists them.

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
    guardian_role,   // Padre, Madre, Tutore: read so that it is not dropped, not stored
};

struct FieldRef
{
    Field field;
    // 1, 2, ... for the numbered guardian fields of a row per pupil; 0 for the pupil's fields
    // and for the one guardian of a row per guardian ("COGNOME TUTORE", guardian_surname).
    int guardian = 0;
    auto operator<=>(const FieldRef&) const = default;
};

inline constexpr int k_max_guardians = 9;

bool is_guardian_field(Field field);

// "guardian2_email" -> {guardian_email, 2}, "guardian_email" -> {guardian_email, 0};
// nullopt for an unknown name.
std::optional<FieldRef> parse_field_name(std::string_view canonical);
std::string field_name(const FieldRef& ref);

// Every field name --map accepts, for messages: "student_tax_code, ..., guardianN_email, ...".
std::string field_names_list();

// One line per field: its canonical name, what it holds and the headers recognised for it.
struct FieldHelp
{
    std::string name;
    std::string meaning;
    std::string headers;
};
std::vector<FieldHelp> field_help();

// What a header says.
struct HeaderMeaning
{
    std::optional<FieldRef> field;      // the field it is
    std::optional<FieldRef> probable;   // not recognised, but it looks like this field
    std::string problem;                // "" or why it cannot be read (a guardian number out of range)
};

// A header as written ("E-mail Genitore 1", " Codice  fiscale ", "genitore1Cognome").
HeaderMeaning read_header(std::string_view header);
std::optional<FieldRef> recognise_header(std::string_view header);

// The --map target that leaves a column out on purpose.
inline constexpr std::string_view k_ignore_field = "ignore";

enum class Layout {
    automatic,
    pupil_rows,    // one row per pupil, guardians numbered: Genitore 1, Genitore 2
    guardian_rows, // one row per guardian: the pupil's fields repeated, one guardian per row
    two_files,     // a file of pupils and a file of guardians joined by the pupil's codice fiscale
};

std::string_view layout_name(Layout layout);   // "pupil-rows", "guardian-rows", "two-files"
std::optional<Layout> parse_layout(std::string_view name);

// What a file is for the import: the pupils (with or without their guardians), or the guardians only.
enum class FileRole { pupils, guardians };

struct ColumnMap
{
    std::vector<std::optional<FieldRef>> by_column; // one per header column
    std::vector<std::string> headers;               // as written in the file
    std::vector<std::string> ignored;               // headers that map to nothing
    std::vector<int> guardians;                     // guardian numbers present (0: the row's one guardian)

    std::optional<std::size_t> column_of(const FieldRef& ref) const;
    bool has_unnumbered_guardian() const;
};

// Builds the map for a header row. `overrides` maps a header (matched as headers are,
// case-, accent- and space-insensitively) to a canonical field name or "ignore". Problems
// (an unknown field in --map, a missing required column, a field given twice, a column that
// looks like a field but is not recognised) are returned as "column: reason" texts.
// `layout` is pupil_rows or guardian_rows (the required guardian columns differ).
ColumnMap map_columns(const std::vector<std::string>& headers, const std::map<std::string, std::string>& overrides,
                      std::vector<std::string>& problems, Layout layout = Layout::pupil_rows,
                      FileRole role = FileRole::pupils);

// The layout the header of a single file implies: guardian_rows when it has the unnumbered
// guardian columns of a row per guardian, else pupil_rows.
Layout detect_layout(const std::vector<std::string>& headers, const std::map<std::string, std::string>& overrides);

} // namespace credenza::enrolment
