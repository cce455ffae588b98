// credenza passwd ACCOUNT / credenza pin ACCOUNT: the holder changes a password or a PIN.
// Secrets come from the terminal without echo, or one per line on standard input.

#include <CLI/CLI.hpp>
#include <fmt/format.h>


#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/messages.hpp"
#include "cli/terminal.hpp"

namespace credenza::cli {

namespace {

struct ChangeCommand
{
    std::string account;
};

int run_change(Context& context, const ChangeCommand& command, bool pin)
{
    auto& session = context.session();
    session.hasher(); // a missing or foreign key file is said before the secrets are asked for
    const auto current = read_secret(pin ? _("Current PIN: ") : _("Current password: "));
    const auto replacement = read_secret(pin ? _("New PIN: ") : _("New password: "));
    const auto again = read_secret(pin ? _("New PIN again: ") : _("New password again: "));
    if (replacement.view() != again.view()) {
        throw Error(ErrorCode::bad_input, pin ? _("the two new PINs differ: nothing was changed")
                                              : _("the two new passwords differ: nothing was changed"));
    }
    const auto result = pin ? session.change_pin(command.account, current.view(), replacement.view())
                            : session.change_password(command.account, current.view(), replacement.view());
    if (!result.problem.empty()) {
        throw Error(ErrorCode::bad_input,
                    i18n::format(pin ? _fmt("the new PIN {}: nothing was changed")
                                     : _fmt("the new password {}: nothing was changed"),
                                 result.problem));
    }
    if (result.status == accounts::VerifyStatus::valid) {
        if (context.chatty()) {
            context.out << i18n::format(pin ? _fmt("PIN of '{}' changed") : _fmt("password of '{}' changed"),
                                        result.user_code)
                        << '\n';
        }
    } else if (result.status == accounts::VerifyStatus::invalid) {
        context.err << i18n::format(pin ? _fmt("credenza: the current PIN of '{}' is wrong: nothing was changed")
                                        : _fmt("credenza: the current password of '{}' is wrong: nothing was changed"),
                                    command.account)
                    << '\n';
    } else {
        context.err << "credenza: " << refusal_message(result.status, command.account, pin, true) << '\n';
    }
    return exit_code_for(result.status);
}

void install_change(CLI::App& app, Context& context, const CommandSpec& spec, bool pin)
{
    auto command = std::make_shared<ChangeCommand>();
    auto* sub = app.add_subcommand(spec.name, _(spec.summary));
    sub->add_option("ACCOUNT", command->account, _("the user code"))->required();
    sub->callback([&context, command, pin] { context.exit_code = run_change(context, *command, pin); });
}

} // namespace

void install_passwd(CLI::App& app, Context& context, const CommandSpec& spec)
{
    install_change(app, context, spec, false);
}

void install_pin(CLI::App& app, Context& context, const CommandSpec& spec)
{
    install_change(app, context, spec, true);
}

} // namespace credenza::cli
