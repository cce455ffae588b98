#include "cli/output/json.hpp"

#include <ostream>

#include <credenza/time.hpp>

namespace credenza::cli::output {

namespace {
Json row_object(const Table& columns, const Row& row);
} // namespace

Json to_json(const Value& value)
{
    struct Visitor
    {
        Json operator()(std::monostate) const { return nullptr; }
        Json operator()(bool b) const { return b; }
        Json operator()(long long n) const { return n; }
        // A stored time ("...Z") as ISO 8601 with the school's offset: "2026-12-01T20:07:10+01:00".
        Json operator()(const std::string& s) const { return local_time(s, TimeStyle::iso); }
        Json operator()(const std::vector<std::string>& list) const { return list; }
    };
    return std::visit(Visitor{}, value);
}

Json to_json(const Record& record)
{
    auto object = Json::object();
    for (const auto& [key, value] : record.fields) {
        object[key] = to_json(value);
    }
    return object;
}

Json to_json(const Table& table)
{
    auto array = Json::array();
    for (const auto& row : table.rows()) {
        array.push_back(row_object(table, row));
    }
    return array;
}

namespace {

Json row_object(const Table& columns, const Row& row)
{
    auto object = Json::object();
    for (std::size_t c = 0; c < row.size(); ++c) {
        if (row[c]) {
            object[columns.columns()[c].key] = to_json(*row[c]);
        }
    }
    return object;
}

} // namespace

void write_json(std::ostream& out, const Json& document)
{
    out << document.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

JsonRowWriter::JsonRowWriter(std::ostream& out, const Table& columns) : m_out(out), m_columns(columns) {}

// An array indented by two is "[", each element indented by two more and separated by ",", "]";
// an empty one is "[]".
void JsonRowWriter::row(const Row& row)
{
    const std::string element = row_object(m_columns, row).dump(2, ' ', false, Json::error_handler_t::replace);
    m_out << (m_first ? "[\n  " : ",\n  ");
    m_first = false;
    std::size_t start = 0;
    for (auto newline = element.find('\n'); newline != std::string::npos; newline = element.find('\n', start)) {
        m_out.write(element.data() + start, static_cast<std::streamsize>(newline + 1 - start));
        m_out << "  ";
        start = newline + 1;
    }
    m_out.write(element.data() + start, static_cast<std::streamsize>(element.size() - start));
}

void JsonRowWriter::end()
{
    m_out << (m_first ? "[]\n" : "\n]\n");
}

} // namespace credenza::cli::output
