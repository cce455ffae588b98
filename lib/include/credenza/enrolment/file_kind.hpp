#pragma once
// Files that are not CSV text, recognised by their first bytes: a workbook saved as it is
// (.xlsx, .xls, .ods), a PDF, a UTF-16 text. The import refuses them with one clear error
// instead of a list of missing columns.

#include <filesystem>
#include <string>
#include <string_view>

namespace credenza::enrolment {

// "" for a file that may be CSV text; else what it is, e.g. "an Excel workbook (.xlsx)".
std::string not_csv_kind(std::string_view first_bytes);

// Throws Error(bad_input, "'FILE' is an Excel workbook (.xlsx), not a CSV file", Hint::save_as_csv)
// for such a file; Error(no_input) when it cannot be opened.
void require_csv_text(const std::filesystem::path& path);

} // namespace credenza::enrolment
