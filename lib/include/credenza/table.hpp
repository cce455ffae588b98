#pragma once
// Rows that describe themselves: a report or a listing says once which columns it has (a
// stable key for JSON and CSV, a label for people) and gives typed rows, so that every
// front end (the CLI's table, CSV, JSON and HTML writers, a web page) shows the same columns.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace credenza {

// A field's value: null, a yes/no, a number, a text or a list of texts.
using Value = std::variant<std::monostate, bool, long long, std::string, std::vector<std::string>>;

// A number as a Value: int does not choose an alternative of the variant by itself.
inline Value number(long long value)
{
    return Value(value);
}

// How much of a table a view shows. Each column names the least detailed view it belongs to.
enum class Detail {
    brief,    // what fits a terminal
    full,     // every column a file keeps (CSV, a printed page)
    complete, // also the fields that only some rows have (JSON)
};

struct Column
{
    std::string key;   // stable: JSON keys and CSV headers; never translated
    std::string label; // for people (table and HTML headers); "" = the key
    Detail detail = Detail::brief;

    const std::string& heading() const { return label.empty() ? key : label; }
};

// A row's field; std::nullopt when the row has no such field at all (JSON leaves it out,
// a table shows an empty cell), unlike a null Value.
using Cell = std::optional<Value>;
using Row = std::vector<Cell>;

class Table
{
public:
    Table& add_column(std::string key, std::string label = {}, Detail detail = Detail::brief);
    // One cell per column, in their order; throws Error(internal) for another count.
    Table& add_row(Row row);

    const std::vector<Column>& columns() const { return m_columns; }
    const std::vector<Row>& rows() const { return m_rows; }
    bool empty() const { return m_rows.empty(); }

    // The same rows with only the columns a view of this detail shows.
    Table view(Detail detail) const&;
    // The same, moving the cells out of a table that is not needed any more.
    Table view(Detail detail) &&;

    std::optional<std::size_t> index_of(std::string_view key) const;
    // The cell of a row under a key, nullptr when the table has no such column or the row no such field.
    const Value* find(std::size_t row, std::string_view key) const;

private:
    std::vector<Column> m_columns;
    std::vector<Row> m_rows;
};

// One object (`account show`, the summary): fields in order, keys as in a table's columns.
struct Record
{
    std::vector<std::pair<std::string, Value>> fields;

    Record& add(std::string key, Value value);
    const Value* find(std::string_view key) const;
};

// The text of a value for a table cell or CSV: "" for null, yes/no, lists joined with ' '.
std::string to_text(const Value& value);

} // namespace credenza
