// credenza check: the configuration, the database, the key file, the templates, the mail
// settings (a real SMTP login and MAIL FROM, then RSET), the bounce mailbox when [imap] is set (a real
// IMAP login and EXAMINE of its folder) and the daily cap, one line each.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/setup/check.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/messages.hpp"
#include "cli/output/json.hpp"

namespace credenza::cli {

namespace {

struct CheckCommand
{
    bool no_connect = false;
};

// The name of a check as people read it (JSON keeps the name).
std::string check_word(const std::string& name)
{
    [[maybe_unused]] constexpr const char* k_names[] = {
        NC_("check", "configuration"), NC_("check", "database"), NC_("check", "key_file"), NC_("check", "mail"),
        NC_("check", "templates"),     NC_("check", "daily_cap"), NC_("check", "bounces"),
    };
    return i18n::translate_in("check", name.c_str());
}

std::vector<setup::CheckResult> run_checks(Context& context, const CheckCommand& command)
{
    std::vector<setup::CheckResult> results;
    try {
        const auto& settings = context.settings();
        results.push_back({"configuration", true,
                           settings.config_file
                               ? fmt::format("'{}'", settings.config_file->string())
                               : std::string(_("no config file: built-in settings and environment")),
                           ErrorCode::config, ""});
    } catch (const Error& error) {
        // Nothing else can be checked without settings.
        results.push_back({"configuration", false, error_message(error), error.code(), ""});
        return results;
    }
    setup::CheckOptions options;
    options.database = context.db_path();
    options.key_file = context.key_path();
    options.connect = !command.no_connect;
    auto more = setup::check_installation(context.settings(), system_clock(), options);
    for (auto& result : more) {
        if (!result.passed && !result.setting.empty() && (result.name == "mail" || result.name == "bounces")
            && result.code == ErrorCode::config) {
            result.detail = fmt::format("{} ({})", setting_fix(result.setting), result.detail);
        }
        results.push_back(std::move(result));
    }
    return results;
}

int run_check(Context& context, const CheckCommand& command)
{
    const auto results = run_checks(context, command);
    int status = k_exit_ok;
    for (const auto& result : results) {
        if (!result.passed && status == k_exit_ok) {
            status = exit_code_for(result.code);
        }
    }
    if (context.output().format == Format::json) {
        auto checks = output::Json::array();
        for (const auto& result : results) {
            checks.push_back({{"check", result.name}, {"passed", result.passed}, {"detail", result.detail}});
        }
        output::write_json(context.out, {{"passed", status == k_exit_ok}, {"checks", std::move(checks)}});
        return status;
    }
    for (const auto& result : results) {
        // Under -q only what failed, each on one line to stderr (cron mails it).
        if (!result.passed) {
            (context.global.quiet ? context.err : context.out)
                << fmt::format("{:<5} {:<13} {}\n", _("FAIL"), check_word(result.name), result.detail);
        } else if (context.chatty()) {
            context.out << fmt::format("{:<5} {:<13} {}\n", _("ok"), check_word(result.name), result.detail);
        }
    }
    return status;
}

} // namespace

void install_check(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<CheckCommand>();
    auto* check = app.add_subcommand(spec.name, _(spec.summary));
    check->add_flag("--no-connect", command->no_connect, _("check the SMTP and IMAP settings without connecting to the servers"));
    check->callback([&context, command] { context.exit_code = run_check(context, *command); });
}

} // namespace credenza::cli
