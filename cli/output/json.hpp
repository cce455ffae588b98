#pragma once
// JSON with nlohmann-json, keys in the order the table or record gives them. Keys and value
// types are an interface that scripts read; the layout (indented by two) is not.

#include <iosfwd>

#include <nlohmann/json.hpp>

#include <credenza/table.hpp>

namespace credenza::cli::output {

using Json = nlohmann::ordered_json;

Json to_json(const Value& value);
Json to_json(const Record& record);
// An array of objects, one per row, with every field the row has.
Json to_json(const Table& table);

// The document and a newline; text that is not UTF-8 comes out with U+FFFD, never a throw.
void write_json(std::ostream& out, const Json& document);

// write_json(to_json(table)) a row at a time, for rows printed as they are read: begin, one
// row of `columns` (a table whose rows are not used) after another, end; the same bytes.
class JsonRowWriter
{
public:
    JsonRowWriter(std::ostream& out, const Table& columns);
    void row(const Row& row);
    void end();

private:
    std::ostream& m_out;
    const Table& m_columns;
    bool m_first = true;
};

} // namespace credenza::cli::output
