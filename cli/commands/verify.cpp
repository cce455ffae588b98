// credenza verify ACCOUNT [--pin]: the secret on standard input; exit 0 valid, 1 invalid, 77 locked.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/accounts/verify.hpp>
#include <credenza/audit/log.hpp>

#include "cli/commands/registry.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
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
    const auto hasher = context.hasher();
    const auto& policy = context.settings().policy;
    auto& db = context.db();
    const auto secret = read_secret(command.pin ? "PIN: " : "Password: ");
    const auto purpose = command.pin ? credentials::Purpose::pin : credentials::Purpose::password;
    const auto result = accounts::verify_secret(db, system_clock(), hasher, policy, command.account, purpose,
                                                secret.view(), audit::current_operator());
    const char* what = command.pin ? "PIN" : "password";
    switch (result.status) {
    case accounts::VerifyStatus::valid:
        if (context.chatty()) {
            context.out << (result.must_change_password && !command.pin ? "valid: the password must be changed now\n"
                                                                        : "valid\n");
        }
        return k_exit_ok;
    case accounts::VerifyStatus::invalid:
        if (context.chatty()) {
            context.out << "invalid\n";
        }
        return k_exit_failed_check;
    case accounts::VerifyStatus::locked:
        context.err << fmt::format("credenza: the {} of '{}' is locked after too many failures: an administrator "
                                   "must reset it ('credenza reset')\n",
                                   what, command.account);
        return k_exit_permission;
    case accounts::VerifyStatus::throttled:
        context.err << fmt::format("credenza: too many wrong passwords for '{}': try again after {}\n",
                                   command.account, result.retry_after);
        return k_exit_permission;
    case accounts::VerifyStatus::disabled:
        context.err << fmt::format("credenza: account '{}' is disabled\n", command.account);
        return k_exit_permission;
    case accounts::VerifyStatus::spid:
        context.err << fmt::format("credenza: '{}' logs in with SPID or CIE: it has no password\n", command.account);
        return k_exit_permission;
    case accounts::VerifyStatus::expired:
        context.err << fmt::format("credenza: the initial password of '{}' has expired: ask the secretariat "
                                   "for new credentials\n",
                                   command.account);
        return k_exit_permission;
    }
    return k_exit_software;
}

} // namespace

void install_verify(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<VerifyCommand>();
    auto* sub = app.add_subcommand(spec.name, spec.summary);
    sub->add_option("ACCOUNT", command->account, "a user code or a codice fiscale")->required();
    sub->add_flag("--pin", command->pin, "verify the PIN instead of the password");
    sub->callback([&context, command] { context.exit_code = run_verify(context, *command); });
}

} // namespace credenza::cli
