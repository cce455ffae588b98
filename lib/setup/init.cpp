#include <credenza/setup/init.hpp>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/credentials/key_ring.hpp>
#include <credenza/enrolment/fields.hpp>

namespace credenza::setup {

namespace {

bool has_control_characters(std::string_view text)
{
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
}

void validate(const store::School& school)
{
    const auto check = [](const char* option, const std::string& value, const std::string& reason) {
        if (!reason.empty()) {
            throw Error(ErrorCode::usage, fmt::format("invalid {} '{}': {}", option, value, reason));
        }
    };
    check("--school-code", school.code, school_code_problem(school.code));
    check("--school-name", school.name,
          school.name.empty()                   ? "must not be empty"
          : has_control_characters(school.name) ? "must not contain control characters"
          : school.name.size() > 200            ? "is longer than 200 characters"
                                                : "");
    check("--portal-url", school.portal_url, portal_url_problem(school.portal_url));
    check("--mail-from", school.mail_from, enrolment::email_problem(school.mail_from));
    if (!school.domain.empty()) {
        check("--domain", school.domain, domain_problem(school.domain));
    }
}

} // namespace

std::string school_code_problem(std::string_view code)
{
    if (code.size() != 11 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return "must be the 11 digits of the school's codice fiscale";
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
        return fmt::format("check digit should be '{}'", check);
    }
    return {};
}

std::string portal_url_problem(std::string_view url)
{
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
        return "must start with https://";
    }
    if (std::any_of(url.begin(), url.end(), [](char c) {
            const auto byte = static_cast<unsigned char>(c);
            return byte <= 0x20 || byte == 0x7f || c == '<' || c == '>' || c == '"';
        })) {
        return "must not contain spaces, quotes, '<', '>' or control characters";
    }
    const auto host_start = url.find("//") + 2;
    if (host_start >= url.size() || url[host_start] == '/') {
        return "has no host";
    }
    return {};
}

std::string domain_problem(std::string_view domain)
{
    const std::string probe = "x@" + std::string(domain);
    const std::string reason = enrolment::email_problem(probe);
    return reason.empty() ? std::string() : "is not a valid mail domain";
}

void initialise(const InitOptions& options)
{
    validate(options.school);
    std::error_code error;
    if (std::filesystem::exists(options.db_path, error)) {
        throw Error(ErrorCode::cannot_create,
                    fmt::format("database '{}' already exists: refusing to overwrite it", options.db_path.string()));
    }
    if (std::filesystem::exists(options.key_path, error)) {
        throw Error(ErrorCode::cannot_create,
                    fmt::format("key file '{}' already exists: refusing to overwrite it", options.key_path.string()));
    }
    credentials::KeyRing::create(options.key_path);
    try {
        auto db = store::Database::create(options.db_path);
        store::Transaction transaction(db);
        store::insert_school(db, options.school);
        audit::append(db, options.operator_name.empty() ? audit::current_operator() : options.operator_name, "init",
                      "", fmt::format("school={}", options.school.code));
        transaction.commit();
    } catch (...) {
        std::filesystem::remove(options.key_path, error);
        throw;
    }
}

} // namespace credenza::setup
