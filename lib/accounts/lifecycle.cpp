#include <credenza/accounts/lifecycle.hpp>
#include "verify_detail.hpp"

#include <algorithm>

#include <fmt/format.h>

#include <credenza/accounts/accounts.hpp>
#include <credenza/accounts/policy.hpp>
#include <credenza/audit/log.hpp>
#include <credenza/dispatch/issue.hpp>
#include <credenza/store/accounts.hpp>
#include <credenza/util/text.hpp>
#include "i18n/gettext.hpp"

namespace credenza::accounts {

namespace {

ChangeResult change_secret(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                           const config::Settings& settings, std::string_view account, std::string_view current,
                           std::string_view replacement, credentials::Purpose purpose, std::string_view operator_name)
{
    const bool pin = purpose == credentials::Purpose::pin;
    ChangeResult result;
    const auto verified =
        detail::verify(db, clock, hasher, settings.policy, account, purpose, current, operator_name);
    result.user_code = verified.result.user_code;
    // An expired initial password may still be replaced by its holder for a bounded grace
    // period ([policy] expired_password_grace_days): knowing it proves who they are. After
    // that only a new letter helps.
    const bool expired_in_grace = verified.result.status == VerifyStatus::expired && verified.expired_in_grace;
    if (verified.result.status != VerifyStatus::valid && !expired_in_grace) {
        result.status = verified.result.status;
        return result;
    }
    const AccountInfo info = find_account(db, clock, verified.result.user_code);
    if (pin) {
        result.problem = pin_problem(replacement, static_cast<std::size_t>(settings.credentials.pin_length));
    } else {
        PasswordContext context{info.user_code, info.name, info.surname, info.tax_code,
                                static_cast<std::size_t>(settings.policy.password_min_length),
                                settings.policy.password_blocklist};
        result.problem = password_problem(replacement, context);
    }
    if (result.problem.empty() && replacement == current) {
        result.problem = pin ? _("must differ from the current PIN") : _("must differ from the current password");
    }
    if (!result.problem.empty()) {
        result.status = VerifyStatus::invalid;
        return result;
    }
    const std::string hash = hasher.hash(purpose, info.id, replacement);
    store::Transaction transaction(db);
    // Stored only over the secret just verified: a reset or a recovery that landed meanwhile wins.
    if (!store::store_chosen_secret(db, info.id, pin ? store::Secret::pin : store::Secret::password,
                                    verified.matched_hash, hash, clock.now())) {
        result.status = VerifyStatus::invalid; // the current secret is no longer the stored one
        return result;
    }
    audit::append(db, clock, operator_name, pin ? "pin changed" : "password changed", info.user_code, "");
    transaction.commit();
    result.status = VerifyStatus::valid;
    return result;
}

} // namespace

ChangeResult change_password(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                             const config::Settings& settings, std::string_view account, std::string_view current,
                             std::string_view replacement, std::string_view operator_name)
{
    return change_secret(db, clock, hasher, settings, account, current, replacement, credentials::Purpose::password,
                         operator_name);
}

ChangeResult change_pin(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                        const config::Settings& settings, std::string_view account, std::string_view current,
                        std::string_view replacement, std::string_view operator_name)
{
    return change_secret(db, clock, hasher, settings, account, current, replacement, credentials::Purpose::pin,
                         operator_name);
}

ResetResult reset_credentials(store::Database& db, const Clock& clock, std::string_view account,
                              const std::string& reason, bool new_pin, std::string_view operator_name,
                              bool family_spid)
{
    const auto blank = std::all_of(reason.begin(), reason.end(), [](unsigned char c) { return std::isspace(c); });
    if (blank) {
        throw Error(ErrorCode::usage,
                    _("a reset needs a reason: credentials are regenerated only in exceptional, justified cases, and "
                    "the reason goes to the audit log"),
                    Hint::give_reason);
    }
    store::Transaction transaction(db);
    const AccountInfo info = find_account(db, clock, account);
    if (info.status != AccountStatus::active) {
        throw Error(ErrorCode::locked, credenza::i18n::format(_fmt("account '{}' is disabled"), info.user_code), Hint::enable_account);
    }
    if (info.email.empty()) {
        throw Error(ErrorCode::bad_input, credenza::i18n::format(_fmt("account '{}' has no recorded e-mail address: the register must "
                                                      "record one before new credentials can be sent"),
                                                      info.user_code));
    }
    if (family_spid && info.kind == AccountKind::family && !new_pin) {
        throw Error(ErrorCode::usage,
                    credenza::i18n::format(_fmt("'{}' logs in with SPID or CIE and has no password: only its PIN can be reset"),
                                info.user_code),
                    Hint::reset_pin_too);
    }
    const bool pin = new_pin && (info.kind == AccountKind::family || info.adult.value_or(false));
    if (new_pin && !pin) {
        throw Error(ErrorCode::usage, credenza::i18n::format(_fmt("'{}' is the account of a minor student: it has no PIN"), info.user_code));
    }
    // The old secrets stop working now; the new ones are made when the letter is sent.
    store::revoke_secrets(db, info.id, pin, clock.now());
    audit::append(db, clock, operator_name, "reset", info.user_code,
                  fmt::format("reason={}{}", reason, pin ? " pin=new" : ""));
    ResetResult result{info.user_code, info.email, 0};
    result.letter_id = dispatch::queue_letter(db, clock, info.id, LetterPurpose::reset, pin, reason, std::string(operator_name));
    transaction.commit();
    return result;
}

int recover(store::Database& db, const Clock& clock, const config::PolicySettings& policy,
            std::string_view code_or_email, std::string_view operator_name, std::string_view requester_tag)
{
    if (!policy.self_service_recover) {
        throw Error(ErrorCode::permission, _("self-service recovery is turned off at this school: ask the secretariat"));
    }
    const std::string code = util::ascii_upper(code_or_email);
    const std::string address = util::ascii_lower(code_or_email);
    const TimePoint now = clock.now();
    const auto cutoff = now - std::chrono::minutes(policy.recover_interval_minutes);
    store::Transaction transaction(db);
    // Per requester (the front end's client address, say): a limit per hour, whatever was asked.
    const bool requester_limited =
        !requester_tag.empty() &&
        store::count_recover_request(db, requester_tag, now - std::chrono::hours(1), now) >= policy.recover_requester_per_hour;
    int queued = 0;
    if (!requester_limited) {
        const auto candidates = store::find_recovery_candidates(
            db, code, address.find('@') != std::string::npos ? address : std::string(), cutoff);
        for (const auto& candidate : candidates) {
            if (candidate.recovery_since) {
                continue; // rate limit: one recovery letter per account per interval
            }
            const bool pin = candidate.kind == AccountKind::family || is_adult(candidate.birth_date, now).value_or(false);
            dispatch::queue_letter(db, clock, candidate.account_id, LetterPurpose::recovery, pin, "",
                                   std::string(operator_name));
            ++queued;
        }
    }
    // The request itself is recorded without what was typed: it may be someone else's address, or a password.
    audit::append(db, clock, operator_name, "recover requested", "",
                  fmt::format("letters={}{}", queued, requester_limited ? " requester over its limit" : ""));
    transaction.commit();
    return queued;
}

} // namespace credenza::accounts
