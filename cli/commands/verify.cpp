// credenza verify ACCOUNT [--pin]: the secret on standard input; exit 0 valid, 1 invalid, 77 locked.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/accounts/verify.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"
#include "cli/messages.hpp"
#include "cli/terminal.hpp"

namespace credenza::cli {

namespace {

struct VerifyCommand
{
    std::string account;
    bool pin = false;
};

int run_verify(Context& context, const VerifyCommand& command)
{
    auto& session = context.session();
    session.hasher(); // a missing or foreign key file is said before the secret is asked for
    const auto secret = read_secret(command.pin ? _("PIN: ") : _("Password: "));
    const auto purpose = command.pin ? credentials::Purpose::pin : credentials::Purpose::password;
    const auto result = session.verify(command.account, purpose, secret.view());
    if (result.status == accounts::VerifyStatus::valid && context.chatty()) {
        context.out << (result.must_change_password && !command.pin ? _("valid: the password must be changed now")
                                                                    : _("valid"))
                    << '\n';
    } else if (result.status == accounts::VerifyStatus::invalid && context.chatty()) {
        context.out << _("invalid") << '\n';
    } else if (const auto refusal = refusal_message(result.status, command.account, command.pin, false,
                                                    result.retry_after);
               !refusal.empty()) {
        context.err << "credenza: " << refusal << '\n';
    }
    return exit_code_for(result.status);
}

} // namespace

void install_verify(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<VerifyCommand>();
    auto* sub = app.add_subcommand(spec.name, _(spec.summary));
    sub->add_option("ACCOUNT", command->account, _("the user code (a codice fiscale is not a login name)"))->required();
    // A value after --pin= may be a PIN typed in the wrong place: refused, never echoed.
    sub->add_flag("--pin", command->pin, _("verify the PIN instead of the password"))->disable_flag_override();
    sub->callback([&context, command] { context.exit_code = run_verify(context, *command); });
}

} // namespace credenza::cli
