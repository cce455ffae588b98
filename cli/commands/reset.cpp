// credenza reset ACCOUNT --reason TEXT [--pin]: the exceptional, justified regeneration.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>


#include "cli/commands/registry.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output/words.hpp"
#include "cli/prompt.hpp"
#include "lib/i18n/gettext.hpp"

namespace credenza::cli {

namespace {

struct ResetCommand
{
    std::string account;
    std::string reason;
    bool pin = false;
};

bool confirm_reset(Context& context, const std::string& question)
{
    if (context.global.yes) {
        return true;
    }
    if (!::isatty(STDIN_FILENO)) {
        throw Error(ErrorCode::usage, _("a reset asks for confirmation: run it on a terminal, or add --yes"));
    }
    return ask_yes_no(context.err, std::cin, question);
}

int run_reset(Context& context, const ResetCommand& command)
{
    auto& session = context.session();
    if (command.reason.empty()) {
        throw Error(ErrorCode::usage, _("a reset needs --reason: credentials are regenerated only in exceptional, "
                                        "justified cases, and the reason goes to the audit log"));
    }
    const auto info = session.find_account(command.account);
    const std::string question =
        i18n::format(command.pin ? _fmt("reset the password and the PIN of {} ({} {}, {}) and send new credentials "
                                        "to {}?")
                                 : _fmt("reset the password of {} ({} {}, {}) and send new credentials to {}?"),
                     info.user_code, info.name, info.surname, output::kind_word(info.kind),
                     info.email.empty() ? std::string(_("(no address)")) : info.email);
    if (!confirm_reset(context, question)) {
        context.err << _("credenza: nothing was changed") << '\n';
        return k_exit_usage;
    }
    const auto result = session.reset(command.account, command.reason, command.pin);
    if (context.chatty()) {
        context.out << i18n::format(command.pin ? _fmt("reset {}: the old password and PIN no longer work; a letter "
                                                       "to {} is queued: run 'credenza send'")
                                                : _fmt("reset {}: the old password no longer works; a letter to {} is "
                                                       "queued: run 'credenza send'"),
                                    result.user_code, result.recipient)
                    << '\n';
    }
    return k_exit_ok;
}

} // namespace

void install_reset(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<ResetCommand>();
    auto* sub = app.add_subcommand(spec.name, _(spec.summary));
    sub->add_option("ACCOUNT", command->account, _("a user code or a codice fiscale"))->required();
    sub->add_option("--reason", command->reason, _("why this exceptional reset is justified (required, audited)"));
    sub->add_flag("--pin", command->pin, _("regenerate the PIN too"));
    sub->callback([&context, command] { context.exit_code = run_reset(context, *command); });
}

} // namespace credenza::cli
