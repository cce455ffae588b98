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

} // namespace credenza::cli::output
