#include "cli/commands/registry.hpp"

namespace credenza::cli {

namespace {

constexpr CommandSpec k_commands[] = {
    {"init", "create the database and the pepper key file for a school", install_init},
    {"import", "import an enrolment export (pupils, guardians, accounts), all or nothing", install_import},
    {"issue", "queue a credentials letter for every account that never had one", install_issue},
    {"send", "deliver queued letters, making their secrets now (SMTP or the outbox directory)", install_send},
    {"verify", "check a password or PIN read from standard input (exit 0 valid, 1 invalid, 77 locked)",
     install_verify},
    {"account", "list, show, disable and enable accounts", install_account},
    {"report", "the secretariat's reports: summary and the audit log", install_report},
};

} // namespace

std::span<const CommandSpec> commands()
{
    return k_commands;
}

} // namespace credenza::cli
