// credenza identity FISCAL_NUMBER [--record-login METHOD [--account CODE]]: the accounts of a person
// who logged in with SPID, CIE or eIDAS, as JSON for the front end; exit 0 found, 1 none, 77 disabled.
// credenza remind --never-logged-in [--class C]: queue a reminder of how to log in.
// credenza switch-login password|spid_cie [--dry-run]: align the families with [policy] family_login.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/accounts/identity.hpp>
#include <credenza/accounts/logins.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output/json.hpp"

namespace credenza::cli {

namespace {

struct IdentityCommand
{
    std::string fiscal_number;
    std::string record_login;
    std::string account;
};

int run_identity(Context& context, const IdentityCommand& command)
{
    accounts::IdentityRequest request;
    request.fiscal_number = command.fiscal_number;
    request.account = command.account;
    if (!command.record_login.empty()) {
        request.record_login = parse<LoginKind>(command.record_login);
    }
    const auto identity = context.session().identify(request);
    auto accounts = output::Json::array();
    for (const auto& account : identity.accounts) {
        auto pupils = output::Json::array();
        for (const auto& pupil : account.pupils) {
            pupils.push_back({{"tax_code", pupil.tax_code}, {"class", pupil.class_name}});
        }
        accounts.push_back({{"user_code", account.user_code},
                            {"kind", std::string(to_string(account.kind))},
                            {"login_method", std::string(to_string(account.login_method))},
                            {"has_pin", account.has_pin},
                            {"pupils", std::move(pupils)},
                            {"capabilities", account.capabilities}});
    }
    const char* status = identity.status == accounts::IdentityStatus::found      ? "found"
                         : identity.status == accounts::IdentityStatus::disabled ? "disabled"
                                                                                 : "none";
    // The number asked about is not echoed: an unknown and a malformed one get the same bytes.
    output::Json document = {{"status", status}, {"accounts", std::move(accounts)}};
    if (request.record_login) {
        document["recorded"] = identity.recorded;
    }
    output::write_json(context.out, document);
    switch (identity.status) {
    case accounts::IdentityStatus::found:
        return k_exit_ok;
    case accounts::IdentityStatus::disabled:
        context.err << i18n::format(_fmt("credenza: every account of '{}' is disabled: the secretariat can enable it "
                                         "('credenza account enable')"),
                                    identity.fiscal_number)
                    << '\n';
        return k_exit_permission;
    case accounts::IdentityStatus::none:
        break;
    }
    return k_exit_failed_check;
}

struct RemindCommand
{
    bool never_logged_in = false;
    std::vector<std::string> classes;
    bool dry_run = false;
};

int run_remind(Context& context, const RemindCommand& command)
{
    if (!command.never_logged_in) {
        throw Error(ErrorCode::usage, _("remind needs --never-logged-in (the only reminder for now)"));
    }
    const auto report = context.session().remind_never_logged_in(command.classes, command.dry_run);
    if (context.chatty()) {
        const int count = static_cast<int>(report.queued.size());
        const auto counted = static_cast<unsigned long>(count);
        context.out << (command.dry_run ? _("dry run, nothing written: ") : "")
                    << i18n::format(command.dry_run ? P_("{} reminder would be queued", "{} reminders would be queued",
                                                         counted)
                                                    : P_("{} reminder queued", "{} reminders queued", counted),
                                    count)
                    << i18n::format(_fmt(" ({} reminded in the last {} days, {} without a credentials letter sent, {} "
                                         "without an address)"),
                                    report.recently_reminded, context.settings().policy.reminder_interval_days,
                                    report.without_credentials, report.without_address)
                    << '\n';
        if (count > 0 && !command.dry_run) {
            context.out << _("run 'credenza send' to deliver them") << '\n';
        }
        if (report.without_credentials > 0) {
            context.out << _("accounts without a credentials letter sent need 'credenza issue' and 'credenza send' "
                             "first")
                        << '\n';
        }
    }
    return k_exit_ok;
}

struct SwitchLoginCommand
{
    std::string to;
    bool dry_run = false;
};

int run_switch_login(Context& context, const SwitchLoginCommand& command)
{
    const auto to = parse<LoginMethod>(command.to).value_or(LoginMethod::password);
    const auto result = context.session().switch_family_login(to, command.dry_run);
    if (context.chatty()) {
        const auto accounts = static_cast<unsigned long>(result.accounts);
        const char* message =
            to == LoginMethod::spid_cie
                ? (command.dry_run ? P_("{} family account would be switched to SPID/CIE; every PIN kept, no letter "
                                        "queued",
                                        "{} family accounts would be switched to SPID/CIE; every PIN kept, no letter "
                                        "queued",
                                        accounts)
                                   : P_("{} family account switched to SPID/CIE; every PIN kept, no letter queued",
                                        "{} family accounts switched to SPID/CIE; every PIN kept, no letter queued",
                                        accounts))
                : (command.dry_run ? P_("{} family account would be switched to passwords; every PIN kept, no letter "
                                        "queued",
                                        "{} family accounts would be switched to passwords; every PIN kept, no letter "
                                        "queued",
                                        accounts)
                                   : P_("{} family account switched to passwords; every PIN kept, no letter queued",
                                        "{} family accounts switched to passwords; every PIN kept, no letter queued",
                                        accounts));
        context.out << (command.dry_run ? _("dry run, nothing written: ") : "")
                    << i18n::format(message, result.accounts) << '\n';
        if (to == LoginMethod::spid_cie && result.with_password > 0) {
            context.out << i18n::format(_fmt("{} of them hold a password: it stops working now and is kept, unused, "
                                             "in case the school switches back"),
                                        result.with_password)
                        << '\n';
        }
        if (to == LoginMethod::password && result.with_password > 0) {
            context.out << i18n::format(_fmt("{} of them hold a password from before: it works again (an initial "
                                             "one never changed may have expired)"),
                                        result.with_password)
                        << '\n';
        }
        if (to == LoginMethod::password && result.without_password > 0) {
            context.out << i18n::format(_fmt("{} of them have no password: they get one with \"Password "
                                             "dimenticata?\" ('credenza recover'), or the secretariat resets them "
                                             "('credenza reset')"),
                                        result.without_password)
                        << '\n';
        }
    }
    return k_exit_ok;
}

} // namespace

void install_identity(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<IdentityCommand>();
    auto* sub = app.add_subcommand(spec.name, _(spec.summary));
    sub->add_option("FISCAL_NUMBER", command->fiscal_number,
                    _("the codice fiscale the SPID/CIE login gave (TINIT-..., any case, spaces allowed)"))
        ->required();
    auto* record = sub->add_option("--record-login", command->record_login,
                                   _("record this login (spid, cie, eidas or password) on the accounts answered"))
                       ->check(CLI::IsMember({"spid", "cie", "eidas", "password"}));
    sub->add_option("--account", command->account, _("with --record-login: only this user code (the one chosen)"))
        ->needs(record);
    sub->callback([&context, command] { context.exit_code = run_identity(context, *command); });
}

void install_remind(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<RemindCommand>();
    auto* sub = app.add_subcommand(spec.name, _(spec.summary));
    sub->add_flag("--never-logged-in", command->never_logged_in,
                  _("remind the accounts whose holder never logged in (required)"));
    sub->add_option("--class", command->classes, _("only accounts covering a pupil of this class (repeatable)"));
    sub->add_flag("--dry-run", command->dry_run, _("say how many would be reminded; queue nothing"));
    sub->callback([&context, command] { context.exit_code = run_remind(context, *command); });
}

void install_switch_login(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<SwitchLoginCommand>();
    auto* sub = app.add_subcommand(spec.name, _(spec.summary));
    sub->add_option("METHOD", command->to, _("password or spid_cie, as [policy] family_login now says"))
        ->required()
        ->check(CLI::IsMember({"password", "spid_cie"}));
    sub->add_flag("--dry-run", command->dry_run, _("say how many accounts it would touch; change nothing"));
    sub->callback([&context, command] { context.exit_code = run_switch_login(context, *command); });
}

} // namespace credenza::cli
