#include <credenza/enrolment/review.hpp>

#include <algorithm>
#include <array>

#include "i18n/gettext.hpp"

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

std::string review_word(std::string_view word)
{
    // The words of the change and kind columns, for people; the table keeps them in English.
    static constexpr std::array<const char*, 10> k_words = {
        // TRANSLATORS: a change in an import's review: a pupil or guardian new to the database.
        N_("new"), N_("changed"), N_("held"), N_("cleared"), N_("kept"), N_("leaving"), N_("disabled"), N_("enabled"),
        // TRANSLATORS: the kind of person in an import's review.
        N_("pupil"), N_("guardian")};
    for (const char* known : k_words) {
        if (word == known) {
            return credenza::i18n::translate(known);
        }
    }
    return std::string(word);
}

Table review_table(const ImportReport& report)
{
    auto entries = report.review;
    std::stable_sort(entries.begin(), entries.end(), [](const ReviewEntry& a, const ReviewEntry& b) {
        // A row with no class (a guardian no pupil links to) after the classes, with its change and kind.
        return std::tuple(a.class_name.empty(), a.class_name, change_order(a.change), a.kind == "guardian", a.surname,
                          a.name) < std::tuple(b.class_name.empty(), b.class_name, change_order(b.change),
                                               b.kind == "guardian", b.surname, b.name);
    });
    Table table;
    table.add_column("class", _("class"))
        .add_column("change", _("change"))
        .add_column("kind", _("kind"))
        .add_column("surname", _("surname"))
        .add_column("name", _("name"))
        .add_column("user_code", _("user code"))
        .add_column("tax_code", _("codice fiscale"), Detail::full)
        .add_column("field", _("field"))
        .add_column("old", _("old"))
        .add_column("new", _("new"));
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
    table.add_column("file", _("file")).add_column("column", _("column")).add_column("field", _("field"));
    for (const auto& column : report.columns) {
        table.add_row({Value(column.file), Value(column.header), Value(column.field)});
    }
    return table;
}

} // namespace credenza::enrolment
