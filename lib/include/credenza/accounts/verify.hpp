#pragma once
// Verifying a password or a PIN, with the rules that make a 6-digit PIN safe
// (NIST SP 800-63B): PIN lockout, password throttling and lockout, expiry of an
// initial password never changed. The register's front end calls this.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <credenza/accounts/hash_turn.hpp>
#include <credenza/config/settings.hpp>
#include <credenza/credentials/hasher.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::accounts {

enum class VerifyStatus {
    valid,
    invalid,   // wrong secret, unknown account, or no credentials yet
    locked,    // too many failures: an admin reset lifts it
    throttled, // too many recent password failures: try again after `retry_after`
    disabled,  // the account is disabled (or its pupil has left)
    expired,   // an initial or reset password never changed in time
    spid,      // a family that logs in with SPID or CIE has no password ([policy] family_login)
};

struct VerifyResult
{
    VerifyStatus status = VerifyStatus::invalid;
    std::string user_code;        // when the account exists
    std::string retry_after;      // ISO time, for throttled
    bool must_change_password = false;
};

// Takes as long for an unknown account as for a known one. Counts failures;
// a success resets the counter, records the first login, and upgrades the hash
// when the KDF cost or the pepper key changed. A lockout is audited as operator_name.
VerifyResult verify_secret(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                           const config::PolicySettings& policy, std::string_view account,
                           credentials::Purpose purpose, std::string_view secret, std::string_view operator_name);

// A hashing turn (see hash_turn.hpp) for the Argon2id runs of one verification.
using TakeHashTurn = std::function<std::unique_ptr<HashTurn>()>;

// The same, holding a turn from the count of the attempt to the end of its hashes: one that
// waits in vain has counted nothing, and the next waiter hashes while this one records the outcome.
VerifyResult verify_secret(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                           const config::PolicySettings& policy, std::string_view account,
                           credentials::Purpose purpose, std::string_view secret, std::string_view operator_name,
                           const TakeHashTurn& take_turn);

// The wait before the next password attempt after `failures` consecutive failures:
// none up to `slowdown_after`, then 30 s doubling up to one hour.
std::chrono::seconds password_delay(int failures, int slowdown_after);

} // namespace credenza::accounts
