#include "cli/commands/registry.hpp"

namespace credenza::cli {

namespace {

constexpr CommandSpec k_commands[] = {
    {"init", "create the database and the pepper key file for a school", install_init},
    {"import", "import an enrolment export (pupils, guardians, accounts), all or nothing", install_import},
    {"account", "list, show, disable and enable accounts", install_account},
};

} // namespace

std::span<const CommandSpec> commands()
{
    return k_commands;
}

} // namespace credenza::cli
