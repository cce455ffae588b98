#pragma once
// The review of an import: who is new, changed (field: old -> new), held, kept, cleared,
// leaving or disabled, by class, as a Table every output format can print.

#include <credenza/enrolment/import.hpp>
#include <credenza/table.hpp>

#include <string>
#include <string_view>

namespace credenza::enrolment {

// Ordered by class, then change, then surname and name. Columns: class, change, kind, surname,
// name, user_code, field, old, new; tax_code for CSV and JSON.
Table review_table(const ImportReport& report);

// A word of the change or kind columns (new, changed, held, cleared, kept, leaving, disabled,
// enabled; pupil, guardian) in the reader's language, for a front end that shows the review to
// people; the table's cells stay English, as JSON and CSV read them. Other words come back unchanged.
std::string review_word(std::string_view word);

// Which file column feeds which field: file, column, field ("" when ignored).
Table columns_table(const ImportReport& report);

} // namespace credenza::enrolment
