// credenza passwd ACCOUNT / credenza pin ACCOUNT: the holder changes a password or a PIN.
// Secrets come from the terminal without echo, or one per line on standard input.

#include <CLI/CLI.hpp>
#include <fmt/format.h>


#include "cli/commands/registry.hpp"
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
    const char* what = pin ? "PIN" : "password";
    const auto current = read_secret(pin ? "Current PIN: " : "Current password: ");
    const auto replacement = read_secret(pin ? "New PIN: " : "New password: ");
    const auto again = read_secret(pin ? "New PIN again: " : "New password again: ");
    if (replacement.view() != again.view()) {
        throw Error(ErrorCode::bad_input, fmt::format("the two new {}s differ: nothing was changed", what));
    }
    const auto result = pin ? session.change_pin(command.account, current.view(), replacement.view())
                            : session.change_password(command.account, current.view(), replacement.view());
    if (!result.problem.empty()) {
        throw Error(ErrorCode::bad_input, fmt::format("the new {} {}: nothing was changed", what, result.problem));
    }
    if (result.status == accounts::VerifyStatus::valid) {
        if (context.chatty()) {
            context.out << fmt::format("{} of '{}' changed\n", what, result.user_code);
        }
    } else if (result.status == accounts::VerifyStatus::invalid) {
        context.err << fmt::format("credenza: the current {} of '{}' is wrong: nothing was changed\n", what,
                                   command.account);
    } else {
        context.err << "credenza: " << refusal_message(result.status, command.account, pin, true) << '\n';
    }
    return exit_code_for(result.status);
}

void install_change(CLI::App& app, Context& context, const CommandSpec& spec, bool pin)
{
    auto command = std::make_shared<ChangeCommand>();
    auto* sub = app.add_subcommand(spec.name, spec.summary);
    sub->add_option("ACCOUNT", command->account, "the user code")->required();
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
