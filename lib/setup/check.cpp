#include <credenza/setup/check.hpp>

#include <algorithm>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <sodium.h>

#include <credenza/bounces/mailbox.hpp>
#include <credenza/credentials/database_key.hpp>
#include <credenza/credentials/key_ring.hpp>
#include <credenza/dispatch/transports.hpp>
#include <credenza/mail/address.hpp>
#include <credenza/mail/templates.hpp>
#include <credenza/store/database.hpp>
#include <credenza/store/inspect.hpp>
#include <credenza/store/letters.hpp>
#include <credenza/store/school.hpp>
#include "i18n/gettext.hpp"

namespace credenza::setup {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

CheckResult passed(std::string name, std::string detail)
{
    return CheckResult{std::move(name), true, std::move(detail), ErrorCode::config, ""};
}

CheckResult failed(std::string name, std::string detail, ErrorCode code = ErrorCode::config, std::string setting = {})
{
    return CheckResult{std::move(name), false, std::move(detail), code, std::move(setting)};
}

// "" when the file is missing or private to its owner; else what is wrong with it.
std::string permission_problem(const fs::path& path)
{
    struct stat info{};
    if (::stat(path.c_str(), &info) != 0) {
        return "";
    }
    if ((info.st_mode & 077) != 0) {
        return credenza::i18n::format(_fmt("'{}' is readable by other users (mode {:04o}): chmod 600 '{}'"), path.string(),
                           info.st_mode & 07777, path.string());
    }
    if (info.st_uid != ::geteuid()) {
        return credenza::i18n::format(_fmt("'{}' belongs to another user (uid {}): run as its owner"), path.string(), info.st_uid);
    }
    return "";
}

struct Context
{
    const config::Settings& settings;
    const Clock& clock;
    const CheckOptions& options;
    std::optional<store::Database> database; // open when the database check passed and its schema is current
};

CheckResult check_database(Context& context)
{
    const auto& path = context.options.database;
    store::Inspection inspection;
    try {
        inspection = store::inspect_database(path);
    } catch (const Error& error) {
        return failed("database", error.what(), error.code());
    }
    for (const auto* suffix : {"", "-wal", "-shm"}) {
        if (const auto problem = permission_problem(path.string() + suffix); !problem.empty()) {
            return failed("database", problem, ErrorCode::permission);
        }
    }
    if (context.options.integrity && inspection.integrity != "ok") {
        return failed("database", credenza::i18n::format(_fmt("'{}' fails its integrity check: {}: restore the last backup"),
                                              path.string(), inspection.integrity),
                      ErrorCode::io);
    }
    const int latest = store::latest_schema_version();
    if (inspection.schema_version > latest) {
        return failed("database", credenza::i18n::format(_fmt("'{}' has schema {}, newer than this program's {}: upgrade credenza"),
                                              path.string(), inspection.schema_version, latest));
    }
    if (inspection.schema_version < latest) {
        return passed("database", credenza::i18n::format(_fmt("'{}': schema {}, upgraded to {} by the next command that opens it"),
                                              path.string(), inspection.schema_version, latest));
    }
    try {
        context.database.emplace(store::Database::open(path));
    } catch (const Error& error) {
        return failed("database", error.what(), error.code());
    }
    return passed("database", credenza::i18n::format(_fmt("'{}': schema {}{}"), path.string(), inspection.schema_version,
                                          context.options.integrity ? _(", integrity ok") : ""));
}

CheckResult check_key_file(Context& context)
{
    const auto& path = context.options.key_file;
    if (const auto problem = permission_problem(path); !problem.empty()) {
        return failed("key_file", problem, ErrorCode::permission);
    }
    try {
        const auto keys = credentials::KeyRing::load(path);
        if (!context.database) {
            return failed("key_file", credenza::i18n::format(_fmt("'{}' loads, but the database could not be opened to match it"),
                                                  path.string()));
        }
        credentials::require_database_key(*context.database, keys, path);
    } catch (const Error& error) {
        return failed("key_file", error.what(), error.code());
    }
    return passed("key_file", credenza::i18n::format(_fmt("'{}' is private and matches the database"), path.string()));
}

CheckResult check_templates(const Context& context)
{
    const auto& letters = context.settings.mail;
    std::vector<mail::LetterKind> kinds = {mail::LetterKind::family, mail::LetterKind::student,
                                           mail::LetterKind::reset, mail::LetterKind::recovery,
                                           mail::LetterKind::reminder};
    if (context.settings.policy.family_login == "spid_cie") {
        kinds.push_back(mail::LetterKind::spid);
        kinds.push_back(mail::LetterKind::reminder_spid);
    }
    try {
        for (const auto kind : kinds) {
            mail::check_template(mail::load_template(kind, letters.language, letters.template_dir));
        }
    } catch (const Error& error) {
        return failed("templates", error.what(), error.code(), "mail.template_dir");
    }
    return passed("templates", letters.template_dir.empty()
                                   ? credenza::i18n::format(_fmt("the built-in '{}' letters"), letters.language)
                                   : credenza::i18n::format(_fmt("'{}' letters from '{}' (built-in for the others)"),
                                                 letters.language, letters.template_dir));
}

CheckResult check_outbox(const fs::path& outbox)
{
    // As the directory transport opens it: never through a symbolic link, never another user's;
    // a folder of ours that others may read is tightened to 0700 when letters are written.
    struct stat link{};
    if (::lstat(outbox.c_str(), &link) == 0) {
        if (!S_ISDIR(link.st_mode)) {
            return failed("mail",
                          credenza::i18n::format(_fmt("outbox '{}' is not a folder ({}): fix [mail] outbox"), outbox.string(),
                                      S_ISLNK(link.st_mode) ? _("a symbolic link is refused") : _("it is a file")),
                          ErrorCode::cannot_create, "mail.outbox");
        }
        if (link.st_uid != ::geteuid()) {
            return failed("mail",
                          credenza::i18n::format(_fmt("outbox '{}' belongs to another user (uid {}): run as its owner"),
                                      outbox.string(), link.st_uid),
                          ErrorCode::permission, "mail.outbox");
        }
    }
    std::error_code error;
    const bool exists = fs::exists(outbox, error);
    const fs::path directory = exists ? outbox : outbox.has_parent_path() ? outbox.parent_path() : fs::path(".");
    if (!fs::is_directory(directory, error) || ::access(directory.c_str(), W_OK | X_OK) != 0) {
        return failed("mail",
                      credenza::i18n::format(_fmt("outbox '{}' cannot be {}: fix [mail] outbox or the permissions of '{}'"),
                                  outbox.string(),
                                  // TRANSLATORS: "outbox '{}' cannot be written" / "cannot be made".
                                  exists ? _("written") : _("made"), directory.string()),
                      ErrorCode::cannot_create, "mail.outbox");
    }
    return passed("mail", credenza::i18n::format(_fmt("letters are written to '{}' (they hold secrets in clear: set [mail] "
                                      "transport = smtp to send them)"),
                                      outbox.string()));
}

CheckResult check_mail(Context& context)
{
    const auto& settings = context.settings;
    std::string sender = settings.mail.from;
    if (sender.empty() && context.database) {
        try {
            sender = store::load_school(*context.database, settings).mail_from;
        } catch (const Error&) {
            // Reported by the database check already.
        }
    }
    const auto parsed = mail::parse_sender(sender);
    if (!sender.empty() && !parsed.problem.empty()) {
        return failed("mail", credenza::i18n::format(_fmt("the sender {}: fix [mail] from"), parsed.problem), ErrorCode::config,
                      "mail.from");
    }
    try {
        const auto choice = dispatch::choose_transport(settings);
        if (choice.directory) {
            return check_outbox(choice.outbox);
        }
        const auto transport = choice.factory(); // validates url and tls
        if (!context.options.connect) {
            return passed("mail", _("smtp settings are consistent (not connected)"));
        }
        if (sender.empty()) {
            return failed("mail", _("no sender to try: set [mail] from"), ErrorCode::config, "mail.from");
        }
        const auto probe = transport->probe(parsed.address.email);
        switch (probe.outcome) {
        case mail::Outcome::sent:
            return passed("mail", credenza::i18n::format(_fmt("the smtp server accepts the login and the sender <{}> ({})"),
                                              parsed.address.email, probe.reply));
        case mail::Outcome::misconfigured:
            return failed("mail", probe.reply, ErrorCode::config, probe.setting);
        case mail::Outcome::unavailable:
            return failed("mail", credenza::i18n::format(_fmt("the smtp server cannot be reached: {}"), probe.reply),
                          ErrorCode::smtp_unavailable, "smtp.url");
        default:
            return failed("mail", credenza::i18n::format(_fmt("the smtp server did not accept the sender for now: {}"), probe.reply),
                          ErrorCode::smtp_temporary);
        }
    } catch (const Error& error) {
        return failed("mail", error.what(), error.code());
    }
}

CheckResult check_bounces(const Context& context)
{
    const auto& imap = context.settings.imap;
    bounces::MailboxProbe probe;
    try {
        auto options = bounces::imap_options(imap);
        try {
            probe = bounces::probe_imap_mailbox(options, context.options.connect); // a copy it wipes
        } catch (...) {
            sodium_memzero(options.password.data(), options.password.size());
            throw;
        }
        sodium_memzero(options.password.data(), options.password.size());
    } catch (const Error& error) {
        return failed("bounces", error.what(), error.code());
    }
    switch (probe.outcome) {
    case bounces::MailboxProbe::Outcome::passed:
        if (!context.options.connect) {
            return passed("bounces", _("imap settings are consistent (not connected)"));
        }
        if (probe.messages < 0) {
            return passed("bounces", credenza::i18n::format(_fmt("the imap server '{}' accepts the login of '{}' and "
                                                                 "opens the folder '{}' read-only"),
                                                            probe.host, imap.user, probe.folder));
        }
        return passed("bounces",
                      credenza::i18n::format(P_("the imap server '{}' accepts the login of '{}' and opens the folder "
                                                "'{}' read-only: {} message waits",
                                                "the imap server '{}' accepts the login of '{}' and opens the folder "
                                                "'{}' read-only: {} messages wait",
                                                static_cast<unsigned long>(probe.messages)),
                                             probe.host, imap.user, probe.folder, probe.messages));
    case bounces::MailboxProbe::Outcome::misconfigured:
        if (!probe.connected) {
            return failed("bounces", probe.reason, ErrorCode::config, probe.setting);
        }
        if (probe.setting == "imap.folder") {
            return failed("bounces",
                          credenza::i18n::format(_fmt("the folder '{}' on the imap server '{}' cannot be opened: {}"),
                                                 probe.folder, probe.host, probe.reason),
                          ErrorCode::config, probe.setting);
        }
        if (probe.setting == "imap.user") {
            return failed("bounces",
                          credenza::i18n::format(_fmt("the imap server '{}' refused the login of '{}': {}"), probe.host,
                                                 imap.user, probe.reason),
                          ErrorCode::config, probe.setting);
        }
        return failed("bounces", credenza::i18n::format(_fmt("the imap server '{}': {}"), probe.host, probe.reason),
                      ErrorCode::config, probe.setting);
    case bounces::MailboxProbe::Outcome::unavailable: break;
    }
    return failed("bounces",
                  credenza::i18n::format(_fmt("the imap server '{}' cannot be reached: {}"), probe.host, probe.reason),
                  ErrorCode::temporary, "imap.url");
}

CheckResult check_daily_cap(Context& context)
{
    if (!context.database) {
        return failed("daily_cap", _("the database could not be opened to count the letters due"));
    }
    const auto now = context.clock.now();
    const int due = static_cast<int>(store::due_letter_ids(*context.database, now, false, true).size());
    const int sent = store::letters_sent_since(*context.database, now - 24h);
    const int cap = context.settings.mail.daily_cap;
    const int left = std::max(0, cap - sent);
    if (due > left) {
        return failed("daily_cap",
                      credenza::i18n::format(_fmt("{} letters due, but only {} of [mail] daily_cap {} left in the last 24 hours: the "
                                  "rest waits (raise daily_cap if the provider allows)"),
                                  due, left, cap),
                      ErrorCode::temporary, "mail.daily_cap");
    }
    return passed("daily_cap", credenza::i18n::format(P_("{} letter due, {} of [mail] daily_cap {} left in the last 24 hours",
                                                          "{} letters due, {} of [mail] daily_cap {} left in the last 24 hours",
                                                          static_cast<unsigned long>(due)),
                                                       due, left, cap));
}

} // namespace

std::vector<CheckResult> check_installation(const config::Settings& settings, const Clock& clock,
                                            const CheckOptions& options)
{
    Context context{settings, clock, options, std::nullopt};
    std::vector<CheckResult> results;
    results.push_back(check_database(context));
    results.push_back(check_key_file(context));
    results.push_back(check_templates(context));
    results.push_back(check_mail(context));
    if (!settings.imap.url.empty()) { // what makes `credenza bounces` willing to run
        results.push_back(check_bounces(context));
    }
    if (options.daily_cap) {
        results.push_back(check_daily_cap(context));
    }
    return results;
}

} // namespace credenza::setup
