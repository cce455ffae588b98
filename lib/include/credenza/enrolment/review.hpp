#pragma once
// The review of an import: who is new, changed (field: old -> new), held, kept, cleared,
// leaving or disabled, by class, as a Table every output format can print.

#include <credenza/enrolment/import.hpp>
#include <credenza/table.hpp>

namespace credenza::enrolment {

// Ordered by class, then change, then surname and name. Columns: class, change, kind, surname,
// name, user_code, field, old, new; tax_code for CSV and JSON.
Table review_table(const ImportReport& report);

// Which file column feeds which field: file, column, field ("" when ignored).
Table columns_table(const ImportReport& report);

} // namespace credenza::enrolment
