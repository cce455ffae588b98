// credenza issue: queue a credentials letter for every account that never had one.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/dispatch/issue.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"
#include "cli/output/json.hpp"

namespace credenza::cli {

namespace {

int run_issue(Context& context, dispatch::IssueOptions options)
{
    const auto report = context.session().issue(std::move(options));
    const auto output_options = context.output();
    Table skipped;
    skipped.add_column("user_code").add_column("kind").add_column("surname").add_column("name").add_column("reason");
    for (const auto& account : report.skipped) {
        skipped.add_row({Value(account.user_code), Value(std::string(to_string(account.kind))), Value(account.surname),
                         Value(account.name),
                         Value(account.reason)});
    }
    if (output_options.format == Format::json) {
        output::Json summary = {{"dry_run", report.dry_run},
                                {"queued", report.queued},
                                {"already", report.already},
                                {"skipped", output::to_json(skipped)}};
        output::write_json(context.out, summary);
        return 0;
    }
    if (context.chatty()) {
        context.out << (report.dry_run ? _("dry run, nothing written: ") : "")
                    << i18n::format(P_("{} letter queued", "{} letters queued", report.queued), report.queued) << ", "
                    << i18n::format(P_("{} account had one already", "{} accounts had one already", report.already),
                                    report.already)
                    << ", " << i18n::format(_fmt("{} skipped"), report.skipped.size()) << '\n';
    }
    if (!report.skipped.empty()) {
        context.warn(i18n::format(P_("{} account cannot get a letter until the register records an address:",
                                     "{} accounts cannot get a letter until the register records an address:",
                                     report.skipped.size()),
                                  report.skipped.size()));
        if (context.chatty()) {
            print_table(context.out, output_options, skipped);
        }
    }
    if (context.chatty() && report.queued > 0 && !report.dry_run) {
        context.out << _("run 'credenza send' to deliver them") << '\n';
    }
    return 0;
}

} // namespace

void install_issue(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto options = std::make_shared<dispatch::IssueOptions>();
    auto kind = std::make_shared<std::string>("all");
    auto* command = app.add_subcommand(spec.name, _(spec.summary));
    command->add_option("--class", options->classes, _("only accounts covering a pupil of this class (repeatable)"));
    command->add_option("--kind", *kind, _("family, student or all (default: all)"))
        ->check(CLI::IsMember({"family", "student", "all"}));
    command->add_flag("--dry-run", options->dry_run, _("count what would be queued, write nothing"));
    command->callback([&context, options, kind] {
        options->kind = parse<AccountKind>(*kind); // nullopt for "all"
        context.exit_code = run_issue(context, *options);
    });
}

} // namespace credenza::cli
