// credenza report summary|audit: the secretariat's reports as table, CSV or JSON.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/reports/summary.hpp>

#include "cli/commands/registry.hpp"
#include "cli/context.hpp"

namespace credenza::cli {

namespace {

struct ReportCommand
{
    std::string account;
    std::string since;
};

int run_summary(Context& context)
{
    const auto s = reports::summary(context.db());
    const auto n = [](int value) { return Value(static_cast<long long>(value)); };
    Record record;
    record.add("pupils_active", n(s.pupils_active))
        .add("pupils_left", n(s.pupils_left))
        .add("guardians", n(s.guardians))
        .add("family_accounts_active", n(s.family_active))
        .add("family_accounts_disabled", n(s.family_disabled))
        .add("student_accounts_active", n(s.student_active))
        .add("student_accounts_disabled", n(s.student_disabled))
        .add("family_accounts_without_address", n(s.family_without_address))
        .add("student_accounts_without_address", n(s.student_without_address))
        .add("letters_queued", n(s.letters_queued))
        .add("letters_sent", n(s.letters_sent))
        .add("letters_deferred", n(s.letters_deferred))
        .add("letters_failed", n(s.letters_failed))
        .add("letters_cancelled", n(s.letters_cancelled));
    print_record(context.out, context.output(), record);
    return 0;
}

int run_audit(Context& context, const ReportCommand& command)
{
    std::vector<Record> records;
    for (const auto& entry : audit::list_entries(context.db(), {command.account, command.since})) {
        records.push_back(Record()
                              .add("id", static_cast<long long>(entry.id))
                              .add("at", entry.at)
                              .add("operator", entry.operator_name)
                              .add("action", entry.action)
                              .add("account", entry.account)
                              .add("detail", entry.detail));
    }
    print_records(context.out, context.output(), {"id", "at", "operator", "action", "account", "detail"}, records);
    return 0;
}

} // namespace

void install_report(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<ReportCommand>();
    auto* report = app.add_subcommand(spec.name, spec.summary);
    report->require_subcommand(1);
    auto* summary = report->add_subcommand("summary", "counts of pupils, guardians, accounts and letters");
    summary->callback([&context] { context.exit_code = run_summary(context); });
    auto* audit_log = report->add_subcommand("audit", "the audit log: who did what, when and why");
    audit_log->add_option("--account", command->account, "only rows about this user code");
    audit_log->add_option("--since", command->since, "only rows from this date or time on (YYYY-MM-DD)");
    audit_log->callback([&context, command] { context.exit_code = run_audit(context, *command); });
}

} // namespace credenza::cli
