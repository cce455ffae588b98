// credenza reset ACCOUNT --reason TEXT [--pin]: the exceptional, justified regeneration.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>


#include "cli/commands/registry.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"

namespace credenza::cli {

namespace {

struct ResetCommand
{
    std::string account;
    std::string reason;
    bool pin = false;
};

bool confirm(Context& context, const std::string& question)
{
    if (context.global.yes) {
        return true;
    }
    if (!::isatty(STDIN_FILENO)) {
        throw Error(ErrorCode::usage, "a reset asks for confirmation: run it on a terminal, or add --yes");
    }
    context.err << question << " [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes" || answer == "si" || answer == "sì";
}

int run_reset(Context& context, const ResetCommand& command)
{
    auto& session = context.session();
    if (command.reason.empty()) {
        throw Error(ErrorCode::usage, "a reset needs --reason: credentials are regenerated only in exceptional, "
                                      "justified cases, and the reason goes to the audit log");
    }
    const auto info = session.find_account(command.account);
    const std::string question =
        fmt::format("reset the password{} of {} ({} {}, {}) and send new credentials to {}?",
                    command.pin ? " and the PIN" : "", info.user_code, info.name, info.surname, to_string(info.kind),
                    info.email.empty() ? std::string("(no address)") : info.email);
    if (!confirm(context, question)) {
        context.err << "credenza: nothing was changed\n";
        return k_exit_usage;
    }
    const auto result = session.reset(command.account, command.reason, command.pin);
    if (context.chatty()) {
        context.out << fmt::format("reset {}: the old password{} no longer work{}; a letter to {} is queued: run "
                                   "'credenza send'\n",
                                   result.user_code, command.pin ? " and PIN" : "", command.pin ? "" : "s",
                                   result.recipient);
    }
    return k_exit_ok;
}

} // namespace

void install_reset(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<ResetCommand>();
    auto* sub = app.add_subcommand(spec.name, spec.summary);
    sub->add_option("ACCOUNT", command->account, "a user code or a codice fiscale")->required();
    sub->add_option("--reason", command->reason, "why this exceptional reset is justified (required, audited)");
    sub->add_flag("--pin", command->pin, "regenerate the PIN too");
    sub->callback([&context, command] { context.exit_code = run_reset(context, *command); });
}

} // namespace credenza::cli
