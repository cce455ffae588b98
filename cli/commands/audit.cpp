// credenza audit verify [--head ID:HASH] | audit head: check the keyed hash chain of the audit log.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/audit/log.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"

namespace credenza::cli {

namespace {

int run_verify_chain(Context& context, const std::string& kept_head)
{
    const auto check = context.session().verify_audit_chain(kept_head);
    if (!check.intact) {
        if (check.first_broken_id) {
            context.err << i18n::format(_fmt("credenza: the audit log was altered at row {}: {} (checked {} rows)"),
                                        *check.first_broken_id, check.problem, check.rows)
                        << '\n';
        } else {
            context.err << i18n::format(_fmt("credenza: the audit log was altered: {} (checked {} rows)"),
                                        check.problem, check.rows)
                        << '\n';
        }
        return k_exit_failed_check;
    }
    if (context.chatty()) {
        context.out << i18n::format(P_("the audit log is intact: {} row", "the audit log is intact: {} rows", check.rows),
                                    check.rows)
                    << '\n';
    }
    return k_exit_ok;
}

} // namespace

void install_audit(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto* audit_command = app.add_subcommand(spec.name, _(spec.summary));
    audit_command->require_subcommand(1);
    auto kept_head = std::make_shared<std::string>();
    auto* verify = audit_command->add_subcommand("verify", _("check the hash chain; exit 1 naming the first broken row"));
    verify->add_option("--head", *kept_head,
                       _("a chain head printed earlier by 'credenza audit head': check the chain still holds it"));
    verify->callback([&context, kept_head] { context.exit_code = run_verify_chain(context, *kept_head); });
    auto* head = audit_command->add_subcommand("head", _("print the chain head (ID:HASH) to keep outside the database"));
    head->callback([&context] {
        context.out << context.session().audit_chain_head() << '\n';
        context.exit_code = k_exit_ok;
    });
}

} // namespace credenza::cli
