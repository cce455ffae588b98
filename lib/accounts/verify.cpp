#include <credenza/accounts/verify.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/enrolment/codice_fiscale.hpp>
#include <credenza/store/accounts.hpp>
#include <credenza/util/text.hpp>

namespace credenza::accounts {

namespace {

store::Secret secret_of(credentials::Purpose purpose)
{
    return purpose == credentials::Purpose::pin ? store::Secret::pin : store::Secret::password;
}

std::optional<store::SecretRow> load(store::Database& db, std::string_view account, credentials::Purpose purpose)
{
    auto found = store::find_secret_rows(db, util::ascii_upper(account), enrolment::normalise_codice_fiscale(account),
                                         secret_of(purpose));
    // A codice fiscale that names two accounts is ambiguous: only a user code logs in then.
    if (found.size() != 1) {
        return std::nullopt;
    }
    return std::move(found.front());
}

} // namespace

std::chrono::seconds password_delay(int failures, int slowdown_after)
{
    using namespace std::chrono_literals;
    if (failures < slowdown_after) {
        return 0s;
    }
    std::chrono::seconds delay = 30s;
    for (int i = slowdown_after; i < failures && delay < 1h; ++i) {
        delay *= 2;
    }
    return std::min<std::chrono::seconds>(delay, 1h);
}

VerifyResult verify_secret(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                           const config::PolicySettings& policy, std::string_view account,
                           credentials::Purpose purpose, std::string_view secret, std::string_view operator_name)
{
    const bool pin = purpose == credentials::Purpose::pin;
    const auto now = clock.now();
    const int max_failures = pin ? policy.pin_max_failures : policy.password_max_failures;
    VerifyResult result;

    // Whether an attempt may run and counting it are one step under the write lock: parallel
    // attempts each take a count of their own, in turn, so none can run past the lock. The count
    // is given back when the secret proves right.
    std::optional<store::SecretRow> stored;
    std::optional<VerifyStatus> refused;
    int attempt = 0;
    {
        store::Transaction counting(db);
        stored = load(db, account, purpose);
        if (stored) {
            result.user_code = stored->user_code;
        }
        if (stored && stored->status != AccountStatus::active) {
            refused = VerifyStatus::disabled;
        } else if (stored && !pin && stored->kind == AccountKind::family &&
                   parse<LoginMethod>(policy.family_login) == LoginMethod::spid_cie) {
            refused = VerifyStatus::spid;
        } else if (!stored || stored->hash.empty()) {
            refused = VerifyStatus::invalid;
        } else if (stored->failures >= max_failures) {
            refused = VerifyStatus::locked;
        } else if (!pin) {
            const auto wait = password_delay(stored->failures, policy.password_slowdown_after);
            const auto last = parse_iso_time(stored->last_failure_at);
            if (wait.count() > 0 && last && now < *last + wait) {
                result.retry_after = iso_time(*last + wait);
                refused = VerifyStatus::throttled;
            }
        }
        if (!refused) {
            attempt = store::count_secret_attempt(db, stored->account_id, secret_of(purpose), now);
            counting.commit();
        }
    }
    if (refused) {
        hasher.verify_nothing(); // the same time as a real check
        result.status = *refused;
        return result;
    }
    result.must_change_password = stored->must_change_password;

    const bool valid = hasher.verify(purpose, stored->account_id, secret, stored->hash);
    store::Transaction transaction(db);
    if (!valid) {
        // Exactly one attempt reaches the limit, however many ran at once.
        if (attempt == max_failures) {
            audit::append(db, clock, operator_name, pin ? "pin locked" : "password locked", stored->user_code,
                          fmt::format("after {} consecutive failures", attempt));
        }
        transaction.commit();
        result.status = VerifyStatus::invalid;
        return result;
    }

    if (!pin && stored->must_change_password) {
        const auto set_at = parse_iso_time(stored->password_set_at);
        if (set_at && now > *set_at + std::chrono::hours(24) * policy.initial_password_days) {
            store::give_back_secret_attempt(db, stored->account_id, secret_of(purpose), stored->last_failure_at);
            transaction.commit();
            result.status = VerifyStatus::expired;
            return result;
        }
    }
    store::record_secret_success(db, stored->account_id, secret_of(purpose), now);
    if (hasher.needs_rehash(stored->hash)) {
        store::replace_secret_hash(db, stored->account_id, secret_of(purpose),
                                   hasher.hash(purpose, stored->account_id, secret));
    }
    transaction.commit();
    result.status = VerifyStatus::valid;
    return result;
}

} // namespace credenza::accounts
