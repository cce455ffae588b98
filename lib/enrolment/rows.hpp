#pragma once
// Internal to the import: one validated row of an enrolment export.

#include <string>
#include <vector>

#include <credenza/enrolment/columns.hpp>
#include <credenza/enrolment/csv_reader.hpp>
#include <credenza/enrolment/fields.hpp>

namespace credenza::enrolment::detail {

struct GuardianRow
{
    int position = 0;
    std::string tax_code;
    std::string surname;
    std::string name;
    std::string email;
};

struct PupilRow
{
    std::size_t line = 0;
    std::string tax_code;
    std::string surname;
    std::string name;
    Date birth_date;
    std::string class_name;
    std::string email;
    std::vector<GuardianRow> guardians;
};

// Validates one record against the column map. Problems are appended as
// "FILE:LINE: field: reason", naming the field by the file's own header.
// Returns false when the row has any problem.
bool read_row(const CsvRecord& record, const ColumnMap& columns, const std::string& file, PupilRow& row,
              std::vector<std::string>& problems);

} // namespace credenza::enrolment::detail
