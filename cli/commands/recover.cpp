// credenza recover CODE_OR_EMAIL: "Password dimenticata?" for the register's front end.
// The answer is the same whether anything matched or not.

#include <CLI/CLI.hpp>


#include "cli/commands/registry.hpp"
#include "cli/context.hpp"

namespace credenza::cli {

namespace {

int run_recover(Context& context, const std::string& code_or_email)
{
    context.session().recover(code_or_email);
    if (context.chatty()) {
        context.out << "if this user code or address is recorded, new credentials will be sent to the address "
                       "recorded at enrolment\n";
    }
    return 0;
}

} // namespace

void install_recover(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto code_or_email = std::make_shared<std::string>();
    auto* sub = app.add_subcommand(spec.name, spec.summary);
    sub->add_option("CODE_OR_EMAIL", *code_or_email, "the user code, or the address recorded at enrolment")
        ->required();
    sub->callback([&context, code_or_email] { context.exit_code = run_recover(context, *code_or_email); });
}

} // namespace credenza::cli
