#pragma once
// Password and PIN hashes: Argon2id (libsodium crypto_pwhash_str) over the
// HMAC-SHA-256 of the secret keyed with the pepper (see key_ring.hpp).

#include <credenza/credentials/key_ring.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace credenza::credentials {

struct KdfCost
{
    unsigned long long opslimit = 2;  // crypto_pwhash_OPSLIMIT_INTERACTIVE (checked in hasher.cpp)
    std::size_t memlimit = 67108864;  // crypto_pwhash_MEMLIMIT_INTERACTIVE, 64 MiB

    // From the settings [credentials] kdf_memlimit_mib and kdf_opslimit; Error(config)
    // below the OWASP floor of 19 MiB and 2 passes, or above 4096 MiB and 100 passes:
    // "[credentials] kdf_memlimit_mib must be at least 19 (found 8)".
    static KdfCost from_settings(int memlimit_mib, int opslimit);
};

class Hasher
{
public:
    Hasher(const KeyRing& keys, KdfCost cost); // keeps a reference to keys
    Hasher(KeyRing&& keys, KdfCost cost) = delete; // ... so never to a temporary

    // Stored form: "<key id>$" followed by crypto_pwhash_str (Argon2id) of the
    // 32-byte keyed value. Error(internal) when out of memory.
    std::string hash(Purpose purpose, std::int64_t account_id, std::string_view secret) const;
    // Constant-time; false for a malformed stored string or an unknown key id
    // (never throws for those; they take as long as a wrong secret).
    bool verify(Purpose purpose, std::int64_t account_id, std::string_view secret,
                std::string_view stored) const;
    // Spends the time of one verify at the current cost, for unknown accounts (no timing oracle).
    void verify_nothing() const;
    // True when the stored hash used another cost or a key that is not current, or when its
    // key id or cost cannot be read. Meant for after a successful verify: libsodium reads
    // only the parameters, so a damaged digest is not noticed here.
    bool needs_rehash(std::string_view stored) const;
    // A keyed hash (64 hex digits) of `text` under `label`, with the current pepper key: it names
    // a login name or a requester in the database without keeping what was typed.
    std::string tag(std::string_view label, std::string_view text) const;

private:
    const KeyRing& m_keys;
    KdfCost m_cost;
};

} // namespace credenza::credentials
