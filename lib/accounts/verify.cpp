#include <credenza/accounts/verify.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/enrolment/codice_fiscale.hpp>
#include <credenza/util/text.hpp>
#include <credenza/time.hpp>

namespace credenza::accounts {

namespace {

struct Stored
{
    std::int64_t id = 0;
    std::string user_code;
    std::string status;
    std::string hash;          // "" when none
    int failures = 0;
    std::string last_failure;  // passwords only
    bool must_change = false;
    std::string set_at;
    std::string first_login;
    std::string kind;
};

std::optional<Stored> load(store::Database& db, std::string_view account, credentials::Purpose purpose)
{
    const bool pin = purpose == credentials::Purpose::pin;
    const std::string code = util::ascii_upper(account);
    const std::string sql =
        pin ? "SELECT a.id, a.user_code, a.status, coalesce(a.pin_hash, ''), a.pin_failures, '', "
              "a.must_change_password, coalesce(a.password_set_at, ''), coalesce(a.first_login_at, ''), a.kind "
              "FROM account a JOIN person p ON p.id = a.person_id WHERE a.user_code = ?1 OR p.tax_code = ?2"
            : "SELECT a.id, a.user_code, a.status, coalesce(a.password_hash, ''), a.password_failures, "
              "coalesce(a.password_last_failure_at, ''), a.must_change_password, coalesce(a.password_set_at, ''), "
              "coalesce(a.first_login_at, ''), a.kind "
              "FROM account a JOIN person p ON p.id = a.person_id WHERE a.user_code = ?1 OR p.tax_code = ?2";
    std::vector<Stored> found;
    db.guard("load account for verify", [&] {
        auto& query = db.statement(sql);
        query.bind(1, code);
        query.bind(2, enrolment::normalise_codice_fiscale(account));
        while (query.executeStep()) {
            found.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                             query.getColumn(2).getString(), query.getColumn(3).getString(),
                             query.getColumn(4).getInt(), query.getColumn(5).getString(),
                             query.getColumn(6).getInt() != 0, query.getColumn(7).getString(),
                             query.getColumn(8).getString(), query.getColumn(9).getString()});
        }
    });
    // A codice fiscale that names two accounts is ambiguous: only a user code logs in then.
    if (found.size() != 1) {
        return std::nullopt;
    }
    return found.front();
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

VerifyResult verify_secret(store::Database& db, const credentials::Hasher& hasher,
                           const config::PolicySettings& policy, std::string_view account,
                           credentials::Purpose purpose, std::string_view secret)
{
    const bool pin = purpose == credentials::Purpose::pin;
    const auto now = std::chrono::system_clock::now();
    VerifyResult result;
    const auto stored = load(db, account, purpose);
    if (stored && stored->status != "active") {
        hasher.verify_nothing(); // the same time as a real check
        result.user_code = stored->user_code;
        result.status = VerifyStatus::disabled;
        return result;
    }
    if (stored && !pin && stored->kind == "family" && policy.family_login == "spid_cie") {
        hasher.verify_nothing();
        result.user_code = stored->user_code;
        result.status = VerifyStatus::spid;
        return result;
    }
    if (!stored || stored->hash.empty()) {
        hasher.verify_nothing();
        if (stored) {
            result.user_code = stored->user_code;
        }
        return result;
    }
    result.user_code = stored->user_code;
    result.must_change_password = stored->must_change;

    const int max_failures = pin ? policy.pin_max_failures : policy.password_max_failures;
    auto refuse = [&](VerifyStatus status) {
        hasher.verify_nothing(); // the same time as a real check
        result.status = status;
        return result;
    };
    if (stored->failures >= max_failures) {
        return refuse(VerifyStatus::locked);
    }
    if (!pin) {
        const auto wait = password_delay(stored->failures, policy.password_slowdown_after);
        const auto last = parse_iso_time(stored->last_failure);
        if (wait.count() > 0 && last && now < *last + wait) {
            result.retry_after = iso_time(*last + wait);
            return refuse(VerifyStatus::throttled);
        }
    }

    const bool valid = hasher.verify(purpose, stored->id, secret, stored->hash);
    store::Transaction transaction(db);
    if (!valid) {
        const int failures = stored->failures + 1;
        if (pin) {
            db.execute("UPDATE account SET pin_failures = ? WHERE id = ?", failures, stored->id);
        } else {
            db.execute("UPDATE account SET password_failures = ?, password_last_failure_at = ? WHERE id = ?", failures,
                       iso_time(now), stored->id);
        }
        if (failures == max_failures) {
            audit::append(db, audit::current_operator(), pin ? "pin locked" : "password locked", stored->user_code,
                          fmt::format("after {} consecutive failures", failures));
        }
        transaction.commit();
        result.status = VerifyStatus::invalid;
        return result;
    }

    if (!pin && stored->must_change) {
        const auto set_at = parse_iso_time(stored->set_at);
        if (set_at && now > *set_at + std::chrono::hours(24) * policy.initial_password_days) {
            result.status = VerifyStatus::expired;
            return result;
        }
    }
    if (pin) {
        db.execute("UPDATE account SET pin_failures = 0 WHERE id = ?", stored->id);
    } else {
        db.execute("UPDATE account SET password_failures = 0, password_last_failure_at = NULL, "
                   "first_login_at = coalesce(first_login_at, ?) WHERE id = ?",
                   iso_time(now), stored->id);
    }
    if (hasher.needs_rehash(stored->hash)) {
        const std::string column = pin ? "pin_hash" : "password_hash";
        db.execute("UPDATE account SET " + column + " = ? WHERE id = ?", hasher.hash(purpose, stored->id, secret),
                   stored->id);
    }
    transaction.commit();
    result.status = VerifyStatus::valid;
    return result;
}

} // namespace credenza::accounts
