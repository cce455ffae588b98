// credenza issue: queue a credentials letter for every account that never had one.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/dispatch/issue.hpp>

#include "cli/commands/registry.hpp"
#include "cli/context.hpp"

namespace credenza::cli {

namespace {

int run_issue(Context& context, dispatch::IssueOptions options)
{
    const auto report = context.session().issue(std::move(options));
    const auto output = context.output();
    std::vector<Record> skipped;
    for (const auto& account : report.skipped) {
        skipped.push_back(Record()
                              .add("user_code", account.user_code)
                              .add("kind", std::string(to_string(account.kind)))
                              .add("surname", account.surname)
                              .add("name", account.name)
                              .add("reason", account.reason));
    }
    if (output.format == Format::json) {
        std::vector<std::string> rows;
        for (const auto& record : skipped) {
            rows.push_back(to_json(record));
        }
        context.out << fmt::format("{{\"dry_run\": {}, \"queued\": {}, \"already\": {}, \"skipped\": [{}]}}\n",
                                   report.dry_run ? "true" : "false", report.queued, report.already,
                                   fmt::join(rows, ", "));
        return 0;
    }
    if (context.chatty()) {
        context.out << fmt::format("{}{} letter{} queued, {} account{} had one already, {} skipped\n",
                                   report.dry_run ? "dry run, nothing written: " : "", report.queued,
                                   report.queued == 1 ? "" : "s", report.already, report.already == 1 ? "" : "s",
                                   report.skipped.size());
    }
    if (!report.skipped.empty()) {
        context.warn(fmt::format("{} account{} cannot get a letter until the register records an address:",
                                 report.skipped.size(), report.skipped.size() == 1 ? "" : "s"));
        if (context.chatty()) {
            print_records(context.out, output, {"user_code", "kind", "surname", "name", "reason"}, skipped);
        }
    }
    if (context.chatty() && report.queued > 0 && !report.dry_run) {
        context.out << "run 'credenza send' to deliver them\n";
    }
    return 0;
}

} // namespace

void install_issue(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto options = std::make_shared<dispatch::IssueOptions>();
    auto kind = std::make_shared<std::string>("all");
    auto* command = app.add_subcommand(spec.name, spec.summary);
    command->add_option("--class", options->classes, "only accounts covering a pupil of this class (repeatable)");
    command->add_option("--kind", *kind, "family, student or all (default: all)")
        ->check(CLI::IsMember({"family", "student", "all"}));
    command->add_flag("--dry-run", options->dry_run, "count what would be queued, write nothing");
    command->callback([&context, options, kind] {
        options->kind = parse<AccountKind>(*kind); // nullopt for "all"
        context.exit_code = run_issue(context, *options);
    });
}

} // namespace credenza::cli
