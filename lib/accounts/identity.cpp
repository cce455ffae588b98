#include <credenza/accounts/identity.hpp>

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include <credenza/accounts/accounts.hpp>
#include <credenza/audit/log.hpp>
#include <credenza/enrolment/codice_fiscale.hpp>
#include <credenza/store/accounts.hpp>
#include <credenza/store/logins.hpp>
#include <credenza/util/text.hpp>

namespace credenza::accounts {

namespace {

constexpr std::string_view k_italian_prefix = "TINIT-";

IdentityAccount identity_account(store::Database& db, const store::AccountRow& row, TimePoint now)
{
    IdentityAccount account;
    account.user_code = row.user_code;
    account.kind = row.kind;
    account.login_method = row.login_method;
    account.has_pin = row.has_pin;
    AccountInfo info;
    info.kind = row.kind;
    info.has_pin = row.has_pin;
    if (row.kind == AccountKind::student) {
        info.adult = is_adult(row.birth_date, now);
        account.pupils.push_back({row.tax_code, row.class_name});
    } else {
        for (const auto& pupil : store::active_pupils_of_guardian(db, row.person_id)) {
            account.pupils.push_back({pupil.tax_code, pupil.class_name});
        }
    }
    account.capabilities = capabilities_of(info);
    return account;
}

} // namespace

std::string normalise_fiscal_number(std::string_view text)
{
    std::string code;
    for (const char c : text) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            code += c;
        }
    }
    code = util::ascii_upper(code);
    if (code.starts_with(k_italian_prefix)) {
        code.erase(0, k_italian_prefix.size());
    }
    return code;
}

Identity identify(store::Database& db, const Clock& clock, const IdentityRequest& request,
                  std::string_view operator_name)
{
    const TimePoint now = clock.now();
    Identity identity;
    identity.fiscal_number = normalise_fiscal_number(request.fiscal_number);
    const bool valid = enrolment::codice_fiscale_problem(identity.fiscal_number).empty();

    // A look-up only reads; recording a login reads and writes under the write lock.
    std::optional<store::Transaction> transaction;
    if (request.record_login) {
        transaction.emplace(db);
    }
    // The same query for a malformed number as for a valid one: neither the answer nor its time
    // tells them apart. A malformed one cannot match (the import stores valid codes only).
    auto rows = store::find_account_rows(db, "", valid ? identity.fiscal_number : std::string("-"));
    if (rows.empty()) {
        return identity;
    }
    const bool any_active = std::any_of(rows.begin(), rows.end(),
                                        [](const store::AccountRow& row) { return row.status == AccountStatus::active; });
    if (!any_active) {
        identity.status = IdentityStatus::disabled;
        return identity;
    }
    std::erase_if(rows, [](const store::AccountRow& row) { return row.status != AccountStatus::active; });
    if (request.record_login && !request.account.empty()) {
        const std::string chosen = util::ascii_upper(request.account);
        std::erase_if(rows, [&](const store::AccountRow& row) { return row.user_code != chosen; });
        if (rows.empty()) {
            return identity; // not an account of this person: as for nobody
        }
    }
    identity.status = IdentityStatus::found;
    for (const auto& row : rows) {
        identity.accounts.push_back(identity_account(db, row, now));
    }
    if (request.record_login) {
        const auto method = *request.record_login;
        for (const auto& row : rows) {
            const auto before = store::record_login(db, row.id, method, now);
            audit::append(db, clock, operator_name, "login recorded", row.user_code,
                          before.first_login_at.empty() ? fmt::format("method={} first", to_string(method))
                                                        : fmt::format("method={}", to_string(method)));
            identity.recorded.push_back(row.user_code);
        }
        transaction->commit();
    }
    return identity;
}

} // namespace credenza::accounts
