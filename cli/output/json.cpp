#include "cli/output/json.hpp"

#include <ostream>

#include <credenza/time.hpp>

namespace credenza::cli::output {

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
        auto object = Json::object();
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (row[c]) {
                object[table.columns()[c].key] = to_json(*row[c]);
            }
        }
        array.push_back(std::move(object));
    }
    return array;
}

void write_json(std::ostream& out, const Json& document)
{
    out << document.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

} // namespace credenza::cli::output
