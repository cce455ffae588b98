#pragma once
// The table of subcommands. Adding one? Then, in the same commit:
//   1. a row in k_commands (registry.cpp) and its install function,
//   2. cli/commands/NAME.cpp: an options struct, the CLI11 wiring, one library call,
//   3. tests/integration/NAME.bash through the real binary,
//   4. man/credenza-NAME.1 (tests/integration/docs.bash checks it against --help),
//   5. a line in README.md.

#include <span>

namespace CLI {
class App;
}

namespace credenza::cli {

class Context;

struct CommandSpec
{
    const char* name;
    const char* summary; // one line, reused by --help and the README
    void (*install)(CLI::App& app, Context& context, const CommandSpec& spec);
};

std::span<const CommandSpec> commands();

void install_init(CLI::App& app, Context& context, const CommandSpec& spec);
void install_import(CLI::App& app, Context& context, const CommandSpec& spec);
void install_account(CLI::App& app, Context& context, const CommandSpec& spec);
void install_issue(CLI::App& app, Context& context, const CommandSpec& spec);
void install_send(CLI::App& app, Context& context, const CommandSpec& spec);
void install_verify(CLI::App& app, Context& context, const CommandSpec& spec);
void install_report(CLI::App& app, Context& context, const CommandSpec& spec);
void install_passwd(CLI::App& app, Context& context, const CommandSpec& spec);
void install_pin(CLI::App& app, Context& context, const CommandSpec& spec);
void install_reset(CLI::App& app, Context& context, const CommandSpec& spec);
void install_recover(CLI::App& app, Context& context, const CommandSpec& spec);
void install_audit(CLI::App& app, Context& context, const CommandSpec& spec);
void install_backup(CLI::App& app, Context& context, const CommandSpec& spec);
void install_bounces(CLI::App& app, Context& context, const CommandSpec& spec);
void install_export(CLI::App& app, Context& context, const CommandSpec& spec);
void install_check(CLI::App& app, Context& context, const CommandSpec& spec);
void install_identity(CLI::App& app, Context& context, const CommandSpec& spec);
void install_remind(CLI::App& app, Context& context, const CommandSpec& spec);
void install_switch_login(CLI::App& app, Context& context, const CommandSpec& spec);

} // namespace credenza::cli
