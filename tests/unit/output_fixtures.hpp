#pragma once
// A small table for the unit tests of the CLI's writers (tests/unit/test_cli_output*.cpp).

#include <string>

#include <credenza/table.hpp>

namespace credenza::testing {

// Two classes; "note" is only in the full view, "n" is the label of "pupils".
inline Table people_table()
{
    Table table;
    table.add_column("class").add_column("pupils", "n").add_column("note", "", Detail::full);
    table.add_row({Value(std::string("1A")), number(3), Value(std::string("Dell'Orto, \"Gino\""))});
    table.add_row({Value(std::string("1B")), number(12), Value(std::string("=SUM(A1)"))});
    return table;
}

} // namespace credenza::testing
