// credenza recover CODE_OR_EMAIL: "Password dimenticata?" for the register's front end.
// The answer is the same whether anything matched or not.

#include <CLI/CLI.hpp>


#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"

namespace credenza::cli {

namespace {

struct RecoverCommand
{
    std::string code_or_email;
    std::string requester;
};

int run_recover(Context& context, const RecoverCommand& command)
{
    context.session().recover(command.code_or_email, command.requester);
    if (context.chatty()) {
        context.out << _("if this user code or address is recorded, new credentials will be sent to the address "
                         "recorded at enrolment")
                    << '\n';
    }
    return 0;
}

} // namespace

void install_recover(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<RecoverCommand>();
    auto* sub = app.add_subcommand(spec.name, _(spec.summary));
    sub->add_option("CODE_OR_EMAIL", command->code_or_email, _("the user code, or the address recorded at enrolment"))
        ->required();
    sub->add_option("--requester", command->requester,
                    _("who asks, e.g. the front end's client address: rate-limited per requester too"));
    sub->callback([&context, command] { context.exit_code = run_recover(context, *command); });
}

} // namespace credenza::cli
