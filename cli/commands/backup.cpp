// credenza backup [--keep N] FILE|FOLDER: a consistent online copy of the database; never the key file.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>

#include <credenza/error.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"

namespace credenza::cli {

namespace {

struct BackupCommand
{
    std::string file;
    int keep = 0;
};

int run_backup(Context& context, const BackupCommand& command)
{
    std::error_code error;
    const bool into_folder = std::filesystem::is_directory(command.file, error);
    if (command.keep > 0 && !into_folder) {
        throw Error(ErrorCode::usage,
                    i18n::format(_fmt("--keep needs a folder of backups, and '{}' is not one"), command.file));
    }
    store::BackupResult result;
    if (into_folder) {
        const auto rotated = context.session().backup_into_directory(command.file, command.keep);
        result = rotated.backup;
        if (context.chatty()) {
            for (const auto& removed : rotated.removed) {
                context.out << i18n::format(_fmt("deleted the old backup '{}'"), removed.string()) << '\n';
            }
        }
    } else {
        result = context.session().backup(command.file);
    }
    if (context.chatty()) {
        context.out << i18n::format(_fmt("backup of '{}' written to '{}' ({} pages, {} bytes, integrity ok)"),
                                    context.db_path().string(), result.path.string(), result.pages, result.bytes)
                    << '\n';
    }
    // A note, not an alarm: under --quiet (cron, every night) it would mail the administrator for nothing.
    if (context.chatty()) {
        context.err << i18n::format(_fmt("credenza: note: the key file '{}' is not in the backup: without it no "
                                         "password or PIN can be verified; keep a copy of it separately, apart from "
                                         "the database backups"),
                                    context.key_path().string())
                    << '\n';
    }
    return 0;
}

} // namespace

void install_backup(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<BackupCommand>();
    auto* backup = app.add_subcommand(spec.name, _(spec.summary));
    backup->add_option("FILE", command->file,
                       _("the new backup file (must not exist), or a folder: the backup goes in it as "
                       "DB-YYYYMMDDTHHMMSSZ.db"))
        ->required();
    backup->add_option("--keep", command->keep, _("with a folder: keep only the newest N backups of this database"))
        ->check(CLI::Range(1, 100000));
    backup->callback([&context, command] { context.exit_code = run_backup(context, *command); });
}

} // namespace credenza::cli
