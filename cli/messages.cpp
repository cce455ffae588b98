#include "cli/messages.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <credenza/i18n.hpp>
#include <credenza/time.hpp>

#include "cli/exit_codes.hpp"
#include "lib/i18n/gettext.hpp"

namespace credenza::cli {

std::string hint_text(Hint hint)
{
    switch (hint) {
    case Hint::none:
        return "";
    case Hint::initialise:
        return _("create it with 'credenza init'");
    case Hint::confirm:
        return _("re-run with --yes to confirm");
    case Hint::give_reason:
        return _("give it with --reason");
    case Hint::reset_pin_too:
        return _("add --pin");
    case Hint::enable_account:
        return _("enable it first ('credenza account enable')");
    case Hint::set_domain:
        return _("set 'domain' in the [school] section of the config (or give --domain to 'credenza init')");
    case Hint::wait_for_send:
        return _("try again when it has finished");
    case Hint::check_school_year:
        return _("check --year, or re-run with --yes to import an older year");
    case Hint::whole_enrolment:
        return _("a file of some classes only? Re-run with --classes naming them, e.g. --classes 1A,1B; "
                 "the whole school's enrolment at the end of the year? Re-run with --yes to confirm");
    case Hint::map_column:
        return _("rename it or use --map 'COLUMN=field'");
    case Hint::save_as_csv:
        return _("open it and save it as CSV: in Excel File > Save As > \"CSV UTF-8 (comma delimited) (*.csv)\"; "
               "in LibreOffice Calc File > Save As > \"Text CSV (.csv)\" with character set Unicode (UTF-8); "
               "then import the .csv file");
    case Hint::fix_sender:
        return _("set 'from' in the [mail] section of the config to 'address@domain' or 'Name <address@domain>'");
    case Hint::no_database_here:
        return _("run in the school's folder, or name its database with --db, CREDENZA_DB or 'db' in the config "
               "('credenza init' creates a new school)");
    case Hint::wait_for_hashes:
        return _("try again in a moment; if logins often wait this long, raise 'parallel_hashes' or "
               "'hash_wait_seconds' in the [credentials] section of the config (each hash holds kdf_memlimit_mib)");
    }
    return "";
}

std::string error_message(const Error& error)
{
    const std::string hint = hint_text(error.hint());
    return hint.empty() ? std::string(error.what()) : i18n::format(_fmt("{}: {}"), error.what(), hint);
}

std::string refusal_message(accounts::VerifyStatus status, std::string_view account, bool pin, bool changing,
                            std::string_view retry_after)
{
    switch (status) {
    case accounts::VerifyStatus::valid:
    case accounts::VerifyStatus::invalid:
        return "";
    case accounts::VerifyStatus::locked:
        if (changing) {
            return i18n::format(pin ? _fmt("the PIN of '{}' is locked: a recovery letter or an administrator's reset "
                                           "lifts it")
                                    : _fmt("the password of '{}' is locked: a recovery letter or an administrator's "
                                           "reset lifts it"),
                                account);
        }
        return i18n::format(pin ? _fmt("the PIN of '{}' is locked after too many failures: a recovery letter "
                                       "('credenza recover') or an administrator's reset ('credenza reset') lifts it")
                                : _fmt("the password of '{}' is locked after too many failures: a recovery letter "
                                       "('credenza recover') or an administrator's reset ('credenza reset') lifts it"),
                            account);
    case accounts::VerifyStatus::throttled: {
        // A stored time ("...Z"), shown in the school's zone as every time a person reads; to the
        // second, as the first waits are of 30 s.
        const std::string after = local_time(retry_after, reader_style(i18n::language()), true);
        if (retry_after.empty()) {
            return i18n::format(pin ? _fmt("too many wrong PINs for '{}': try again later")
                                    : _fmt("too many wrong passwords for '{}': try again later"),
                                account);
        }
        return i18n::format(pin ? _fmt("too many wrong PINs for '{}': try again after {}")
                                : _fmt("too many wrong passwords for '{}': try again after {}"),
                            account, after);
    }
    case accounts::VerifyStatus::disabled:
        return i18n::format(_fmt("account '{}' is disabled"), account);
    case accounts::VerifyStatus::spid:
        return i18n::format(changing ? _fmt("'{}' logs in with SPID or CIE: it has no password to change")
                                     : _fmt("'{}' logs in with SPID or CIE: it has no password"),
                            account);
    case accounts::VerifyStatus::expired:
        return changing ? i18n::format(_fmt("the initial password of '{}' has expired and its grace period is over: "
                                            "ask for new credentials (a recovery letter or the secretariat)"),
                                       account)
                        : i18n::format(_fmt("the initial password of '{}' has expired: change it now ('credenza "
                                            "passwd') while its grace period lasts, or ask for new credentials"),
                                       account);
    }
    return "";
}

int exit_code_for(accounts::VerifyStatus status)
{
    switch (status) {
    case accounts::VerifyStatus::valid:
        return k_exit_ok;
    case accounts::VerifyStatus::invalid:
        return k_exit_failed_check;
    case accounts::VerifyStatus::locked:
    case accounts::VerifyStatus::throttled:
    case accounts::VerifyStatus::disabled:
    case accounts::VerifyStatus::spid:
    case accounts::VerifyStatus::expired:
        return k_exit_permission;
    }
    return k_exit_software;
}

int exit_code_for(ErrorCode code)
{
    switch (code) {
    case ErrorCode::usage:
        return k_exit_usage;
    case ErrorCode::bad_input:
    case ErrorCode::not_found:
    case ErrorCode::smtp_permanent:
        return k_exit_data;
    case ErrorCode::no_input:
        return k_exit_no_input;
    case ErrorCode::smtp_unavailable:
        return k_exit_unavailable;
    case ErrorCode::cannot_create:
        return k_exit_cannot_create;
    case ErrorCode::io:
        return k_exit_io;
    case ErrorCode::temporary:
    case ErrorCode::smtp_temporary:
        return k_exit_temporary;
    case ErrorCode::locked:
    case ErrorCode::permission:
        return k_exit_permission;
    case ErrorCode::config:
        return k_exit_config;
    case ErrorCode::internal:
        return k_exit_software;
    }
    return k_exit_software;
}

} // namespace credenza::cli

namespace credenza::cli {

std::string setting_fix(std::string_view setting)
{
    if (setting == "smtp.user") {
        return _("the server refused the login: fix [smtp] user and the SMTP password ([smtp] password_file or "
               "CREDENZA_SMTP_PASSWORD)");
    }
    if (setting == "smtp.ca_file") {
        return _("the server's certificate does not verify: give its CA in [smtp] ca_file (or fix [smtp] url)");
    }
    if (setting == "smtp.url") {
        return _("the server of [smtp] url cannot be used (its host name does not resolve, or it refuses this "
               "client): fix [smtp] url");
    }
    if (setting == "smtp.tls") {
        return _("TLS cannot be had as configured: fix [smtp] tls and url (starttls with smtp://host:587, implicit "
               "with smtps://host:465)");
    }
    if (setting == "mail.from") {
        return _("the server does not accept the sender: fix [mail] from");
    }
    if (setting == "imap.user") {
        return _("the imap server refused the login: fix [imap] user and the IMAP password ([imap] password_file)");
    }
    if (setting == "imap.password_file") {
        return _("no IMAP password: put it alone in a file of mode 0600 and name that file in [imap] password_file");
    }
    if (setting == "imap.folder") {
        return _("the bounce folder cannot be opened: fix the folder at the end of [imap] url (INBOX when it names "
                 "none), or create it on the server");
    }
    if (setting == "imap.ca_file") {
        return _("the imap server's certificate does not verify: give its CA in [imap] ca_file (or fix [imap] url)");
    }
    if (setting == "imap.tls") {
        return _("TLS cannot be had as configured: fix [imap] tls and url (implicit with imaps://host:993, starttls "
                 "with imap://host:143)");
    }
    if (setting == "imap.url") {
        return _("the server of [imap] url cannot be used (its host name does not resolve, or it refuses this "
                 "client): fix [imap] url");
    }
    return i18n::format(_fmt("fix '{}' in the config"), setting);
}

std::string send_alert(const dispatch::SendReport& report)
{
    if (!report.misconfigured.empty()) {
        return i18n::format(_fmt("{} ({}); then run 'credenza check'"), setting_fix(report.misconfigured),
                            report.pause_reply);
    }
    if (report.unavailable) {
        return i18n::format(_fmt("the mail server cannot be reached ({}): the letters wait for the next run"),
                            report.pause_reply);
    }
    std::vector<std::string> parts;
    if (report.failed > 0) {
        parts.push_back(i18n::format(P_("{} letter refused for good", "{} letters refused for good",
                                        static_cast<unsigned long>(report.failed)),
                                     report.failed));
    }
    if (report.overdue > 0) {
        parts.push_back(i18n::format(P_("{} letter still waiting after [mail] alert_after_hours",
                                        "{} letters still waiting after [mail] alert_after_hours",
                                        static_cast<unsigned long>(report.overdue)),
                                     report.overdue));
    }
    if (parts.empty()) {
        return "";
    }
    return i18n::format(_fmt("{}: see 'credenza report problems'"), fmt::format("{}", fmt::join(parts, ", ")));
}

} // namespace credenza::cli
