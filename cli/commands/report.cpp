// credenza report summary|classes|deliveries|problems|audit: the secretariat's reports as a
// table, CSV, JSON or (all but audit) one printable HTML page.


#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/enrolment/fields.hpp>
#include <credenza/enrolment/import.hpp>
#include <credenza/reports/activation.hpp>
#include <credenza/reports/classes.hpp>
#include <credenza/reports/deliveries.hpp>
#include <credenza/reports/problems.hpp>
#include <credenza/reports/summary.hpp>
#include <credenza/reports/tables.hpp>
#include <credenza/store/school.hpp>
#include <credenza/time.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"
#include "cli/output/html.hpp"

namespace credenza::cli {

namespace {

struct ReportCommand
{
    std::string account;
    std::string since;
    std::vector<std::string> classes;
    std::string year;
};

reports::Filter filter_of(const ReportCommand& command)
{
    reports::Filter filter;
    for (const auto& name : command.classes) {
        filter.classes.push_back(enrolment::normalise_class(name));
    }
    if (!command.year.empty()) {
        if (const auto problem = enrolment::school_year_problem(command.year); !problem.empty()) {
            throw Error(ErrorCode::usage, i18n::format(_fmt("invalid --year '{}': {}"), command.year, problem));
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
    std::string text = context.session().school().name;
    if (!filter.classes.empty()) {
        text += i18n::format(P_(", class {}", ", classes {}", filter.classes.size()),
                             fmt::format("{}", fmt::join(filter.classes, " ")));
    }
    if (!filter.school_year.empty()) {
        text += i18n::format(_fmt(", school year {}"), filter.school_year);
    }
    return fmt::format("{}, {}", text, local_time(system_clock().now(), reader_style(i18n::language())));
}

output::HtmlSection bars_section(const std::vector<reports::ClassProgress>& rows)
{
    output::HtmlSection section;
    section.heading = _("Families with their credentials, by class");
    section.note = _("Family accounts of each class whose credentials letter has been sent. A guardian of pupils in "
                     "several classes counts in each of them.");
    for (const auto& row : rows) {
        section.bars.push_back({row.class_name, row.families_with_credentials, row.family_accounts});
    }
    if (rows.empty()) {
        section.table = Table().add_column("class");
        section.empty_text = _("no active pupil");
    }
    return section;
}

// A page with one section under the report's title and subtitle.
void print_page(Context& context, const reports::Filter& filter, std::string title, output::HtmlSection section)
{
    output::write_html(context.out, {std::move(title), subtitle(context, filter), {std::move(section)}});
}

int run_summary(Context& context, const ReportCommand& command)
{
    const auto filter = filter_of(command);
    const auto record = reports::summary_record(context.session().summary(filter));
    const auto options = output_of(context);
    if (options.format != Format::html) {
        print_record(context.out, options, record);
        return 0;
    }
    output::write_html(context.out, {_("Credentials: summary"),
                                     subtitle(context, filter),
                                     {bars_section(context.session().class_progress(filter)),
                                      output::record_section(_("Counts"), record)}});
    return 0;
}

int run_classes(Context& context, const ReportCommand& command)
{
    const auto filter = filter_of(command);
    const auto rows = context.session().class_progress(filter);
    auto table = reports::classes_table(rows);
    const auto options = output_of(context);
    if (options.format != Format::html) {
        print_table(context.out, options, std::move(table));
        return 0;
    }
    // The head teacher's page keeps the terminal's short columns.
    output::HtmlSection section;
    section.heading = _("Accounts and letters, by class");
    section.note = _("Letters: sent; pending (queued or being sent); deferred (the server asked to retry later); "
                     "failed (refused for good). No address: accounts with no address to send their credentials to.");
    section.table = table.view(Detail::brief);
    section.empty_text = _("no active pupil");
    output::write_html(context.out,
                       {_("Credentials by class"), subtitle(context, filter), {bars_section(rows), std::move(section)}});
    return 0;
}

int run_deliveries(Context& context, const ReportCommand& command)
{
    const auto filter = filter_of(command);
    const auto options = output_of(context);
    if (options.format != Format::html) {
        // Each letter printed as it is read (CSV, JSON): ~100,000 letters are never all in memory.
        print_rows(context.out, options, reports::deliveries_columns(), [&](const RowSink& sink) {
            context.session().for_each_delivery(
                filter, [&](reports::Delivery&& row) { sink(reports::delivery_row(std::move(row))); });
        });
        return 0;
    }
    auto table = reports::deliveries_table(context.session().deliveries(filter));
    output::HtmlSection section;
    section.heading = _("Credentials letters");
    section.table = table.view(Detail::full);
    section.empty_text = _("no letter");
    print_page(context, filter, _("Credentials letters and their delivery"), std::move(section));
    return 0;
}

int run_problems(Context& context, const ReportCommand& command)
{
    const auto filter = filter_of(command);
    auto table = reports::problems_table(context.session().problems(filter));
    const auto options = output_of(context);
    if (options.format != Format::html) {
        print_table(context.out, options, std::move(table));
        return 0;
    }
    output::HtmlSection section;
    section.heading = _("To fix");
    section.note = _("Most of these are fixed in the school's register, followed by a new import.");
    section.table = table.view(Detail::full);
    section.empty_text = _("nothing to fix");
    print_page(context, filter, _("Credentials: problems to fix"), std::move(section));
    return 0;
}

int run_activation(Context& context, const ReportCommand& command, bool list_accounts)
{
    std::vector<std::string> classes;
    for (const auto& name : command.classes) {
        classes.push_back(enrolment::normalise_class(name));
    }
    const auto activation = context.session().activation(classes);
    auto table = list_accounts ? reports::activation_accounts_table(activation.accounts)
                                     : reports::activation_table(activation.classes);
    const auto options = output_of(context);
    if (options.format != Format::html) {
        print_table(context.out, options, std::move(table));
        return 0;
    }
    output::HtmlSection section;
    section.heading = list_accounts ? _("Accounts to follow up") : _("Logins, by class");
    section.note = _("Never: accounts whose holder never logged in. Password, SPID, CIE, eIDAS: how the others last "
                     "logged in. Families on password: family accounts that last logged in with a password. Tax codes "
                     "to check: guardians whose codice fiscale does not fit their surname and name, so that a SPID or "
                     "CIE login would not find them.");
    section.table = table.view(Detail::full);
    section.empty_text = list_accounts ? _("nobody to follow up") : _("no active pupil");
    reports::Filter filter;
    filter.classes = classes;
    print_page(context, filter, _("Logins and the switch to SPID/CIE"), std::move(section));
    return 0;
}

int run_audit(Context& context, const ReportCommand& command)
{
    // A date or time as the secretary reads them, in the school's zone; stored times are UTC.
    std::string since;
    if (!command.since.empty()) {
        context.settings(); // sets the school's time zone
        const auto from = parse_local_time(command.since);
        if (!from) {
            throw Error(ErrorCode::usage,
                        i18n::format(_fmt("invalid --since '{}': give a date (2026-09-01 or 01/09/2026) or a date "
                                          "and time (2026-09-01 08:30)"),
                                     command.since));
        }
        since = iso_time(*from);
    }
    auto options = output_of(context);
    options.title = _("Audit log");
    // Each row printed as it is read (CSV, JSON): the whole log is never in memory.
    print_rows(context.out, options, reports::audit_columns(), [&](const RowSink& sink) {
        context.session().for_each_audit_entry({command.account, since}, [&](audit::Entry&& entry) {
            sink(reports::audit_row(std::move(entry)));
        });
    });
    return 0;
}

void add_filter_options(CLI::App* report, ReportCommand& command)
{
    report->add_option("--class", command.classes, _("only pupils of this class and the accounts covering them (repeatable)"));
    report->add_option("--year", command.year, _("only pupils enrolled for this school year, e.g. 2025/2026"));
}

} // namespace

void install_report(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<ReportCommand>();
    auto* report = app.add_subcommand(spec.name, _(spec.summary));
    report->require_subcommand(1);

    auto* summary = report->add_subcommand("summary", _("counts of pupils, guardians, accounts and letters"));
    add_filter_options(summary, *command);
    summary->callback([&context, command] { context.exit_code = run_summary(context, *command); });

    auto* classes = report->add_subcommand("classes", _("per class: pupils, accounts, letters by state, no address"));
    add_filter_options(classes, *command);
    classes->callback([&context, command] { context.exit_code = run_classes(context, *command); });

    auto* deliveries =
        report->add_subcommand("deliveries", _("one row per letter: account, address, state, attempts, last reply"));
    add_filter_options(deliveries, *command);
    deliveries->callback([&context, command] { context.exit_code = run_deliveries(context, *command); });

    auto* problems = report->add_subcommand(
        "problems", _("what to fix: no address, failed addresses, shared addresses, locked accounts, no guardian"));
    add_filter_options(problems, *command);
    problems->callback([&context, command] { context.exit_code = run_problems(context, *command); });

    auto* activation = report->add_subcommand(
        "activation", _("per class: accounts never logged in, by method; families on password; tax codes to check"));
    activation->add_option("--class", command->classes, _("only accounts covering a pupil of this class (repeatable)"));
    auto list_accounts = std::make_shared<bool>(false);
    activation->add_flag("--accounts", *list_accounts,
                         _("list the accounts to follow up instead of the counts per class"));
    activation->callback(
        [&context, command, list_accounts] { context.exit_code = run_activation(context, *command, *list_accounts); });

    auto* audit_log = report->add_subcommand("audit", _("the audit log: who did what, when and why"));
    audit_log->add_option("--account", command->account, _("only rows about this user code"));
    audit_log->add_option("--since", command->since, _("only rows from this date or time on, in the school's time zone (YYYY-MM-DD, DD/MM/YYYY or YYYY-MM-DD HH:MM)"));
    audit_log->callback([&context, command] { context.exit_code = run_audit(context, *command); });
}

} // namespace credenza::cli
