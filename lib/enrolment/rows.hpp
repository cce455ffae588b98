#pragma once
// Internal to the import: one validated row of an enrolment export.

#include <optional>
#include <string>
#include <vector>

#include <credenza/enrolment/columns.hpp>
#include <credenza/enrolment/csv_reader.hpp>
#include <credenza/enrolment/fields.hpp>

namespace credenza::enrolment::detail {

struct GuardianRow
{
    int position = 0;           // 0 until a row per guardian gives it its place
    std::size_t line = 0;       // where it was read (a row per guardian, a guardians file)
    bool in_guardians_file = false; // read from the guardians file (import PUPILS --guardians FILE), else the pupils file
    std::string tax_code;
    std::string surname;
    std::string name;
    std::optional<std::string> email; // nullopt: the file has no such column; "": an empty cell
};

struct PupilRow
{
    std::size_t line = 0;
    std::string tax_code;
    std::string surname;
    std::string name;
    Date birth_date;
    std::string class_name;
    std::optional<std::string> email; // nullopt: the file has no such column; "": an empty cell
    std::vector<GuardianRow> guardians;
};

// Validates one record against the column map. Problems are appended as
// "FILE:LINE: field: reason", naming the field by the file's own header.
// Returns false when the row has any problem.
// A record of a guardians file (FileRole::guardians) fills only the pupil's codice fiscale
// and the guardians.
bool read_row(const CsvRecord& record, const ColumnMap& columns, const std::string& file, FileRole role, PupilRow& row,
              std::vector<std::string>& problems);

} // namespace credenza::enrolment::detail
