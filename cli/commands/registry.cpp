#include "cli/commands/registry.hpp"

#include "lib/i18n/gettext.hpp"

namespace credenza::cli {

namespace {

constexpr CommandSpec k_commands[] = {
    {"init", N_("create the database and the pepper key file for a school"), install_init},
    {"import", N_("import an enrolment export (pupils, guardians, accounts), all or nothing"), install_import},
    {"issue", N_("queue a credentials letter for every account that never had one"), install_issue},
    {"send", N_("deliver queued letters, making their secrets now (SMTP or the outbox directory)"), install_send},
    {"verify", N_("check a password or PIN read from standard input (exit 0 valid, 1 invalid, 77 locked)"),
     install_verify},
    {"passwd", N_("change a password: at first access, or at will (old and new from the terminal)"), install_passwd},
    {"pin", N_("change a PIN (old and new from the terminal)"), install_pin},
    {"reset", N_("exceptional reset of a password (and PIN) with a written reason; queues a letter"), install_reset},
    {"recover", N_("\"Password dimenticata?\": new credentials to the recorded address only"), install_recover},
    {"account", N_("list, find, show, disable and enable accounts, and record students' addresses"), install_account},
    {"report", N_("the secretariat's reports: summary, classes, deliveries, problems and the audit log"), install_report},
    {"audit", N_("check the keyed hash chain of the audit log, print its head"), install_audit},
    {"backup", N_("a consistent copy of the live database (the key file is kept apart)"), install_backup},
    {"export", N_("the Google Workspace CSV for the students' institutional accounts"), install_export},
    {"check", N_("check the configuration, database, key file, templates, mail server and daily cap; send nothing"),
     install_check},
    {"identity", N_("the accounts of a person who logged in with SPID, CIE or eIDAS, as JSON; records the login"),
     install_identity},
    {"remind", N_("queue a reminder of how to log in for accounts that never did (no secret in it)"), install_remind},
    {"switch-login", N_("switch every family between passwords and SPID/CIE, as [policy] family_login says"),
     install_switch_login},
    {"bounces", N_("read the bounce mailbox over IMAP: letters that never arrived, their secrets voided"),
     install_bounces},
};

} // namespace

std::span<const CommandSpec> commands()
{
    return k_commands;
}

} // namespace credenza::cli
