#include <credenza/accounts/logins.hpp>

#include <fmt/format.h>

#include <credenza/accounts/accounts.hpp>
#include <credenza/audit/log.hpp>
#include <credenza/dispatch/issue.hpp>
#include <credenza/store/logins.hpp>
#include "i18n/gettext.hpp"

namespace credenza::accounts {

ReminderReport remind_never_logged_in(store::Database& db, const Clock& clock, const ReminderOptions& options,
                                      std::string_view operator_name)
{
    if (options.interval_days < 1) {
        throw Error(ErrorCode::usage, credenza::i18n::format(_fmt("reminder interval of {} days: it must be at least 1"),
                                                  options.interval_days));
    }
    const TimePoint now = clock.now();
    const std::string cutoff = iso_time(now - std::chrono::hours(24) * options.interval_days);
    ReminderReport report;
    store::Transaction transaction(db);
    AccountFilter filter;
    filter.status = AccountStatus::active;
    filter.classes = options.classes;
    const auto accounts = list_accounts(db, clock, filter);
    const auto logins = store::login_records(db);
    const auto reminders = store::last_reminders(db);
    for (const auto& account : accounts) {
        const auto login = logins.find(account.id);
        if (login != logins.end() && (!login->second.first_login_at.empty() || !login->second.last_login_at.empty())) {
            continue;
        }
        if (account.credentials != "sent") {
            ++report.without_credentials;
            continue;
        }
        if (account.email.empty()) {
            ++report.without_address;
            continue;
        }
        // ISO times in UTC compare as text.
        if (const auto last = reminders.find(account.id); last != reminders.end() && last->second > cutoff) {
            ++report.recently_reminded;
            continue;
        }
        report.queued.push_back(account.user_code);
        if (!options.dry_run) {
            // Audited there, as every queued letter is ("queue reminder").
            dispatch::queue_letter(db, clock, account.id, LetterPurpose::reminder, false, "never logged in",
                                   std::string(operator_name));
        }
    }
    if (!options.dry_run) {
        transaction.commit();
    }
    return report;
}

FamilyLoginSwitch switch_family_login(store::Database& db, const Clock& clock, LoginMethod configured, LoginMethod to,
                                      bool dry_run, std::string_view operator_name)
{
    if (configured != to) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("cannot switch families to '{}': [policy] family_login says '{}'; set "
                                "'family_login = {}' in the config first, so that new letters agree"),
                                to_string(to), to_string(configured), to_string(to)));
    }
    const LoginMethod from = to == LoginMethod::spid_cie ? LoginMethod::password : LoginMethod::spid_cie;
    FamilyLoginSwitch result;
    result.to = to;
    result.dry_run = dry_run;
    store::Transaction transaction(db);
    result.accounts = store::count_family_accounts_with_method(db, from);
    result.with_password = store::count_family_accounts_with_password(db, from);
    result.without_password = result.accounts - result.with_password;
    if (dry_run || result.accounts == 0) {
        return result;
    }
    store::switch_family_login(db, to, clock.now());
    audit::append(db, clock, operator_name, "family login switched", "",
                  fmt::format("from={} to={} accounts={} with_password={} without_password={}", to_string(from),
                              to_string(to), result.accounts, result.with_password, result.without_password));
    transaction.commit();
    return result;
}

} // namespace credenza::accounts
