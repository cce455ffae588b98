// credenza init: a new database and its pepper key file.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/setup/init.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"

namespace credenza::cli {

namespace {

int run_init(Context& context, const setup::InitOptions& options)
{
    setup::InitOptions resolved = options;
    resolved.db_path = context.db_path();
    resolved.key_path = context.key_path();
    resolved.operator_name = audit::current_operator();
    const auto& configured = context.settings().db;
    if (!configured.empty() && !context.global.db.empty()) {
        std::error_code ignored;
        if (std::filesystem::weakly_canonical(configured, ignored) != std::filesystem::weakly_canonical(resolved.db_path, ignored)) {
            // Said even with --quiet: the other commands will not find this database.
            context.err << i18n::format(_fmt("credenza: warning: {}"),
                                        i18n::format(_fmt("the configuration names another database, '{}' ({}): "
                                                          "commands without --db will use that one, not '{}'"),
                                                     configured,
                                                     context.settings().config_file
                                                         ? i18n::format(_fmt("'db' in '{}'"),
                                                                        context.settings().config_file->string())
                                                         : std::string("CREDENZA_DB"),
                                                     resolved.db_path.string()))
                        << '\n';
        }
    }
    setup::initialise(resolved, system_clock());
    if (context.chatty()) {
        context.out << i18n::format(_fmt("created database '{}' for {} ({})"), resolved.db_path.string(),
                                    resolved.school.name, resolved.school.code)
                    << '\n';
        context.out << i18n::format(_fmt("created key file '{}': keep it out of backups of the database, and back it "
                                         "up on its own: without it no password or PIN can be verified"),
                                    resolved.key_path.string())
                    << '\n';
    }
    return 0;
}

} // namespace

void install_init(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto options = std::make_shared<setup::InitOptions>();
    auto* command = app.add_subcommand(spec.name, _(spec.summary));
    command->add_option("--school-code", options->school.code,
                        _("the school's codice fiscale (11 digits), the portal's Customer_ID"))
        ->required();
    command->add_option("--school-name", options->school.name, _("the school's name as letters show it"))->required();
    command->add_option("--portal-url", options->school.portal_url,
                        _("the register's login link, e.g. https://registrofamiglie.axioscloud.it/?Customer_ID=..."))
        ->required();
    command->add_option("--mail-from", options->school.mail_from, _("the address letters come from: 'address@domain' or 'Name <address@domain>'"))
        ->required();
    command->add_option("--domain", options->school.domain, _("the students' institutional e-mail domain"));
    command->callback([&context, options] { context.exit_code = run_init(context, *options); });
}

} // namespace credenza::cli
