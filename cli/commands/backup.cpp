// credenza backup FILE: a consistent online copy of the database; never the key file.

#include <CLI/CLI.hpp>
#include <fmt/format.h>


#include "cli/commands/registry.hpp"
#include "cli/context.hpp"

namespace credenza::cli {

namespace {

struct BackupCommand
{
    std::string file;
};

int run_backup(Context& context, const BackupCommand& command)
{
    const auto result = context.session().backup(command.file);
    if (context.chatty()) {
        context.out << fmt::format("backup of '{}' written to '{}' ({} pages, {} bytes, integrity ok)\n",
                                   context.db_path().string(), result.path.string(), result.pages, result.bytes);
    }
    // A note, not an alarm: under --quiet (cron, every night) it would mail the administrator for nothing.
    if (context.chatty()) {
        context.err << fmt::format("credenza: note: the key file '{}' is not in the backup: without it no password or "
                               "PIN can be verified; keep a copy of it separately, apart from the database backups\n",
                                   context.key_path().string());
    }
    return 0;
}

} // namespace

void install_backup(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<BackupCommand>();
    auto* backup = app.add_subcommand(spec.name, spec.summary);
    backup->add_option("FILE", command->file, "the new backup file (must not exist)")->required();
    backup->callback([&context, command] { context.exit_code = run_backup(context, *command); });
}

} // namespace credenza::cli
