// credenza export gworkspace: the CSV that Google's Admin console takes to create the
// students' institutional accounts, with Google's initial passwords (stored nowhere).

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/enrolment/fields.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"

namespace credenza::cli {

namespace {

struct ExportCommand
{
    std::vector<std::string> classes;
    std::string out;
};

int run_gworkspace(Context& context, const ExportCommand& command)
{
    const bool to_stdout = command.out == "-";
    if (to_stdout && ::isatty(STDOUT_FILENO)) {
        throw Error(ErrorCode::usage, _("will not print passwords to a terminal: give '--out FILE', or redirect "
                                        "standard output with '--out -'"));
    }
    std::vector<std::string> classes;
    for (const auto& name : command.classes) {
        classes.push_back(enrolment::normalise_class(name));
    }
    auto exported = context.session().export_workspace(
        classes, to_stdout ? std::nullopt : std::optional<std::filesystem::path>(command.out));
    if (to_stdout) {
        context.out << exported.csv.view();
        context.out.flush();
    }
    if (exported.rows == 0) {
        context.warn(_("no active pupil lacks an institutional address: the file has only its header"));
    } else {
        context.warn(i18n::format(P_("'{}' holds the initial passwords of {} new Google Workspace account (Google's, "
                                     "not credenza's, and kept nowhere else): upload it in the Admin console (Users, "
                                     "Bulk update users), then delete it; record the addresses with 'credenza "
                                     "account set-email --from-proposal'",
                                     "'{}' holds the initial passwords of {} new Google Workspace accounts (Google's, "
                                     "not credenza's, and kept nowhere else): upload it in the Admin console (Users, "
                                     "Bulk update users), then delete it; record the addresses with 'credenza "
                                     "account set-email --from-proposal'",
                                     static_cast<unsigned long>(exported.rows)),
                                  to_stdout ? std::string(_("standard output")) : command.out, exported.rows));
    }
    return 0;
}

} // namespace

void install_export(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<ExportCommand>();
    auto* exporter = app.add_subcommand(spec.name, _(spec.summary));
    exporter->require_subcommand(1);
    auto* gworkspace = exporter->add_subcommand(
        "gworkspace", _("Google Admin console CSV: a new institutional account for each pupil without one"));
    gworkspace->add_option("--class", command->classes, _("only pupils of this class (repeatable)"));
    gworkspace->add_option("--out", command->out, _("the new file to write (0600, never overwritten); '-' for stdout"))
        ->required();
    gworkspace->callback([&context, command] { context.exit_code = run_gworkspace(context, *command); });
}

} // namespace credenza::cli
