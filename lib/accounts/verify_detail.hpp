#pragma once
// Private to lib/accounts: verify_secret with what a change of secret needs to know.

#include <credenza/accounts/verify.hpp>

namespace credenza::accounts::detail {

struct Verified
{
    VerifyResult result;
    std::int64_t account_id = 0;
    std::string matched_hash; // the stored hash the secret proved right against ("" otherwise)
    bool expired_in_grace = false; // expired, but within [policy] expired_password_grace_days
};

Verified verify(store::Database& db, const Clock& clock, const credentials::Hasher& hasher,
                const config::PolicySettings& policy, std::string_view account, credentials::Purpose purpose,
                std::string_view secret, std::string_view operator_name, const TakeHashTurn& take_turn = {});

} // namespace credenza::accounts::detail
