#include <credenza/credentials/hasher.hpp>

#include <credenza/credentials/random.hpp>
#include <credenza/error.hpp>

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <optional>
#include "i18n/gettext.hpp"

namespace credenza::credentials {

static_assert(KdfCost{}.opslimit == crypto_pwhash_OPSLIMIT_INTERACTIVE);
static_assert(KdfCost{}.memlimit == crypto_pwhash_MEMLIMIT_INTERACTIVE);

namespace {

#ifdef CREDENZA_BENCH_KDF_FLOOR
// A benchmark build (CMake CREDENZA_BENCH_KDF_FLOOR): 0 MiB means libsodium's own minimum.
constexpr int k_min_memlimit_mib = 0;
constexpr int k_min_opslimit = crypto_pwhash_OPSLIMIT_MIN;
#else
constexpr int k_min_memlimit_mib = 19;
constexpr int k_min_opslimit = 2;
#endif
constexpr int k_max_memlimit_mib = 4096;
constexpr int k_max_opslimit = 100;
constexpr std::size_t k_mib = 1024 * 1024;

void check_setting(std::string_view name, int value, int low, int high)
{
    if (value < low) {
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("[credentials] {} must be at least {} (found {})"),
                                                   name, low, value));
    }
    if (value > high) {
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("[credentials] {} must be at most {} (found {})"),
                                                   name, high, value));
    }
}

struct StoredHash
{
    std::string_view key_id;
    std::string pwhash; // NUL-terminated for libsodium
};

// "<key id>$<crypto_pwhash_str>"; nullopt when it cannot be one.
std::optional<StoredHash> split_stored(std::string_view stored)
{
    const auto dollar = stored.find('$');
    if (dollar == 0 || dollar == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view pwhash = stored.substr(dollar + 1);
    if (pwhash.empty() || pwhash.size() >= crypto_pwhash_STRBYTES
        || pwhash.find('\0') != std::string_view::npos) {
        return std::nullopt;
    }
    return StoredHash{stored.substr(0, dollar), std::string(pwhash)};
}

// Holds a keyed value and wipes it on every way out.
struct Keyed
{
    std::array<unsigned char, 32> value;
    ~Keyed() { sodium_memzero(value.data(), value.size()); }
    const char* data() const { return reinterpret_cast<const char*>(value.data()); }
};

} // namespace

KdfCost KdfCost::from_settings(int memlimit_mib, int opslimit)
{
    check_setting("kdf_memlimit_mib", memlimit_mib, k_min_memlimit_mib, k_max_memlimit_mib);
    check_setting("kdf_opslimit", opslimit, k_min_opslimit, k_max_opslimit);
    return KdfCost{static_cast<unsigned long long>(opslimit),
                   memlimit_mib == 0 ? std::size_t{crypto_pwhash_MEMLIMIT_MIN}
                                     : static_cast<std::size_t>(memlimit_mib) * k_mib};
}

Hasher::Hasher(const KeyRing& keys, KdfCost cost) : m_keys(keys), m_cost(cost)
{
    ensure_sodium();
}

std::string Hasher::hash(Purpose purpose, std::int64_t account_id, std::string_view secret) const
{
    const std::string& key_id = m_keys.current_id();
    const Keyed keyed{m_keys.keyed(key_id, purpose, account_id, secret)};
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str(out.data(), keyed.data(), keyed.value.size(), m_cost.opslimit, m_cost.memlimit)
        != 0) {
        throw Error(ErrorCode::internal,
                    credenza::i18n::format(_fmt("cannot hash a secret: out of memory (kdf_memlimit_mib {})"),
                                m_cost.memlimit / k_mib));
    }
    return key_id + "$" + out.data();
}

bool Hasher::verify(Purpose purpose, std::int64_t account_id, std::string_view secret,
                    std::string_view stored) const
{
    const auto parts = split_stored(stored);
    if (!parts || !m_keys.has_key(parts->key_id)) {
        verify_nothing();
        return false;
    }
    const Keyed keyed{m_keys.keyed(parts->key_id, purpose, account_id, secret)};
    // libsodium compares the final hashes in constant time.
    return crypto_pwhash_str_verify(parts->pwhash.c_str(), keyed.data(), keyed.value.size()) == 0;
}

std::string Hasher::tag(std::string_view label, std::string_view text) const
{
    std::string input(label);
    input.push_back('\0');
    input.append(text);
    const Keyed keyed{m_keys.keyed(m_keys.current_id(), Purpose::password, -1, input)};
    sodium_memzero(input.data(), input.size());
    char hex[32 * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, keyed.value.data(), keyed.value.size());
    return hex;
}

void Hasher::verify_nothing() const
{
    // One Argon2id computation at the current cost and one HMAC, as verify() would do;
    // the result is thrown away, so a failure (out of memory) changes nothing.
    Keyed keyed{m_keys.keyed(m_keys.current_id(), Purpose::password, 0, "")};
    std::array<unsigned char, crypto_pwhash_SALTBYTES> salt{};
    std::array<unsigned char, 32> out{};
    const int ignored = crypto_pwhash(out.data(), out.size(), keyed.data(), keyed.value.size(),
                                      salt.data(), m_cost.opslimit, m_cost.memlimit,
                                      crypto_pwhash_ALG_ARGON2ID13);
    static_cast<void>(ignored);
}

bool Hasher::needs_rehash(std::string_view stored) const
{
    const auto parts = split_stored(stored);
    if (!parts || parts->key_id != m_keys.current_id()) {
        return true;
    }
    return crypto_pwhash_str_needs_rehash(parts->pwhash.c_str(), m_cost.opslimit, m_cost.memlimit) != 0;
}

} // namespace credenza::credentials
