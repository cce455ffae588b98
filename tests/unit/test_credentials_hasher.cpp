#include <credenza/credentials/hasher.hpp>

#include <credenza/error.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>

using namespace credenza::credentials;
namespace fs = std::filesystem;

namespace {

// The OWASP floor: the cheapest cost allowed, so the tests stay fast.
constexpr KdfCost k_test_cost{2, 19 * 1024 * 1024};

using credenza::testing::TempDir;

// A key file `name` in the directory, created the first time it is asked for.
fs::path key_file(const TempDir& dir, const std::string& name)
{
    const fs::path path = dir / name;
    if (!fs::exists(path)) {
        KeyRing::create(path);
    }
    return path;
}

std::string config_error_of(int memlimit_mib, int opslimit)
{
    try {
        KdfCost::from_settings(memlimit_mib, opslimit);
    } catch (const credenza::Error& error) {
        CHECK(error.code() == credenza::ErrorCode::config);
        return error.what();
    }
    FAIL("the cost was accepted");
    return {};
}

template <typename Function>
double fastest_seconds(Function function)
{
    double best = 1e9;
    for (int i = 0; i < 3; ++i) {
        const auto start = std::chrono::steady_clock::now();
        function();
        const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - start;
        best = std::min(best, spent.count());
    }
    return best;
}

} // namespace

TEST_CASE("hasher: the default cost is libsodium's interactive Argon2id cost")
{
    CHECK(KdfCost{}.opslimit == 2);
    CHECK(KdfCost{}.memlimit == 64u * 1024 * 1024);
}

TEST_CASE("hasher: the cost from the settings is in MiB and passes")
{
    const KdfCost cost = KdfCost::from_settings(19, 2);
    CHECK(cost.memlimit == 19u * 1024 * 1024);
    CHECK(cost.opslimit == 2);
    CHECK(KdfCost::from_settings(256, 4).memlimit == 256u * 1024 * 1024);
}

TEST_CASE("hasher: a cost below the OWASP floor is rejected naming the setting")
{
    CHECK(config_error_of(8, 2) == "[credentials] kdf_memlimit_mib must be at least 19 (found 8)");
    CHECK(config_error_of(19, 1) == "[credentials] kdf_opslimit must be at least 2 (found 1)");
    CHECK(config_error_of(-1, 2) == "[credentials] kdf_memlimit_mib must be at least 19 (found -1)");
    CHECK(config_error_of(5000, 2) == "[credentials] kdf_memlimit_mib must be at most 4096 (found 5000)");
}

TEST_CASE("hasher: a hash verifies its own secret and records the current key id")
{
    TempDir dir;
    const KeyRing keys = KeyRing::load(key_file(dir, "a.key"));
    const Hasher hasher(keys, k_test_cost);
    const std::string stored = hasher.hash(Purpose::password, 42, "Tr7kPq9wXz2m");
    CHECK(stored.rfind(keys.current_id() + "$$argon2id$", 0) == 0);
    CHECK(stored.find("Tr7kPq9wXz2m") == std::string::npos);
    CHECK(hasher.verify(Purpose::password, 42, "Tr7kPq9wXz2m", stored));
    CHECK_FALSE(hasher.needs_rehash(stored));
    // Each hash has its own salt.
    CHECK(hasher.hash(Purpose::password, 42, "Tr7kPq9wXz2m") != stored);
}

TEST_CASE("hasher: verification fails for another secret, account, purpose or pepper")
{
    TempDir dir;
    const KeyRing keys = KeyRing::load(key_file(dir, "a.key"));
    const KeyRing other_keys = KeyRing::load(key_file(dir, "b.key"));
    const Hasher hasher(keys, k_test_cost);
    const Hasher other_hasher(other_keys, k_test_cost);
    const std::string stored = hasher.hash(Purpose::password, 42, "Tr7kPq9wXz2m");

    CHECK_FALSE(hasher.verify(Purpose::password, 42, "Tr7kPq9wXz2n", stored));
    CHECK_FALSE(hasher.verify(Purpose::password, 42, "", stored));
    CHECK_FALSE(hasher.verify(Purpose::password, 43, "Tr7kPq9wXz2m", stored));
    CHECK_FALSE(hasher.verify(Purpose::pin, 42, "Tr7kPq9wXz2m", stored));
    CHECK_FALSE(other_hasher.verify(Purpose::password, 42, "Tr7kPq9wXz2m", stored));

    // The same Argon2id string under another pepper: the key id matches, the key does not.
    const std::string other_stored = other_hasher.hash(Purpose::password, 42, "Tr7kPq9wXz2m");
    const std::string relabelled = keys.current_id() + other_stored.substr(other_stored.find('$'));
    CHECK_FALSE(hasher.verify(Purpose::password, 42, "Tr7kPq9wXz2m", relabelled));
}

TEST_CASE("hasher: a PIN hash verifies as a PIN only")
{
    TempDir dir;
    const KeyRing keys = KeyRing::load(key_file(dir, "a.key"));
    const Hasher hasher(keys, k_test_cost);
    const std::string stored = hasher.hash(Purpose::pin, 9, "402719");
    CHECK(hasher.verify(Purpose::pin, 9, "402719", stored));
    CHECK_FALSE(hasher.verify(Purpose::password, 9, "402719", stored));
}

TEST_CASE("hasher: a malformed stored string or an unknown key id is false, never an error")
{
    TempDir dir;
    const KeyRing keys = KeyRing::load(key_file(dir, "a.key"));
    const Hasher hasher(keys, k_test_cost);
    const std::string stored = hasher.hash(Purpose::password, 1, "secret-pass");
    const std::string pwhash = stored.substr(stored.find('$') + 1);
    const std::string unknown = keys.current_id() == "00000000" ? "00000001" : "00000000";

    for (const std::string& bad :
         {std::string(), std::string("$"), pwhash, "$" + pwhash, unknown + "$" + pwhash,
          keys.current_id() + "$", keys.current_id() + "$garbage",
          keys.current_id() + "$" + pwhash.substr(0, pwhash.size() - 5),
          keys.current_id() + "$" + std::string(300, 'a'),
          keys.current_id() + "$" + pwhash + std::string(1, '\0') + "x"}) {
        bool result = true;
        CHECK_NOTHROW(result = hasher.verify(Purpose::password, 1, "secret-pass", bad));
        CHECK_FALSE(result);
    }
}

TEST_CASE("hasher: a stored string whose key id or cost cannot be read needs a rehash")
{
    TempDir dir;
    const KeyRing keys = KeyRing::load(key_file(dir, "a.key"));
    const Hasher hasher(keys, k_test_cost);
    const std::string stored = hasher.hash(Purpose::password, 1, "secret-pass");
    const std::string pwhash = stored.substr(stored.find('$') + 1);
    // Not a truncated digest: libsodium reads only the parameters here (verify rejects that one).
    for (const std::string& bad :
         {std::string(), std::string("$"), pwhash, "$" + pwhash, keys.current_id() + "$",
          keys.current_id() + "$garbage", keys.current_id() + "$" + std::string(300, 'a'),
          keys.current_id() + "$" + pwhash + std::string(1, '\0') + "x"}) {
        CHECK(hasher.needs_rehash(bad));
    }
}

TEST_CASE("hasher: needs_rehash after a change of cost")
{
    TempDir dir;
    const KeyRing keys = KeyRing::load(key_file(dir, "a.key"));
    const std::string stored = Hasher(keys, k_test_cost).hash(Purpose::password, 5, "secret-pass");
    CHECK_FALSE(Hasher(keys, k_test_cost).needs_rehash(stored));
    CHECK(Hasher(keys, KdfCost{3, k_test_cost.memlimit}).needs_rehash(stored));
    CHECK(Hasher(keys, KdfCost{2, 20 * 1024 * 1024}).needs_rehash(stored));
    // A hash made at the old cost still verifies at the new one.
    CHECK(Hasher(keys, KdfCost{3, k_test_cost.memlimit}).verify(Purpose::password, 5, "secret-pass", stored));
}

TEST_CASE("hasher: after add_key an old hash still verifies and needs a rehash")
{
    TempDir dir;
    const fs::path path = key_file(dir, "a.key");
    const KeyRing old_keys = KeyRing::load(path);
    const std::string stored = Hasher(old_keys, k_test_cost).hash(Purpose::pin, 11, "402719");

    KeyRing::add_key(path);
    const KeyRing new_keys = KeyRing::load(path);
    const Hasher hasher(new_keys, k_test_cost);
    CHECK(hasher.verify(Purpose::pin, 11, "402719", stored));
    CHECK_FALSE(hasher.verify(Purpose::pin, 11, "402718", stored));
    CHECK(hasher.needs_rehash(stored));

    const std::string rehashed = hasher.hash(Purpose::pin, 11, "402719");
    CHECK(rehashed.rfind(new_keys.current_id() + "$", 0) == 0);
    CHECK_FALSE(hasher.needs_rehash(rehashed));
    CHECK(hasher.verify(Purpose::pin, 11, "402719", rehashed));
}

TEST_CASE("hasher: verify_nothing takes about as long as a verify")
{
    TempDir dir;
    const KeyRing keys = KeyRing::load(key_file(dir, "a.key"));
    const Hasher hasher(keys, k_test_cost);
    const std::string stored = hasher.hash(Purpose::password, 1, "secret-pass");
    const double verify = fastest_seconds([&] { CHECK(hasher.verify(Purpose::password, 1, "x", stored)
                                                      == false); });
    const double nothing = fastest_seconds([&] { hasher.verify_nothing(); });
    const double unknown_id = fastest_seconds([&] { CHECK_FALSE(hasher.verify(Purpose::password, 1, "x", "zz$x")); });
    // Loose bounds: the point is that neither is a shortcut of microseconds.
    CHECK(nothing > 0.3 * verify);
    CHECK(unknown_id > 0.3 * verify);
}
