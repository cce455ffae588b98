#include <credenza/setup/init.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/credentials/key_ring.hpp>
#include <credenza/enrolment/fields.hpp>
#include <credenza/mail/address.hpp>
#include <credenza/util/files.hpp>
#include <credenza/util/text.hpp>
#include "i18n/gettext.hpp"

namespace credenza::setup {

namespace {

bool has_control_characters(std::string_view text)
{
    return std::any_of(text.begin(), text.end(), [](char c) { return util::is_ascii_control(c); });
}

void validate(const store::School& school)
{
    const auto check = [](const char* option, const std::string& value, const std::string& reason) {
        if (!reason.empty()) {
            throw Error(ErrorCode::usage, credenza::i18n::format(_fmt("invalid {} '{}': {}"), option, value, reason));
        }
    };
    check("--school-code", school.code, school_code_problem(school.code));
    check("--school-name", school.name,
          school.name.empty()                   ? _("must not be empty")
          : has_control_characters(school.name) ? _("must not contain control characters")
          : school.name.size() > 200            ? _("is longer than 200 characters")
                                                : "");
    check("--portal-url", school.portal_url, portal_url_problem(school.portal_url));
    check("--mail-from", school.mail_from, mail::parse_sender(school.mail_from).problem);
    if (!school.domain.empty()) {
        check("--domain", school.domain, domain_problem(school.domain));
    }
}

// Links `from` to `to` without ever replacing an existing `to`, then removes `from`.
void publish(const std::filesystem::path& from, const std::filesystem::path& to)
{
    if (::link(from.c_str(), to.c_str()) != 0) {
        const int error = errno;
        throw Error(ErrorCode::cannot_create,
                    credenza::i18n::format(_fmt("cannot create '{}': {}"), to.string(), std::strerror(error)));
    }
    ::unlink(from.c_str());
    for (const char* suffix : {"-wal", "-shm"}) {
        ::unlink((from.string() + suffix).c_str());
    }
    util::fsync_directory(util::directory_of(to));
}

// A database left under its temporary name by an interrupted init, made with this key.
bool pending_database_matches(const std::filesystem::path& db_temp, const std::filesystem::path& key_path)
{
    try {
        const auto keys = credentials::KeyRing::load(key_path);
        auto db = store::Database::open(db_temp);
        const std::string key_id = store::school_key_id(db);
        return !key_id.empty() && key_id == keys.current_id();
    } catch (const Error&) {
        return false;
    }
}

} // namespace

std::string school_code_problem(std::string_view code)
{
    if (code.size() != 11 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return _("must be the 11 digits of the school's codice fiscale");
    }
    // The check digit of a legal entity's codice fiscale (as for a partita IVA).
    int sum = 0;
    for (int i = 0; i < 10; ++i) {
        int digit = code[i] - '0';
        if (i % 2 == 1) {
            digit *= 2;
            if (digit > 9) {
                digit -= 9;
            }
        }
        sum += digit;
    }
    const int check = (10 - sum % 10) % 10;
    if (check != code[10] - '0') {
        return credenza::i18n::format(_fmt("check digit should be '{}'"), check);
    }
    return {};
}

std::string portal_url_problem(std::string_view url)
{
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
        return _("must start with https://");
    }
    if (std::any_of(url.begin(), url.end(), [](char c) {
            const auto byte = static_cast<unsigned char>(c);
            return byte <= 0x20 || byte == 0x7f || c == '<' || c == '>' || c == '"';
        })) {
        return _("must not contain spaces, quotes, '<', '>' or control characters");
    }
    const auto host_start = url.find("//") + 2;
    if (host_start >= url.size() || url[host_start] == '/') {
        return _("has no host");
    }
    return {};
}

std::string domain_problem(std::string_view domain)
{
    const std::string probe = "x@" + std::string(domain);
    const std::string reason = enrolment::email_problem(probe);
    return reason.empty() ? std::string() : _("is not a valid mail domain");
}

void initialise(const InitOptions& options, const Clock& clock)
{
    validate(options.school);
    std::error_code error;
    const auto exists = [&](const std::filesystem::path& path) { return std::filesystem::exists(path, error); };
    if (exists(options.db_path)) {
        throw Error(ErrorCode::cannot_create,
                    credenza::i18n::format(_fmt("database '{}' already exists: refusing to overwrite it"), options.db_path.string()));
    }
    // Both files are made under temporary names and linked into place, key first: a crash at any
    // moment leaves either nothing of ours, or a key and the finished database under its
    // temporary name, which a re-run recognises by the key id it records and moves into place.
    const std::filesystem::path db_temp = options.db_path.string() + ".init";
    const std::filesystem::path key_temp = options.key_path.string() + ".init";
    if (exists(options.key_path)) {
        if (exists(db_temp) && pending_database_matches(db_temp, options.key_path)) {
            publish(db_temp, options.db_path);
            return;
        }
        throw Error(ErrorCode::cannot_create,
                    credenza::i18n::format(_fmt("key file '{}' already exists: refusing to overwrite it"), options.key_path.string()));
    }
    for (const auto& leftover : {db_temp, std::filesystem::path(db_temp.string() + "-wal"),
                                 std::filesystem::path(db_temp.string() + "-shm"), key_temp}) {
        std::filesystem::remove(leftover, error);
    }
    credentials::KeyRing::create(key_temp);
    try {
        store::School school = options.school;
        const auto keys = credentials::KeyRing::load(key_temp);
        school.key_id = keys.current_id();
        {
            auto db = store::Database::create(db_temp);
            db.set_audit_key(audit::derive_key(keys, school.key_id)); // keyed from the first row
            store::Transaction transaction(db);
            store::insert_school(db, school, clock.now());
            audit::append(db, clock, options.operator_name, "init", "",
                          fmt::format("school={} key={}", school.code, school.key_id));
            transaction.commit();
        }
        publish(key_temp, options.key_path);
    } catch (...) {
        std::filesystem::remove(key_temp, error);
        std::filesystem::remove(db_temp, error);
        throw;
    }
    publish(db_temp, options.db_path);
}

} // namespace credenza::setup
