#include "report_scope.hpp"

#include <algorithm>

namespace credenza::store::detail {

std::string classes_json(const ReportScope& scope)
{
    std::string json = "[";
    for (std::size_t i = 0; i < scope.classes.size(); ++i) {
        json += i > 0 ? ",\"" : "\"";
        for (const char c : scope.classes[i]) {
            // Class names are normalised to [0-9A-Z]; anything else is escaped all the same.
            if (c == '"' || c == '\\') {
                json += '\\';
            }
            if (static_cast<unsigned char>(c) >= 0x20) {
                json += c;
            }
        }
        json += '"';
    }
    return json + "]";
}

void bind_scope(SQLite::Statement& query, const ReportScope& scope)
{
    query.bind(1, classes_json(scope));
    query.bind(2, scope.school_year);
}

std::vector<std::string> split_classes(const std::string& list)
{
    std::vector<std::string> classes;
    std::size_t start = 0;
    while (start < list.size()) {
        const auto comma = list.find(',', start);
        const auto end = comma == std::string::npos ? list.size() : comma;
        if (end > start) {
            classes.push_back(list.substr(start, end - start));
        }
        start = end + 1;
    }
    std::sort(classes.begin(), classes.end());
    return classes;
}

} // namespace credenza::store::detail
