#include <credenza/accounts/accounts.hpp>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/enrolment/codice_fiscale.hpp>
#include <credenza/enrolment/fields.hpp>
#include <credenza/util/text.hpp>
#include <credenza/time.hpp>

namespace credenza::accounts {

namespace {

constexpr int k_adult_age = 18;

constexpr const char* k_select = R"sql(
SELECT a.id, a.person_id, a.user_code, a.kind, p.tax_code, p.surname, p.name,
       CASE a.kind WHEN 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END,
       a.status, a.disabled_by, a.must_change_password, a.password_hash IS NOT NULL, a.pin_hash IS NOT NULL,
       coalesce(a.password_set_at, ''), coalesce(a.first_login_at, ''), a.login_method,
       coalesce(pu.birth_date, ''), coalesce(pu.class, ''),
       (SELECT CASE
            WHEN EXISTS (SELECT 1 FROM letter l WHERE l.account_id = a.id AND l.state = 'sent') THEN 'sent'
            WHEN EXISTS (SELECT 1 FROM letter l WHERE l.account_id = a.id
                         AND l.state IN ('queued', 'sending', 'deferred')) THEN 'pending'
            WHEN EXISTS (SELECT 1 FROM letter l WHERE l.account_id = a.id AND l.state = 'failed') THEN 'failed'
            ELSE 'none' END),
       a.pin_failures, a.password_failures
FROM account a JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
)sql";

AccountInfo read_account(SQLite::Statement& query)
{
    AccountInfo info;
    info.id = query.getColumn(0).getInt64();
    info.person_id = query.getColumn(1).getInt64();
    info.user_code = query.getColumn(2).getString();
    info.kind = query.getColumn(3).getString();
    info.tax_code = query.getColumn(4).getString();
    info.surname = query.getColumn(5).getString();
    info.name = query.getColumn(6).getString();
    info.email = query.getColumn(7).getString();
    info.status = query.getColumn(8).getString();
    info.disabled_by = query.getColumn(9).getString();
    info.must_change_password = query.getColumn(10).getInt() != 0;
    info.has_password = query.getColumn(11).getInt() != 0;
    info.has_pin = query.getColumn(12).getInt() != 0;
    info.password_set_at = query.getColumn(13).getString();
    info.first_login_at = query.getColumn(14).getString();
    info.login_method = query.getColumn(15).getString();
    info.birth_date = query.getColumn(16).getString();
    const std::string class_name = query.getColumn(17).getString();
    info.credentials = query.getColumn(18).getString();
    info.pin_failures = query.getColumn(19).getInt();
    info.password_failures = query.getColumn(20).getInt();
    if (info.kind == "student") {
        info.adult = is_adult(info.birth_date);
        if (!class_name.empty()) {
            info.classes.push_back(class_name);
        }
    }
    return info;
}

void fill_pupils(store::Database& db, AccountInfo& info)
{
    if (info.kind == "student") {
        info.pupils = {info.tax_code};
        return;
    }
    auto& query = db.statement("SELECT p.tax_code, pu.class FROM guardianship g JOIN person p ON p.id = g.pupil_id "
                               "JOIN pupil pu ON pu.person_id = g.pupil_id WHERE g.guardian_id = ? "
                               "AND pu.status = 'active' ORDER BY pu.class, p.surname, p.name");
    query.bind(1, static_cast<std::int64_t>(info.person_id));
    std::set<std::string> classes;
    while (query.executeStep()) {
        info.pupils.push_back(query.getColumn(0).getString());
        classes.insert(query.getColumn(1).getString());
    }
    info.classes.assign(classes.begin(), classes.end());
}

void complete(store::Database& db, AccountInfo& info)
{
    fill_pupils(db, info);
    info.capabilities = capabilities_of(info);
}

} // namespace

std::optional<bool> is_adult(std::string_view birth_date)
{
    const auto birth = enrolment::parse_iso_date(birth_date);
    if (!birth) {
        return std::nullopt;
    }
    return enrolment::age_on(*birth, enrolment::Date::today()) >= k_adult_age;
}

std::vector<std::string> capabilities_of(const AccountInfo& account)
{
    std::vector<std::string> capabilities = {"lessons", "homework", "material"};
    if (account.kind == "family") {
        for (const char* extra : {"marks", "absences", "communications", "justify_absences", "justify_late_entries",
                                  "request_early_exits", "sign_self_certifications"}) {
            capabilities.emplace_back(extra);
        }
    } else if (account.adult.value_or(false) && account.has_pin) {
        // An adult student with a PIN of their own signs for themselves.
        for (const char* extra : {"justify_own_absences", "justify_own_late_entries", "request_own_early_exits"}) {
            capabilities.emplace_back(extra);
        }
    }
    return capabilities;
}

std::vector<AccountInfo> list_accounts(store::Database& db, const AccountFilter& filter)
{
    std::vector<AccountInfo> accounts;
    db.guard("list accounts", [&] {
        SQLite::Statement query(db.raw(), std::string(k_select) +
                                              " WHERE (?1 = '' OR a.kind = ?1) AND (?2 = '' OR a.status = ?2) "
                                              "ORDER BY a.kind, p.surname, p.name, a.user_code");
        query.bind(1, filter.kind);
        query.bind(2, filter.status);
        while (query.executeStep()) {
            accounts.push_back(read_account(query));
        }
        for (auto& info : accounts) {
            complete(db, info);
        }
    });
    if (!filter.classes.empty()) {
        // As the secretary types it: " 5a " is 5A.
        std::vector<std::string> wanted;
        for (const auto& class_name : filter.classes) {
            wanted.push_back(enrolment::normalise_class(class_name));
        }
        std::erase_if(accounts, [&](const AccountInfo& info) {
            return std::none_of(info.classes.begin(), info.classes.end(), [&](const std::string& c) {
                return std::find(wanted.begin(), wanted.end(), c) != wanted.end();
            });
        });
    }
    return accounts;
}

AccountInfo find_account(store::Database& db, std::string_view account)
{
    std::vector<AccountInfo> found;
    db.guard("find account", [&] {
        const std::string code = util::ascii_upper(account);
        SQLite::Statement query(db.raw(), std::string(k_select) + " WHERE a.user_code = ?1 OR p.tax_code = ?2");
        query.bind(1, code);
        query.bind(2, enrolment::normalise_codice_fiscale(account));
        while (query.executeStep()) {
            found.push_back(read_account(query));
        }
    });
    if (found.empty()) {
        throw Error(ErrorCode::not_found, fmt::format("no account '{}'", std::string(account)));
    }
    if (found.size() > 1) {
        throw Error(ErrorCode::usage,
                    fmt::format("'{}' holds a family and a student account: name one by user code ('{}' or '{}')",
                                std::string(account), found[0].user_code, found[1].user_code));
    }
    complete(db, found.front());
    return found.front();
}

bool set_enabled(store::Database& db, std::string_view account, bool enabled, const std::string& reason,
                 const std::string& operator_name)
{
    store::Transaction transaction(db);
    const AccountInfo info = find_account(db, account);
    const bool is_enabled = info.status == "active";
    if (is_enabled == enabled) {
        return false;
    }
    db.execute("UPDATE account SET status = ?, disabled_by = ?, updated_at = ? WHERE id = ?",
               std::string(enabled ? "active" : "disabled"), std::string(enabled ? "" : "admin"), iso_now(), info.id);
    audit::append(db, operator_name, enabled ? "enable" : "disable", info.user_code,
                  reason.empty() ? std::string() : fmt::format("reason={}", reason));
    transaction.commit();
    return true;
}

} // namespace credenza::accounts
