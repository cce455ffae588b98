#include <credenza/reports/tables.hpp>

#include <utility>

#include "i18n/gettext.hpp"

namespace credenza::reports {

namespace {

Value text(std::string_view word)
{
    return Value(std::string(word));
}

// A row whose values are moved in (a braced list would copy every text once more).
template <typename... Values>
Row row_of(Values&&... values)
{
    Row row;
    row.reserve(sizeof...(values));
    (row.emplace_back(std::forward<Values>(values)), ...);
    return row;
}

} // namespace

Record summary_record(const Summary& s)
{
    Record record;
    record.add("pupils_active", number(s.pupils_active))
        .add("pupils_left", number(s.pupils_left))
        .add("guardians", number(s.guardians))
        .add("family_accounts_active", number(s.family_active))
        .add("family_accounts_disabled", number(s.family_disabled))
        .add("student_accounts_active", number(s.student_active))
        .add("student_accounts_disabled", number(s.student_disabled))
        .add("family_accounts_without_address", number(s.family_without_address))
        .add("student_accounts_without_address", number(s.student_without_address))
        .add("letters_queued", number(s.letters_queued))
        .add("letters_sent", number(s.letters_sent))
        .add("letters_deferred", number(s.letters_deferred))
        .add("letters_failed", number(s.letters_failed))
        .add("letters_cancelled", number(s.letters_cancelled));
    for (const auto& [code, count] : s.problems) {
        record.add("problems_" + code, number(count));
    }
    return record;
}

std::string summary_label(std::string_view key)
{
    static constexpr std::pair<std::string_view, const char*> k_labels[] = {
        {"pupils_active", N_("pupils enrolled")},
        {"pupils_left", N_("pupils who left")},
        {"guardians", N_("guardians")},
        {"family_accounts_active", N_("family accounts active")},
        {"family_accounts_disabled", N_("family accounts disabled")},
        {"student_accounts_active", N_("student accounts active")},
        {"student_accounts_disabled", N_("student accounts disabled")},
        {"family_accounts_without_address", N_("family accounts without an address")},
        {"student_accounts_without_address", N_("student accounts without an address")},
        {"letters_queued", N_("letters queued")},
        {"letters_sent", N_("letters sent")},
        {"letters_deferred", N_("letters deferred")},
        {"letters_failed", N_("letters failed")},
        {"letters_cancelled", N_("letters cancelled")},
    };
    for (const auto& [known, label] : k_labels) {
        if (known == key) {
            return credenza::i18n::translate(label);
        }
    }
    if (key.starts_with("problems_")) {
        // TRANSLATORS: a line of the summary: the number of accounts with this problem.
        return credenza::i18n::format(_fmt("problems: {}"), problem_label(key.substr(9)));
    }
    return std::string(key);
}

Table classes_table(const std::vector<ClassProgress>& rows)
{
    Table table;
    table.add_column("class", _("class"))
        .add_column("pupils", _("pupils"))
        .add_column("family_accounts", _("families"))
        .add_column("student_accounts", _("students"))
        .add_column("letters_sent", _("sent"))
        .add_column("letters_pending", _("pending"))
        .add_column("letters_deferred", _("deferred"))
        .add_column("letters_failed", _("failed"))
        .add_column("without_address", _("no_address"))
        .add_column("families_with_credentials", _("families_with_credentials"), Detail::full)
        .add_column("students_with_credentials", _("students_with_credentials"), Detail::full);
    for (const auto& row : rows) {
        table.add_row({Value(row.class_name), number(row.pupils), number(row.family_accounts),
                       number(row.student_accounts), number(row.letters_sent), number(row.letters_pending),
                       number(row.letters_deferred), number(row.letters_failed), number(row.without_address),
                       number(row.families_with_credentials), number(row.students_with_credentials)});
    }
    return table;
}

Table deliveries_columns()
{
    Table table;
    table.add_column("letter", _("letter"), Detail::full)
        .add_column("user_code", _("user_code"))
        .add_column("kind", _("kind"))
        .add_column("surname", _("surname"), Detail::full)
        .add_column("name", _("name"), Detail::full)
        .add_column("classes", _("classes"), Detail::full)
        .add_column("purpose", _("purpose"), Detail::full)
        .add_column("address", _("address"))
        .add_column("state", _("state"))
        .add_column("attempts", _("attempts"))
        .add_column("last_code", _("last_code"), Detail::full)
        .add_column("last_reply", _("last_reply"))
        .add_column("time", _("time"))
        .add_column("next_attempt", _("next_attempt"));
    return table;
}

Row delivery_row(Delivery&& row)
{
    return row_of(number(row.letter_id), Value(std::move(row.user_code)), text(to_string(row.kind)),
                  Value(std::move(row.surname)), Value(std::move(row.name)), Value(std::move(row.classes)),
                  text(to_string(row.purpose)), Value(std::move(row.address)), text(to_string(row.state)),
                  number(row.attempts), row.last_code ? number(*row.last_code) : Value(),
                  Value(std::move(row.last_reply)), Value(std::move(row.time)), Value(std::move(row.next_attempt)));
}

Table deliveries_table(std::vector<Delivery> rows)
{
    Table table = deliveries_columns();
    for (auto& row : rows) {
        table.add_row(delivery_row(std::move(row)));
    }
    return table;
}

Table problems_table(std::vector<Problem> rows)
{
    Table table;
    table.add_column("problem", _("problem"))
        .add_column("user_code", _("user_code"))
        .add_column("kind", _("kind"), Detail::full)
        .add_column("tax_code", _("tax_code"), Detail::full)
        .add_column("surname", _("surname"))
        .add_column("name", _("name"))
        .add_column("classes", _("classes"))
        .add_column("address", _("address"), Detail::full)
        .add_column("reason", _("reason"));
    for (auto& row : rows) {
        table.add_row(row_of(Value(std::move(row.problem)), Value(std::move(row.user_code)), text(to_string(row.kind)),
                             Value(std::move(row.tax_code)), Value(std::move(row.surname)), Value(std::move(row.name)),
                             Value(std::move(row.classes)), Value(std::move(row.address)),
                             Value(std::move(row.reason))));
    }
    return table;
}

Table audit_columns()
{
    Table table;
    table.add_column("id", _("id")).add_column("at", _("at")).add_column("operator", _("operator")).add_column("action", _("action")).add_column("account", _("account"))
        .add_column("detail", _("detail"));
    return table;
}

Row audit_row(audit::Entry&& entry)
{
    return row_of(number(entry.id), Value(std::move(entry.at)), Value(std::move(entry.operator_name)),
                  Value(std::move(entry.action)), Value(std::move(entry.account)), Value(std::move(entry.detail)));
}

Table audit_table(std::vector<audit::Entry> entries)
{
    Table table = audit_columns();
    for (auto& entry : entries) {
        table.add_row(audit_row(std::move(entry)));
    }
    return table;
}

} // namespace credenza::reports
