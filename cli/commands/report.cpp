// credenza report summary|classes|deliveries|problems|audit: the secretariat's reports as a
// table, CSV, JSON or (all but audit) one printable HTML page.

#include <ctime>

#include <CLI/CLI.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/enrolment/fields.hpp>
#include <credenza/enrolment/import.hpp>
#include <credenza/reports/classes.hpp>
#include <credenza/reports/deliveries.hpp>
#include <credenza/reports/problems.hpp>
#include <credenza/reports/summary.hpp>
#include <credenza/store/school.hpp>

#include "cli/commands/registry.hpp"
#include "cli/context.hpp"

namespace credenza::cli {

namespace {

struct ReportCommand
{
    std::string account;
    std::string since;
    std::vector<std::string> classes;
    std::string year;
};

Value n(int value)
{
    return Value(static_cast<long long>(value));
}

reports::Filter filter_of(const ReportCommand& command)
{
    reports::Filter filter;
    for (const auto& name : command.classes) {
        filter.classes.push_back(enrolment::normalise_class(name));
    }
    if (!command.year.empty()) {
        if (const auto problem = enrolment::school_year_problem(command.year); !problem.empty()) {
            throw Error(ErrorCode::usage, fmt::format("invalid --year '{}': {}", command.year, problem));
        }
        filter.school_year = command.year;
    }
    return filter;
}

OutputOptions output_of(Context& context)
{
    auto options = context.output();
    options.colour = colour_wanted();
    return options;
}

// "ITIS Vallauri, classes 1A 1B, year 2025/2026, 2026-11-23 10:15"
std::string subtitle(Context& context, const reports::Filter& filter)
{
    std::string text = store::load_school(context.db(), context.settings()).name;
    if (!filter.classes.empty()) {
        text += fmt::format(", class{} {}", filter.classes.size() == 1 ? "" : "es", fmt::join(filter.classes, " "));
    }
    if (!filter.school_year.empty()) {
        text += ", school year " + filter.school_year;
    }
    return text + fmt::format(", {:%Y-%m-%d %H:%M}", fmt::localtime(std::time(nullptr)));
}

std::vector<Bar> family_bars(const std::vector<reports::ClassProgress>& rows)
{
    std::vector<Bar> bars;
    for (const auto& row : rows) {
        bars.push_back({row.class_name, row.families_with_credentials, row.family_accounts});
    }
    return bars;
}

HtmlSection bars_section(const std::vector<reports::ClassProgress>& rows)
{
    HtmlSection section;
    section.heading = "Families with their credentials, by class";
    section.note = "Family accounts of each class whose credentials letter has been sent. A guardian of pupils in "
                   "several classes counts in each of them.";
    section.bars = family_bars(rows);
    if (rows.empty()) {
        section.columns = {"class"};
        section.empty_text = "no active pupil";
    }
    return section;
}

Record summary_record(const reports::Summary& s)
{
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
    return record;
}

int run_summary(Context& context, const ReportCommand& command)
{
    const auto filter = filter_of(command);
    const auto record = summary_record(reports::summary(context.db(), filter));
    const auto options = output_of(context);
    if (options.format != Format::html) {
        print_record(context.out, options, record);
        return 0;
    }
    print_html(context.out, {"Credentials: summary",
                             subtitle(context, filter),
                             {bars_section(reports::class_progress(context.db(), filter)),
                              record_section("Counts", record)}});
    return 0;
}

int run_classes(Context& context, const ReportCommand& command)
{
    const auto filter = filter_of(command);
    const auto rows = reports::class_progress(context.db(), filter);
    std::vector<Record> records;
    for (const auto& row : rows) {
        records.push_back(Record()
                              .add("class", row.class_name)
                              .add("pupils", n(row.pupils))
                              .add("family_accounts", n(row.family_accounts))
                              .add("student_accounts", n(row.student_accounts))
                              .add("letters_sent", n(row.letters_sent))
                              .add("letters_pending", n(row.letters_pending))
                              .add("letters_deferred", n(row.letters_deferred))
                              .add("letters_failed", n(row.letters_failed))
                              .add("without_address", n(row.without_address))
                              .add("families_with_credentials", n(row.families_with_credentials))
                              .add("students_with_credentials", n(row.students_with_credentials)));
    }
    auto options = output_of(context);
    std::vector<std::string> columns = {"class",           "pupils",           "family_accounts",  "student_accounts",
                                        "letters_sent",    "letters_pending",  "letters_deferred", "letters_failed",
                                        "without_address"};
    options.headers = {"class", "pupils", "families", "students", "sent", "pending", "deferred", "failed", "no_address"};
    if (options.format == Format::csv || options.format == Format::json) {
        columns.push_back("families_with_credentials");
        columns.push_back("students_with_credentials");
        options.headers.clear();
    }
    if (options.format != Format::html) {
        print_records(context.out, options, columns, records);
        return 0;
    }
    const HtmlSection table{
        "Accounts and letters, by class",
        "Letters: sent; pending (queued or being sent); deferred (the server asked to retry later); failed "
        "(refused for good). No address: accounts with no address to send their credentials to.",
        {}, columns, options.headers, records, "no active pupil"};
    print_html(context.out, {"Credentials by class", subtitle(context, filter), {bars_section(rows), table}});
    return 0;
}

int run_deliveries(Context& context, const ReportCommand& command)
{
    const auto filter = filter_of(command);
    std::vector<Record> records;
    for (const auto& row : reports::deliveries(context.db(), filter)) {
        records.push_back(Record()
                              .add("letter", static_cast<long long>(row.letter_id))
                              .add("user_code", row.user_code)
                              .add("kind", row.kind)
                              .add("surname", row.surname)
                              .add("name", row.name)
                              .add("classes", row.classes)
                              .add("purpose", row.purpose)
                              .add("address", row.address)
                              .add("state", row.state)
                              .add("attempts", n(row.attempts))
                              .add("last_code", row.last_code ? n(*row.last_code) : Value())
                              .add("last_reply", row.last_reply)
                              .add("time", row.time)
                              .add("next_attempt", row.next_attempt));
    }
    auto options = output_of(context);
    std::vector<std::string> columns = {"user_code", "kind", "address", "state", "attempts", "last_reply", "time"};
    if (options.format != Format::table) {
        columns = {"letter",  "user_code", "kind",     "surname",   "name",       "classes", "purpose",
                   "address", "state",     "attempts", "last_code", "last_reply", "time",    "next_attempt"};
    }
    if (options.format != Format::html) {
        print_records(context.out, options, columns, records);
        return 0;
    }
    const HtmlSection table{"Credentials letters", "", {}, columns, {}, records, "no letter"};
    print_html(context.out, {"Credentials letters and their delivery", subtitle(context, filter), {table}});
    return 0;
}

int run_problems(Context& context, const ReportCommand& command)
{
    const auto filter = filter_of(command);
    const auto& policy = context.settings().policy;
    std::vector<Record> records;
    for (const auto& row :
         reports::problems(context.db(), filter, {policy.pin_max_failures, policy.password_max_failures})) {
        records.push_back(Record()
                              .add("problem", row.problem)
                              .add("user_code", row.user_code)
                              .add("kind", row.kind)
                              .add("tax_code", row.tax_code)
                              .add("surname", row.surname)
                              .add("name", row.name)
                              .add("classes", row.classes)
                              .add("address", row.address)
                              .add("reason", row.reason));
    }
    auto options = output_of(context);
    std::vector<std::string> columns = {"problem", "user_code", "surname", "name", "classes", "reason"};
    if (options.format != Format::table) {
        columns = {"problem", "user_code", "kind", "tax_code", "surname", "name", "classes", "address", "reason"};
    }
    if (options.format != Format::html) {
        print_records(context.out, options, columns, records);
        return 0;
    }
    const HtmlSection table{"To fix", "Most of these are fixed in the school's register, followed by a new import.",
                            {}, columns, {}, records, "nothing to fix"};
    print_html(context.out, {"Credentials: problems to fix", subtitle(context, filter), {table}});
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
    auto options = output_of(context);
    options.title = "Audit log";
    print_records(context.out, options, {"id", "at", "operator", "action", "account", "detail"}, records);
    return 0;
}

void add_filter_options(CLI::App* report, ReportCommand& command)
{
    report->add_option("--class", command.classes, "only pupils of this class and the accounts covering them (repeatable)");
    report->add_option("--year", command.year, "only pupils enrolled for this school year, e.g. 2025/2026");
}

} // namespace

void install_report(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<ReportCommand>();
    auto* report = app.add_subcommand(spec.name, spec.summary);
    report->require_subcommand(1);

    auto* summary = report->add_subcommand("summary", "counts of pupils, guardians, accounts and letters");
    add_filter_options(summary, *command);
    summary->callback([&context, command] { context.exit_code = run_summary(context, *command); });

    auto* classes = report->add_subcommand("classes", "per class: pupils, accounts, letters by state, no address");
    add_filter_options(classes, *command);
    classes->callback([&context, command] { context.exit_code = run_classes(context, *command); });

    auto* deliveries =
        report->add_subcommand("deliveries", "one row per letter: account, address, state, attempts, last reply");
    add_filter_options(deliveries, *command);
    deliveries->callback([&context, command] { context.exit_code = run_deliveries(context, *command); });

    auto* problems = report->add_subcommand(
        "problems", "what to fix: no address, failed addresses, shared addresses, locked accounts, no guardian");
    add_filter_options(problems, *command);
    problems->callback([&context, command] { context.exit_code = run_problems(context, *command); });

    auto* audit_log = report->add_subcommand("audit", "the audit log: who did what, when and why");
    audit_log->add_option("--account", command->account, "only rows about this user code");
    audit_log->add_option("--since", command->since, "only rows from this date or time on (YYYY-MM-DD)");
    audit_log->callback([&context, command] { context.exit_code = run_audit(context, *command); });
}

} // namespace credenza::cli
