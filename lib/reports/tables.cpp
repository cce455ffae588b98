#include <credenza/reports/tables.hpp>

namespace credenza::reports {

namespace {

Value text(std::string_view word)
{
    return Value(std::string(word));
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

Table classes_table(const std::vector<ClassProgress>& rows)
{
    Table table;
    table.add_column("class")
        .add_column("pupils")
        .add_column("family_accounts", "families")
        .add_column("student_accounts", "students")
        .add_column("letters_sent", "sent")
        .add_column("letters_pending", "pending")
        .add_column("letters_deferred", "deferred")
        .add_column("letters_failed", "failed")
        .add_column("without_address", "no_address")
        .add_column("families_with_credentials", "", Detail::full)
        .add_column("students_with_credentials", "", Detail::full);
    for (const auto& row : rows) {
        table.add_row({Value(row.class_name), number(row.pupils), number(row.family_accounts),
                       number(row.student_accounts), number(row.letters_sent), number(row.letters_pending),
                       number(row.letters_deferred), number(row.letters_failed), number(row.without_address),
                       number(row.families_with_credentials), number(row.students_with_credentials)});
    }
    return table;
}

Table deliveries_table(const std::vector<Delivery>& rows)
{
    Table table;
    table.add_column("letter", "", Detail::full)
        .add_column("user_code")
        .add_column("kind")
        .add_column("surname", "", Detail::full)
        .add_column("name", "", Detail::full)
        .add_column("classes", "", Detail::full)
        .add_column("purpose", "", Detail::full)
        .add_column("address")
        .add_column("state")
        .add_column("attempts")
        .add_column("last_code", "", Detail::full)
        .add_column("last_reply")
        .add_column("time")
        .add_column("next_attempt");
    for (const auto& row : rows) {
        table.add_row({number(row.letter_id), Value(row.user_code), text(to_string(row.kind)),
                       Value(row.surname), Value(row.name), Value(row.classes), text(to_string(row.purpose)),
                       Value(row.address), text(to_string(row.state)),
                       number(row.attempts), row.last_code ? number(*row.last_code) : Value(),
                       Value(row.last_reply), Value(row.time), Value(row.next_attempt)});
    }
    return table;
}

Table problems_table(const std::vector<Problem>& rows)
{
    Table table;
    table.add_column("problem")
        .add_column("user_code")
        .add_column("kind", "", Detail::full)
        .add_column("tax_code", "", Detail::full)
        .add_column("surname")
        .add_column("name")
        .add_column("classes")
        .add_column("address", "", Detail::full)
        .add_column("reason");
    for (const auto& row : rows) {
        table.add_row({Value(row.problem), Value(row.user_code), text(to_string(row.kind)), Value(row.tax_code),
                       Value(row.surname), Value(row.name), Value(row.classes), Value(row.address),
                       Value(row.reason)});
    }
    return table;
}

Table audit_table(const std::vector<audit::Entry>& entries)
{
    Table table;
    table.add_column("id").add_column("at").add_column("operator").add_column("action").add_column("account")
        .add_column("detail");
    for (const auto& entry : entries) {
        table.add_row({number(entry.id), Value(entry.at), Value(entry.operator_name), Value(entry.action),
                       Value(entry.account), Value(entry.detail)});
    }
    return table;
}

} // namespace credenza::reports
