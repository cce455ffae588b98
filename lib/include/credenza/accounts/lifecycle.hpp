#pragma once
// The life of a credential after its first letter: the change at first access, the
// exceptional reset, the self-service "Password dimenticata?" recovery.

#include <string>
#include <string_view>

#include <credenza/accounts/verify.hpp>
#include <credenza/config/settings.hpp>
#include <credenza/credentials/hasher.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::accounts {

struct ChangeResult
{
    VerifyStatus status = VerifyStatus::invalid; // of the current secret: valid means changed
    std::string problem;                         // the new secret broke the policy (nothing changed)
    std::string user_code;
};

// Checks the current password (counting a failure as verify does; an expired initial
// password is accepted within [policy] expired_password_grace_days), the policy for the new
// one, then stores its hash and clears must_change_password — only if the password verified
// is still the stored one (a reset landing meanwhile wins). Audited as operator_name.
ChangeResult change_password(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                             const config::Settings& settings, std::string_view account, std::string_view current,
                             std::string_view replacement, std::string_view operator_name);

// The same for the PIN ([credentials] pin_length digits, no repeated digit, no straight run).
ChangeResult change_pin(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                        const config::Settings& settings, std::string_view account, std::string_view current,
                        std::string_view replacement, std::string_view operator_name);

struct ResetResult
{
    std::string user_code;
    std::string recipient;
    std::int64_t letter_id = 0;
};

// The exceptional regeneration: the current password (and PIN with new_pin) stop working
// now, locks are lifted, and a reset letter is queued — `send` makes the new secrets.
// Error(usage) without a reason; Error(bad_input) when the account has no address.
// With family_spid, a family account has no password to reset: only --pin is accepted.
ResetResult reset_credentials(store::Database& db, const Clock& clock, std::string_view account,
                              const std::string& reason, bool new_pin, std::string_view operator_name,
                              bool family_spid = false);

// "Password dimenticata?": for every active account whose user code or recorded address
// matches, queue a recovery letter to the recorded address (with a new PIN for a family
// and an adult student, never for a minor), at most one per account per recover interval.
// The letter's secrets never stop working ones: `send` keeps them beside the old ones for
// [policy] recovery_hours, and the first use of one replaces the old (verify.hpp).
// With a requester_tag (Hasher::tag of the front end's client address, say), at most
// [policy] recover_requester_per_hour requests of that requester an hour queue anything.
// Returns how many letters were queued — for the audit and tests only: a front end must
// give the same answer whatever it is. Error(permission) when the school turned it off.
int recover(store::Database& db, const Clock& clock, const config::PolicySettings& policy,
            std::string_view code_or_email, std::string_view operator_name, std::string_view requester_tag = {});

} // namespace credenza::accounts
