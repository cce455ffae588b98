// credenza bounces: read the bounce mailbox over IMAP and record the delivery reports of our letters.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/bounces/read.hpp>
#include <credenza/i18n.hpp>

#include "cli/commands/registry.hpp"
#include "cli/context.hpp"
#include "cli/output/json.hpp"
#include "lib/i18n/gettext.hpp"

namespace credenza::cli {

namespace {

struct BouncesOptions
{
    bool dry_run = false;
    int purge_after_days = -1; // -1: [imap] purge_after_days
};

std::string what_of(const bounces::ReportedBounce& line)
{
    if (line.kind == bounces::ReportKind::delayed) {
        return _("delayed");
    }
    if (line.kind == bounces::ReportKind::delivered) {
        return _("delivered");
    }
    return line.hard ? _("bounced") : _("soft failure");
}

int run_bounces(Context& context, const BouncesOptions& options)
{
    const auto run = context.session().read_bounces(
        options.dry_run, options.purge_after_days < 0 ? std::nullopt : std::optional<int>(options.purge_after_days));
    Table letters;
    letters.add_column("user_code", _("user code"))
        .add_column("result", _("result"))
        .add_column("recipient", _("address"))
        .add_column("status", _("status"))
        .add_column("reason", _("reason"))
        .add_column("diagnostic", _("diagnostic"), Detail::full)
        .add_column("voided", _("voided"), Detail::full);
    for (const auto& line : run.letters) {
        // A delay's status says why the server is still trying, not why the letter failed.
        const std::string reason = line.kind == bounces::ReportKind::delayed ? _("the server is still trying")
                                 : line.kind != bounces::ReportKind::failed || line.status.empty()
                                     ? ""
                                     : i18n::translate(bounces::status_reason(line.status));
        letters.add_row({Value(line.user_code), Value(what_of(line)), Value(line.recipient), Value(line.status),
                         Value(reason),
                         Value(line.diagnostic), Value(line.voided)});
    }
    const auto output_options = context.output();
    if (output_options.format == Format::json) {
        output::Json summary = {{"dry_run", options.dry_run},   {"messages", run.messages},
                                {"bounced", run.bounced},       {"soft", run.soft},
                                {"delayed", run.delayed},       {"repeated", run.repeated},
                                {"unmatched", run.unmatched},   {"auto_replies", run.auto_replies},
                                {"other", run.other},           {"unreadable", run.unreadable},
                                {"moved", run.moved},           {"purged", run.purged},
                                {"letters", output::to_json(letters)}};
        output::write_json(context.out, summary);
        return 0;
    }
    if (!context.chatty()) {
        return 0; // cron: the report and `report problems` say the rest
    }
    if (options.dry_run) {
        context.out << _("dry run, nothing recorded, moved or deleted") << "\n";
    }
    context.out << i18n::format(_fmt("messages read: {}; bounced: {}, soft failures: {}, delayed: {}, seen before: {}"),
                                run.messages, run.bounced, run.soft, run.delayed, run.repeated)
                << "\n";
    if (!letters.empty()) {
        print_table(context.out, output_options, letters);
    }
    const int left = run.unmatched + run.auto_replies + run.other + run.unreadable;
    if (left > 0) {
        context.out << i18n::format(_fmt("left in the mailbox: {} (reports of no letter of ours: {}, automatic "
                                         "replies: {}, other messages: {}, unreadable reports: {})"),
                                    left, run.unmatched, run.auto_replies, run.other, run.unreadable)
                    << "\n";
    }
    if (run.purged > 0) {
        context.out << i18n::format(_fmt("processed reports deleted: {}"), run.purged) << "\n";
    }
    if (run.bounced > 0 && !options.dry_run) {
        context.out << _("see 'credenza report problems': correct each address in the register, import with "
                         "'--accept-changes', then 'credenza send'")
                    << "\n";
    }
    return 0;
}

} // namespace

void install_bounces(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto options = std::make_shared<BouncesOptions>();
    auto* command = app.add_subcommand(spec.name, i18n::translate(spec.summary));
    command->add_flag("--dry-run", options->dry_run, _("read and count the reports; record, move and delete nothing"));
    command->add_option("--purge-after", options->purge_after_days,
                        _("delete processed reports older than DAYS from the processed folder (default: [imap] "
                          "purge_after_days; 0 = never)"))
        ->type_name("DAYS")
        ->check(CLI::Range(0, 3650));
    command->callback([&context, options] { context.exit_code = run_bounces(context, *options); });
}

} // namespace credenza::cli
