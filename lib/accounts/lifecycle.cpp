#include <credenza/accounts/lifecycle.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <credenza/accounts/accounts.hpp>
#include <credenza/accounts/policy.hpp>
#include <credenza/audit/log.hpp>
#include <credenza/dispatch/issue.hpp>
#include <credenza/util/text.hpp>
#include <credenza/time.hpp>

namespace credenza::accounts {

namespace {

ChangeResult change_secret(store::Database& db, const credentials::Hasher& hasher, const config::Settings& settings,
                           std::string_view account, std::string_view current, std::string_view replacement,
                           credentials::Purpose purpose)
{
    const bool pin = purpose == credentials::Purpose::pin;
    ChangeResult result;
    const VerifyResult verified = verify_secret(db, hasher, settings.policy, account, purpose, current);
    result.user_code = verified.user_code;
    // An expired initial password may still be replaced by its holder: knowing it proves who they are.
    if (verified.status != VerifyStatus::valid && verified.status != VerifyStatus::expired) {
        result.status = verified.status;
        return result;
    }
    const AccountInfo info = find_account(db, account);
    if (pin) {
        result.problem = pin_problem(replacement, static_cast<std::size_t>(settings.credentials.pin_length));
    } else {
        PasswordContext context{info.user_code, info.name, info.surname, info.tax_code,
                                static_cast<std::size_t>(settings.policy.password_min_length)};
        result.problem = password_problem(replacement, context);
    }
    if (result.problem.empty() && replacement == current) {
        result.problem = pin ? "must differ from the current PIN" : "must differ from the current password";
    }
    if (!result.problem.empty()) {
        result.status = VerifyStatus::invalid;
        return result;
    }
    const std::string hash = hasher.hash(purpose, info.id, replacement);
    const std::string now = iso_now();
    store::Transaction transaction(db);
    if (pin) {
        db.execute("UPDATE account SET pin_hash = ?, pin_set_at = ?, pin_failures = 0, updated_at = ? WHERE id = ?",
                   hash, now, now, info.id);
    } else {
        db.execute("UPDATE account SET password_hash = ?, password_set_at = ?, must_change_password = 0, "
                   "password_failures = 0, password_last_failure_at = NULL, first_login_at = coalesce(first_login_at, ?), "
                   "updated_at = ? WHERE id = ?",
                   hash, now, now, now, info.id);
    }
    audit::append(db, audit::current_operator(), pin ? "pin changed" : "password changed", info.user_code, "");
    transaction.commit();
    result.status = VerifyStatus::valid;
    return result;
}

} // namespace

ChangeResult change_password(store::Database& db, const credentials::Hasher& hasher, const config::Settings& settings,
                             std::string_view account, std::string_view current, std::string_view replacement)
{
    return change_secret(db, hasher, settings, account, current, replacement, credentials::Purpose::password);
}

ChangeResult change_pin(store::Database& db, const credentials::Hasher& hasher, const config::Settings& settings,
                        std::string_view account, std::string_view current, std::string_view replacement)
{
    return change_secret(db, hasher, settings, account, current, replacement, credentials::Purpose::pin);
}

ResetResult reset_credentials(store::Database& db, std::string_view account, const std::string& reason, bool new_pin,
                              const std::string& operator_name, bool family_spid)
{
    const auto blank = std::all_of(reason.begin(), reason.end(), [](unsigned char c) { return std::isspace(c); });
    if (blank) {
        throw Error(ErrorCode::usage, "a reset needs --reason: credentials are regenerated only in exceptional, "
                                      "justified cases, and the reason goes to the audit log");
    }
    store::Transaction transaction(db);
    const AccountInfo info = find_account(db, account);
    if (info.status != "active") {
        throw Error(ErrorCode::locked,
                    fmt::format("account '{}' is disabled: enable it first ('credenza account enable')", info.user_code));
    }
    if (info.email.empty()) {
        throw Error(ErrorCode::bad_input, fmt::format("account '{}' has no recorded e-mail address: the register must "
                                                      "record one before new credentials can be sent",
                                                      info.user_code));
    }
    if (family_spid && info.kind == "family" && !new_pin) {
        throw Error(ErrorCode::usage, fmt::format("'{}' logs in with SPID or CIE and has no password: only its PIN "
                                                  "can be reset (add --pin)",
                                                  info.user_code));
    }
    const bool pin = new_pin && (info.kind == "family" || info.adult.value_or(false));
    if (new_pin && !pin) {
        throw Error(ErrorCode::usage, fmt::format("'{}' is the account of a minor student: it has no PIN", info.user_code));
    }
    const std::string now = iso_now();
    // The old secrets stop working now; the new ones are made when the letter is sent.
    db.execute("UPDATE account SET password_hash = NULL, must_change_password = 1, password_failures = 0, "
               "password_last_failure_at = NULL, pin_failures = 0, updated_at = ? WHERE id = ?",
               now, info.id);
    if (pin) {
        db.execute("UPDATE account SET pin_hash = NULL WHERE id = ?", info.id);
    }
    audit::append(db, operator_name, "reset", info.user_code,
                  fmt::format("reason={}{}", reason, pin ? " pin=new" : ""));
    ResetResult result{info.user_code, info.email, 0};
    result.letter_id = dispatch::queue_letter(db, info.id, "reset", pin, reason, operator_name);
    transaction.commit();
    return result;
}

int recover(store::Database& db, const config::PolicySettings& policy, std::string_view code_or_email,
            const std::string& operator_name)
{
    if (!policy.self_service_recover) {
        throw Error(ErrorCode::permission, "self-service recovery is turned off at this school: ask the secretariat");
    }
    const std::string code = util::ascii_upper(code_or_email);
    const std::string address = util::ascii_lower(code_or_email);
    const std::string cutoff =
        iso_time(std::chrono::system_clock::now() - std::chrono::minutes(policy.recover_interval_minutes));

    struct Match
    {
        std::int64_t id;
        std::string kind;
        std::string birth_date;
        bool recent;
    };
    std::vector<Match> matches;
    store::Transaction transaction(db);
    db.guard("find accounts to recover", [&] {
        auto& query = db.statement(R"sql(
SELECT a.id, a.kind, coalesce(pu.birth_date, ''),
       EXISTS (SELECT 1 FROM letter l WHERE l.account_id = a.id AND l.purpose = 'recovery' AND l.queued_at > ?3)
FROM account a JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
WHERE a.status = 'active'
  AND (CASE a.kind WHEN 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END) <> ''
  AND (a.user_code = ?1 OR
       (?2 <> '' AND lower(CASE a.kind WHEN 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END) = ?2)))sql");
        query.bind(1, code);
        query.bind(2, address.find('@') != std::string::npos ? address : std::string());
        query.bind(3, cutoff);
        while (query.executeStep()) {
            matches.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                               query.getColumn(2).getString(), query.getColumn(3).getInt() != 0});
        }
    });
    int queued = 0;
    for (const auto& match : matches) {
        if (match.recent) {
            continue; // rate limit: one recovery letter per account per interval
        }
        const bool pin = match.kind == "family" || is_adult(match.birth_date).value_or(false);
        dispatch::queue_letter(db, match.id, "recovery", pin, "", operator_name);
        ++queued;
    }
    // The request itself is recorded without what was typed: it may be someone else's address, or a password.
    audit::append(db, operator_name, "recover requested", "", fmt::format("letters={}", queued));
    transaction.commit();
    return queued;
}

} // namespace credenza::accounts
