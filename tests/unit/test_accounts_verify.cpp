#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/accounts/verify.hpp>
#include <credenza/time.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;
using namespace std::chrono_literals;

namespace {

// A school day's morning: the tests run at it, whatever the wall clock says.
const TimePoint k_morning = *parse_iso_time("2026-09-15T08:00:00Z");

void set_secrets(School& school, const Clock& clock, const std::string& user_code, const std::string& password,
                 const std::string& pin)
{
    testing::set_secrets(school, user_code, password, pin, clock.iso_now());
}

std::string first_family(School& school)
{
    return school.db->connection().get<std::string>("SELECT user_code FROM account WHERE kind = 'family' ORDER BY id LIMIT 1");
}

accounts::VerifyStatus verify(School& school, const Clock& clock, const credentials::Hasher& hasher,
                              const config::PolicySettings& policy, const std::string& account,
                              credentials::Purpose purpose, std::string_view secret)
{
    return accounts::verify_secret(*school.db, clock, hasher, policy, account, purpose, secret, "test").status;
}

constexpr auto k_pin = credentials::Purpose::pin;
constexpr auto k_password = credentials::Purpose::password;

} // namespace

TEST_CASE("verify: password delay is none up to the threshold, then 30 s doubling to one hour")
{
    CHECK(accounts::password_delay(4, 5) == 0s);
    CHECK(accounts::password_delay(5, 5) == 30s);
    CHECK(accounts::password_delay(6, 5) == 60s);
    CHECK(accounts::password_delay(12, 5) == 1h); // 30 s * 2^7 = 3840 s, capped
    CHECK(accounts::password_delay(100, 5) == 1h);
}

TEST_CASE("verify: the PIN locks after pin_max_failures wrong attempts, even for the right PIN")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = first_family(school);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    const auto hasher = school.hasher();
    auto& policy = school.settings.policy;
    policy.pin_max_failures = 3;
    for (int i = 0; i < 3; ++i) {
        CHECK(verify(school, clock, hasher, policy, code, k_pin, "111111") == accounts::VerifyStatus::invalid);
    }
    CHECK(verify(school, clock, hasher, policy, code, k_pin, "480516") == accounts::VerifyStatus::locked);
    CHECK(school.db->connection().get<int>("SELECT count(*) FROM audit WHERE action = 'pin locked' AND account = ?", code) == 1);
}

TEST_CASE("verify: the lockout is audited as the operator the caller names, at the clock's time")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = first_family(school);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    auto policy = school.settings.policy;
    policy.pin_max_failures = 1;
    accounts::verify_secret(*school.db, clock, school.hasher(), policy, code, k_pin, "111111", "portale-web");
    CHECK(school.db->connection().get<std::string>("SELECT operator FROM audit WHERE action = 'pin locked'") == "portale-web");
    CHECK(school.db->connection().get<std::string>("SELECT at FROM audit WHERE action = 'pin locked'") == "2026-09-15T08:00:00Z");
}

TEST_CASE("verify: a success resets the failure counter")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = first_family(school);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    const auto hasher = school.hasher();
    auto policy = school.settings.policy;
    policy.pin_max_failures = 3;
    for (int round = 0; round < 3; ++round) {
        verify(school, clock, hasher, policy, code, k_pin, "111111");
        verify(school, clock, hasher, policy, code, k_pin, "111111");
        CHECK(verify(school, clock, hasher, policy, code, k_pin, "480516") == accounts::VerifyStatus::valid);
    }
}

TEST_CASE("verify: after the slowdown threshold, password attempts must wait")
{
    School school;
    FixedClock clock(k_morning);
    const std::string code = first_family(school);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    const auto hasher = school.hasher();
    auto policy = school.settings.policy;
    policy.password_slowdown_after = 2;
    for (int i = 0; i < 2; ++i) {
        CHECK(verify(school, clock, hasher, policy, code, k_password, "wrong") == accounts::VerifyStatus::invalid);
    }
    const auto throttled =
        accounts::verify_secret(*school.db, clock, hasher, policy, code, k_password, "Corretta-Password-1", "test");
    CHECK(throttled.status == accounts::VerifyStatus::throttled);
    CHECK(throttled.retry_after == "2026-09-15T08:00:30Z");
    // Once the wait is over, the right password works again.
    clock.advance(31s);
    CHECK(verify(school, clock, hasher, policy, code, k_password, "Corretta-Password-1") ==
          accounts::VerifyStatus::valid);
}

TEST_CASE("verify: an initial password never changed expires after initial_password_days")
{
    School school;
    FixedClock clock(k_morning);
    const std::string code = first_family(school);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    const auto hasher = school.hasher();
    const auto& policy = school.settings.policy;
    clock.advance(std::chrono::hours(24) * policy.initial_password_days - 1s);
    CHECK(verify(school, clock, hasher, policy, code, k_password, "Corretta-Password-1") ==
          accounts::VerifyStatus::valid);
    clock.advance(2s);
    CHECK(verify(school, clock, hasher, policy, code, k_password, "Corretta-Password-1") ==
          accounts::VerifyStatus::expired);
    // A changed password does not expire.
    school.db->connection().execute("UPDATE account SET must_change_password = 0 WHERE user_code = ?", code);
    CHECK(verify(school, clock, hasher, policy, code, k_password, "Corretta-Password-1") ==
          accounts::VerifyStatus::valid);
}

TEST_CASE("verify: unknown accounts, accounts without credentials and disabled accounts never verify")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = first_family(school);
    const auto hasher = school.hasher();
    const auto& policy = school.settings.policy;
    CHECK(verify(school, clock, hasher, policy, "NOSUCHCODE", k_password, "x") == accounts::VerifyStatus::invalid);
    CHECK(verify(school, clock, hasher, policy, code, k_password, "") == accounts::VerifyStatus::invalid);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    school.db->connection().execute("UPDATE account SET status = 'disabled' WHERE user_code = ?", code);
    CHECK(verify(school, clock, hasher, policy, code, k_password, "Corretta-Password-1") ==
          accounts::VerifyStatus::disabled);
}

TEST_CASE("verify: a hash made with an old pepper key is upgraded on a successful login")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = first_family(school);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    credentials::KeyRing::add_key(school.key_path);
    const auto rotated = credentials::KeyRing::load(school.key_path);
    const credentials::Hasher hasher(rotated, credentials::KdfCost::from_settings(19, 2));
    const auto before = school.db->connection().get<std::string>("SELECT password_hash FROM account WHERE user_code = ?", code);
    CHECK(verify(school, clock, hasher, school.settings.policy, code, k_password, "Corretta-Password-1") ==
          accounts::VerifyStatus::valid);
    const auto after = school.db->connection().get<std::string>("SELECT password_hash FROM account WHERE user_code = ?", code);
    CHECK(before != after);
    CHECK(after.starts_with(rotated.current_id() + "$"));
}
