// credenza account list|show|disable|enable: administration of accounts; never a secret or a hash.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/enrolment/fields.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"

namespace credenza::cli {

namespace {

struct AccountCommand
{
    std::string kind;
    std::vector<std::string> classes;
    std::string status;
    std::string account;
    std::string search;
    std::vector<std::string> words; // account find TEXT...
    std::string reason;
    bool from_proposal = false;
    bool dry_run = false;
};

template <typename Enum>
Value word(Enum value)
{
    return Value(std::string(to_string(value)));
}

// The columns of `account list`: a student has a class and says whether it is adult, a family
// account the classes of its pupils; JSON gives each row only its own.
Table account_columns()
{
    Table table;
    table.add_column("user_code")
        .add_column("kind")
        .add_column("tax_code", "", Detail::full)
        .add_column("surname")
        .add_column("name")
        .add_column("email")
        .add_column("status")
        .add_column("pupils", "", Detail::full)
        .add_column("class", "", Detail::complete)
        .add_column("adult", "", Detail::complete)
        .add_column("classes")
        .add_column("credentials")
        .add_column("must_change_password", "", Detail::full);
    return table;
}

// One row of them, moved, not copied: a listing of a large school is 100,000 rows.
Row account_row(accounts::AccountInfo&& info)
{
    const bool student = info.kind == AccountKind::student;
    Row row;
    row.reserve(13);
    row.emplace_back(Value(std::move(info.user_code)));
    row.emplace_back(word(info.kind));
    row.emplace_back(Value(std::move(info.tax_code)));
    row.emplace_back(Value(std::move(info.surname)));
    row.emplace_back(Value(std::move(info.name)));
    row.emplace_back(Value(std::move(info.email)));
    row.emplace_back(word(info.status));
    row.emplace_back(Value(std::move(info.pupils)));
    row.emplace_back(student ? Cell(info.classes.empty() ? std::string() : info.classes.front()) : Cell());
    row.emplace_back(student ? Cell(info.adult.value_or(false)) : Cell());
    row.emplace_back(Value(std::move(info.classes)));
    row.emplace_back(Value(std::move(info.credentials)));
    row.emplace_back(Value(info.must_change_password));
    return row;
}

// `account find`: who the secretary is looking for, with a family's pupils by name and class.
Table found_table(const std::vector<accounts::AccountInfo>& list)
{
    Table table;
    table.add_column("user_code")
        .add_column("kind")
        .add_column("surname")
        .add_column("name")
        .add_column("tax_code", "", Detail::full)
        .add_column("email")
        .add_column("status")
        .add_column("classes")
        .add_column("pupils", "", Detail::full)
        .add_column("pupil_names", "pupils")
        .add_column("guardians", "", Detail::full);
    for (const auto& info : list) {
        table.add_row({Value(info.user_code), word(info.kind), Value(info.surname), Value(info.name),
                       Value(info.tax_code), Value(info.email), word(info.status), Value(info.classes),
                       Value(info.pupils), Value(info.pupil_names), Value(info.guardians)});
    }
    return table;
}

// `account show`: every field of `account list` and the state of its secrets and logins.
Record account_record(const accounts::AccountInfo& info, const config::PolicySettings& policy)
{
    Record record;
    record.add("user_code", info.user_code)
        .add("kind", word(info.kind))
        .add("tax_code", info.tax_code)
        .add("surname", info.surname)
        .add("name", info.name)
        .add("email", info.email)
        .add("status", word(info.status))
        .add("pupils", info.pupils)
        .add("pupil_names", info.pupil_names);
    if (info.kind == AccountKind::student) {
        record.add("class", info.classes.empty() ? std::string() : info.classes.front());
        record.add("adult", info.adult.value_or(false));
        record.add("guardians", info.guardians);
    } else {
        record.add("classes", info.classes);
    }
    record.add("credentials", info.credentials)
        .add("must_change_password", info.must_change_password)
        .add("disabled_by", word(info.disabled_by))
        .add("birth_date", info.birth_date)
        .add("has_password", info.has_password)
        .add("has_pin", info.has_pin)
        .add("pin_locked", info.pin_failures >= policy.pin_max_failures)
        .add("pin_failures", number(info.pin_failures))
        .add("password_locked", info.password_failures >= policy.password_max_failures)
        .add("password_failures", number(info.password_failures))
        .add("password_set_at", info.password_set_at)
        .add("password_expires_at", accounts::password_expires_at(info, policy.initial_password_days))
        .add("first_login_at", info.first_login_at)
        .add("login_method", word(info.login_method))
        .add("capabilities", info.capabilities);
    return record;
}

int run_list(Context& context, const AccountCommand& command)
{
    // The listing prints no pupil's name, no guardian and no capability: none of them made.
    const accounts::AccountFilter filter{parse<AccountKind>(command.kind), command.classes,
                                         parse<AccountStatus>(command.status), command.search, false};
    // Each account printed as it is read in CSV and JSON, not a whole list built first.
    print_rows(context.out, context.output(), account_columns(), [&](const RowSink& sink) {
        context.session().for_each_account(filter,
                                           [&](accounts::AccountInfo&& info) { sink(account_row(std::move(info))); });
    });
    return 0;
}

int run_show(Context& context, const AccountCommand& command)
{
    const auto info = context.session().find_account(command.account);
    auto record = account_record(info, context.settings().policy);
    // How the holder logged in first and last (SPID, CIE, eIDAS or a password).
    const auto login = context.session().login_record(info.id);
    const auto method = [](const std::optional<LoginKind>& kind) {
        return kind ? std::string(to_string(*kind)) : std::string();
    };
    record.add("first_login_method", method(login.first_method))
        .add("last_login_at", login.last_login_at)
        .add("last_login_method", method(login.last_method));
    print_record(context.out, context.output(), record);
    return 0;
}

int run_find(Context& context, const AccountCommand& command)
{
    const std::string text = fmt::format("{}", fmt::join(command.words, " "));
    const auto found = context.session().find_accounts(text);
    const auto options = context.output();
    if (found.empty() && options.format == Format::table) {
        if (context.chatty()) {
            context.out << i18n::format(_fmt("no account matches '{}'"), text) << '\n';
        }
        return 0;
    }
    print_table(context.out, options, found_table(found));
    return 0;
}

int run_set_enabled(Context& context, const AccountCommand& command, bool enabled)
{
    const bool changed = context.session().set_enabled(command.account, enabled, command.reason);
    if (context.chatty()) {
        const char* message = enabled ? (changed ? _fmt("account '{}' enabled") : _fmt("account '{}' was already enabled"))
                                      : (changed ? _fmt("account '{}' disabled")
                                                 : _fmt("account '{}' was already disabled"));
        context.out << i18n::format(message, command.account) << '\n';
    }
    return 0;
}

// Institutional addresses for the pupils who have none, as `export gworkspace` proposed them.
int run_set_email(Context& context, const AccountCommand& command)
{
    if (!command.from_proposal) {
        throw Error(ErrorCode::usage, _("set-email needs --from-proposal (the only source of addresses for now)"));
    }
    std::vector<std::string> classes;
    for (const auto& name : command.classes) {
        classes.push_back(enrolment::normalise_class(name));
    }
    const auto changes = context.session().apply_address_proposals(classes, command.dry_run);
    Table table;
    table.add_column("user_code").add_column("tax_code").add_column("class").add_column("surname").add_column("name")
        .add_column("email");
    for (const auto& change : changes) {
        table.add_row({Value(change.user_code), Value(change.tax_code), Value(change.class_name), Value(change.surname),
                       Value(change.name), Value(change.address)});
    }
    const auto options = context.output();
    if (options.format != Format::table || !table.empty()) {
        print_table(context.out, options, table);
    }
    if (options.format == Format::table && context.chatty()) {
        context.out << i18n::format(command.dry_run
                                        ? P_("dry run: {} institutional address would be set, nothing changed",
                                             "dry run: {} institutional addresses would be set, nothing changed",
                                             changes.size())
                                        : P_("{} institutional address set", "{} institutional addresses set",
                                             changes.size()),
                                    changes.size())
                    << '\n';
    }
    return 0;
}

} // namespace

void install_account(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<AccountCommand>();
    auto* account = app.add_subcommand(spec.name, _(spec.summary));
    account->require_subcommand(1);

    auto* list = account->add_subcommand("list", _("list accounts (table, csv or json)"));
    list->add_option("--kind", command->kind, _("family or student"))->check(CLI::IsMember({"family", "student"}));
    list->add_option("--class", command->classes, _("only accounts covering a pupil of this class (repeatable)"));
    list->add_option("--status", command->status, _("active or disabled"))->check(CLI::IsMember({"active", "disabled"}));
    list->add_option("--search", command->search,
                     _("only accounts that 'account find' finds with this text (name, address, code, class)"));
    list->callback([&context, command] { context.exit_code = run_list(context, *command); });

    auto* show = account->add_subcommand("show", _("show one account: everything but secrets and hashes"));
    show->add_option("ACCOUNT", command->account, _("a user code or a codice fiscale"))->required();
    show->callback([&context, command] { context.exit_code = run_show(context, *command); });

    auto* find = account->add_subcommand(
        "find", _("find accounts by surname, name, e-mail, user code, codice fiscale or class, ignoring case and "
                "accents; families with their pupils"));
    find->add_option("TEXT", command->words, _("words that must all appear, e.g. citro 2b"))->required();
    find->callback([&context, command] { context.exit_code = run_find(context, *command); });

    auto* disable = account->add_subcommand("disable", _("disable an account: it can no longer log in"));
    disable->add_option("ACCOUNT", command->account, _("a user code or a codice fiscale"))->required();
    disable->add_option("--reason", command->reason, _("why, for the audit log"));
    disable->callback([&context, command] { context.exit_code = run_set_enabled(context, *command, false); });

    auto* enable = account->add_subcommand("enable", _("enable a disabled account"));
    enable->add_option("ACCOUNT", command->account, _("a user code or a codice fiscale"))->required();
    enable->add_option("--reason", command->reason, _("why, for the audit log"));
    enable->callback([&context, command] { context.exit_code = run_set_enabled(context, *command, true); });

    auto* set_email = account->add_subcommand(
        "set-email", _("record the proposed institutional address of each active pupil without one"));
    set_email->add_flag("--from-proposal", command->from_proposal,
                        _("the address 'export gworkspace' proposes: name.surname@<school domain>"))
        ->required();
    set_email->add_option("--class", command->classes, _("only pupils of this class (repeatable)"));
    set_email->add_flag("--dry-run", command->dry_run, _("print the changes, change nothing"));
    set_email->callback([&context, command] { context.exit_code = run_set_email(context, *command); });
}

} // namespace credenza::cli
