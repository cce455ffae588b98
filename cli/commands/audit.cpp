// credenza audit verify: check the hash chain of the audit log.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/audit/log.hpp>

#include "cli/commands/registry.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"

namespace credenza::cli {

namespace {

int run_verify_chain(Context& context)
{
    const auto check = context.session().verify_audit_chain();
    if (!check.intact) {
        context.err << fmt::format("credenza: the audit log was altered at row {}: {} (checked {} rows)\n",
                                   *check.first_broken_id, check.problem, check.rows);
        return k_exit_failed_check;
    }
    if (context.chatty()) {
        context.out << fmt::format("the audit log is intact: {} rows\n", check.rows);
    }
    return k_exit_ok;
}

} // namespace

void install_audit(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto* audit_command = app.add_subcommand(spec.name, spec.summary);
    audit_command->require_subcommand(1);
    auto* verify = audit_command->add_subcommand("verify", "check the hash chain; exit 1 naming the first broken row");
    verify->callback([&context] { context.exit_code = run_verify_chain(context); });
}

} // namespace credenza::cli
