#include <credenza/accounts/verify.hpp>
#include "verify_detail.hpp"

#include <algorithm>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/store/accounts.hpp>
#include <credenza/util/text.hpp>

namespace credenza::accounts {

namespace {

store::Secret secret_of(credentials::Purpose purpose)
{
    return purpose == credentials::Purpose::pin ? store::Secret::pin : store::Secret::password;
}

// A login name is a user code: letters and digits, at most 32 ([credentials] user_code_format).
// Anything else names no account, whatever the database holds.
bool looks_like_user_code(std::string_view name)
{
    return !name.empty() && name.size() <= 32 &&
           std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

// How an attempt is checked once counted.
enum class Path {
    refused,  // locked or throttled: nothing checked, nothing counted
    nobody,   // a name that is no account, or an account without this secret: counted as a guess
    current,  // the stored secret, and a waiting recovery secret when it is wrong
    pending,  // only the waiting recovery secret (the old one is locked, throttled or missing)
};

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

detail::Verified detail::verify(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                                const config::PolicySettings& policy, std::string_view account,
                                credentials::Purpose purpose, std::string_view secret, std::string_view operator_name,
                                const TakeHashTurn& take_turn)
{
    const bool pin = purpose == credentials::Purpose::pin;
    const auto kind = secret_of(purpose);
    const auto now = clock.now();
    const int max_failures = pin ? policy.pin_max_failures : policy.password_max_failures;
    const int slowdown_after = pin ? policy.pin_slowdown_after : policy.password_slowdown_after;
    const std::string name = util::ascii_upper(account);
    Verified out;
    VerifyResult& result = out.result;
    const auto hashing_turn = [&] { return take_turn ? take_turn() : std::unique_ptr<HashTurn>(); };

    if (!looks_like_user_code(name)) {
        const auto turn = hashing_turn();
        hasher.verify_nothing(); // the same time as a real check
        return out;
    }

    // Taken before the attempt is counted, so that one that waits in vain (Error temporary) has
    // counted nothing; given back once the hashes are done, before the outcome is written.
    auto turn = hashing_turn();

    // Whether an attempt may run and counting it are one step under the write lock: parallel
    // attempts each take a count of their own, in turn, so none can run past the lock. The count
    // is given back when the secret proves right. A name that is no account is counted the same
    // way, so that locking and throttling say nothing about which names exist.
    std::optional<store::SecretRow> stored;
    Path path = Path::refused;
    VerifyStatus refusal = VerifyStatus::locked;
    bool pending = false;
    int attempt = 0;
    {
        store::Transaction counting(db);
        stored = store::find_secret_row(db, name, kind);
        if (stored) {
            const auto expires = parse_iso_time(stored->pending_expires_at);
            pending = !stored->pending_hash.empty() && expires && now < *expires;
        }
        const bool current = stored && !stored->hash.empty();
        std::string tag;
        int failures = 0;
        std::string last_failure_at;
        if (current) {
            failures = stored->failures;
            last_failure_at = stored->last_failure_at;
        } else {
            tag = hasher.tag("login name", name);
            const auto guesses = store::name_guesses(db, tag, kind);
            failures = guesses.failures;
            last_failure_at = guesses.last_failure_at;
        }
        const bool locked = failures >= max_failures;
        const auto wait = password_delay(failures, slowdown_after);
        const auto last = parse_iso_time(last_failure_at);
        const bool throttled = !locked && wait.count() > 0 && last && now < *last + wait;

        if (pending && (locked || throttled || !current)) {
            if (stored->pending_failures < max_failures) {
                path = Path::pending;
                attempt = store::count_pending_attempt(db, stored->account_id, kind);
            }
        } else if (throttled) {
            refusal = VerifyStatus::throttled;
            result.retry_after = iso_time(*last + wait);
        } else if (!locked) {
            path = current ? Path::current : Path::nobody;
            attempt = current ? store::count_secret_attempt(db, stored->account_id, kind, now)
                              : store::count_name_attempt(db, tag, kind, now);
        }
        if (path != Path::refused) {
            counting.commit();
        }
    }
    if (path == Path::refused || path == Path::nobody) {
        hasher.verify_nothing(); // the same time as a real check
        result.status = path == Path::refused ? refusal : VerifyStatus::invalid;
        return out;
    }

    // A waiting recovery secret costs a second check when the old one is wrong: that tells only
    // that a recovery was asked for, which whoever asked for it knows.
    const bool valid_current = path == Path::current && hasher.verify(purpose, stored->account_id, secret, stored->hash);
    const bool valid_pending =
        !valid_current && pending && hasher.verify(purpose, stored->account_id, secret, stored->pending_hash);
    // A hash at an old cost or pepper key is redone here, before the write lock is taken: an
    // Argon2id run inside the transaction would hold every other writer up for its length.
    const std::string rehashed = valid_current && hasher.needs_rehash(stored->hash)
                                     ? hasher.hash(purpose, stored->account_id, secret)
                                     : std::string();
    turn.reset(); // the next waiter hashes while this one commits
    store::Transaction transaction(db);
    // A reset or a recovery that landed while the secret was being checked wins over it.
    const auto again = store::find_secret_row(db, name, kind);
    const bool still = again && (valid_current ? again->hash == stored->hash : again->pending_hash == stored->pending_hash);
    if (!(valid_current || valid_pending) || !still) {
        // Exactly one attempt reaches the limit, however many ran at once.
        if (attempt == max_failures) {
            const char* what = path == Path::pending ? (pin ? "recovery pin locked" : "recovery password locked")
                                                     : (pin ? "pin locked" : "password locked");
            audit::append(db, clock, operator_name, what, stored->user_code,
                          fmt::format("after {} consecutive failures", attempt));
        }
        transaction.commit();
        result.status = VerifyStatus::invalid;
        return out;
    }

    // The secret is right: only now may the answer say more about the account.
    result.user_code = stored->user_code;
    out.account_id = stored->account_id;
    if (stored->status != AccountStatus::active) {
        if (path == Path::current) {
            store::give_back_secret_attempt(db, stored->account_id, kind, stored->last_failure_at);
        }
        transaction.commit();
        result.status = VerifyStatus::disabled;
        return out;
    }
    if (valid_pending) {
        // The holder used the recovery letter: its secret replaces the old one, which stops now.
        store::promote_pending_secret(db, stored->account_id, kind, now);
        store::record_secret_success(db, stored->account_id, kind, now);
        audit::append(db, clock, operator_name, "recovery used", stored->user_code, pin ? "pin" : "password");
        transaction.commit();
        out.matched_hash = stored->pending_hash;
        result.must_change_password = !pin || stored->must_change_password;
        result.status = VerifyStatus::valid;
        return out;
    }

    result.must_change_password = stored->must_change_password;
    out.matched_hash = stored->hash;
    if (!pin && stored->must_change_password) {
        const auto set_at = parse_iso_time(stored->password_set_at);
        const auto expires = set_at ? *set_at + std::chrono::hours(24) * policy.initial_password_days : now;
        if (set_at && now > expires) {
            store::give_back_secret_attempt(db, stored->account_id, kind, stored->last_failure_at);
            transaction.commit();
            out.expired_in_grace = now <= expires + std::chrono::hours(24) * policy.expired_password_grace_days;
            result.status = VerifyStatus::expired;
            return out;
        }
    }
    store::record_secret_success(db, stored->account_id, kind, now);
    if (!rehashed.empty()) {
        out.matched_hash = rehashed;
        store::replace_secret_hash(db, stored->account_id, kind, rehashed);
    }
    transaction.commit();
    result.status = VerifyStatus::valid;
    return out;
}

VerifyResult verify_secret(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                           const config::PolicySettings& policy, std::string_view account,
                           credentials::Purpose purpose, std::string_view secret, std::string_view operator_name)
{
    return detail::verify(db, clock, hasher, policy, account, purpose, secret, operator_name).result;
}

VerifyResult verify_secret(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                           const config::PolicySettings& policy, std::string_view account,
                           credentials::Purpose purpose, std::string_view secret, std::string_view operator_name,
                           const TakeHashTurn& take_turn)
{
    return detail::verify(db, clock, hasher, policy, account, purpose, secret, operator_name, take_turn).result;
}

} // namespace credenza::accounts
