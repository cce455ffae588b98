#include <credenza/enrolment/review.hpp>

#include <algorithm>
#include <array>

namespace credenza::enrolment {

namespace {

int change_order(const std::string& change)
{
    static constexpr std::array<std::string_view, 8> k_order = {"new",    "changed",  "held",    "cleared",
                                                                "kept",   "leaving",  "disabled", "enabled"};
    const auto found = std::find(k_order.begin(), k_order.end(), change);
    return static_cast<int>(found - k_order.begin());
}

} // namespace

Table review_table(const ImportReport& report)
{
    auto entries = report.review;
    std::stable_sort(entries.begin(), entries.end(), [](const ReviewEntry& a, const ReviewEntry& b) {
        return std::tuple(a.class_name, change_order(a.change), a.kind == "guardian", a.surname, a.name) <
               std::tuple(b.class_name, change_order(b.change), b.kind == "guardian", b.surname, b.name);
    });
    Table table;
    table.add_column("class")
        .add_column("change")
        .add_column("kind")
        .add_column("surname")
        .add_column("name")
        .add_column("user_code", "user code")
        .add_column("tax_code", "codice fiscale", Detail::full)
        .add_column("field")
        .add_column("old")
        .add_column("new");
    for (const auto& entry : entries) {
        table.add_row({Value(entry.class_name), Value(entry.change), Value(entry.kind), Value(entry.surname),
                       Value(entry.name), Value(entry.user_code), Value(entry.tax_code), Value(entry.field),
                       Value(entry.old_value), Value(entry.new_value)});
    }
    return table;
}

Table columns_table(const ImportReport& report)
{
    Table table;
    table.add_column("file").add_column("column").add_column("field");
    for (const auto& column : report.columns) {
        table.add_row({Value(column.file), Value(column.header), Value(column.field)});
    }
    return table;
}

} // namespace credenza::enrolment
