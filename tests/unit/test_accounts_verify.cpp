#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/accounts/verify.hpp>
#include <credenza/store/accounts.hpp>
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

TEST_CASE("verify: after pin_slowdown_after wrong PINs each further one waits, so quick guesses cannot lock it")
{
    School school;
    FixedClock clock(k_morning);
    const std::string code = first_family(school);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    const auto hasher = school.hasher();
    const auto& policy = school.settings.policy; // pin_slowdown_after 3, pin_max_failures 10
    for (int i = 0; i < 3; ++i) {
        CHECK(verify(school, clock, hasher, policy, code, k_pin, "111111") == accounts::VerifyStatus::invalid);
    }
    for (int i = 0; i < 7; ++i) {
        CHECK(verify(school, clock, hasher, policy, code, k_pin, "111111") == accounts::VerifyStatus::throttled);
    }
    CHECK(school.db->connection().get<int>("SELECT pin_failures FROM account WHERE user_code = ?", code) == 3);
    clock.advance(31s);
    CHECK(verify(school, clock, hasher, policy, code, k_pin, "480516") == accounts::VerifyStatus::valid);
}

TEST_CASE("verify: a name that is no account is throttled and locked as an account would be, by a keyed tag")
{
    School school;
    FixedClock clock(k_morning);
    const auto hasher = school.hasher();
    auto policy = school.settings.policy;
    policy.pin_max_failures = 4;
    for (int i = 0; i < 3; ++i) {
        CHECK(verify(school, clock, hasher, policy, "FZZZZZZZZ", k_pin, "111111") == accounts::VerifyStatus::invalid);
    }
    CHECK(verify(school, clock, hasher, policy, "FZZZZZZZZ", k_pin, "111111") == accounts::VerifyStatus::throttled);
    clock.advance(31s);
    CHECK(verify(school, clock, hasher, policy, "fzzzzzzzz", k_pin, "111111") == accounts::VerifyStatus::invalid);
    clock.advance(2h);
    CHECK(verify(school, clock, hasher, policy, "FZZZZZZZZ", k_pin, "111111") == accounts::VerifyStatus::locked);
    CHECK(school.db->connection().get<int>("SELECT count(*) FROM login_guess WHERE tag LIKE '%FZZ%'") == 0);
    // Not a user code at all: nothing to count.
    CHECK(verify(school, clock, hasher, policy, "DNG FNC;--", k_pin, "111111") == accounts::VerifyStatus::invalid);
    CHECK(school.db->connection().get<int>("SELECT count(*) FROM login_guess") == 1);
}

TEST_CASE("verify: a disabled account answers a wrong secret as invalid, and says disabled only to the right one")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = first_family(school);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    school.db->connection().execute("UPDATE account SET status = 'disabled' WHERE user_code = ?", code);
    const auto hasher = school.hasher();
    const auto& policy = school.settings.policy;
    CHECK(verify(school, clock, hasher, policy, code, k_pin, "111111") == accounts::VerifyStatus::invalid);
    CHECK(verify(school, clock, hasher, policy, code, k_pin, "480516") == accounts::VerifyStatus::disabled);
    CHECK(school.db->connection().get<int>("SELECT pin_failures FROM account WHERE user_code = ?", code) == 1);
}

TEST_CASE("verify: a codice fiscale is not a login name")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = first_family(school);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    const auto tax_code = school.db->connection().get<std::string>(
        "SELECT p.tax_code FROM account a JOIN person p ON p.id = a.person_id WHERE a.user_code = ?", code);
    CHECK(verify(school, clock, school.hasher(), school.settings.policy, tax_code, k_pin, "480516") ==
          accounts::VerifyStatus::invalid);
}

TEST_CASE("verify: a recovery's secret waits beside the old one, replaces it at first use, lapses unused")
{
    School school;
    FixedClock clock(k_morning);
    const std::string code = first_family(school);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    const auto hasher = school.hasher();
    auto& db = *school.db;
    const auto id = db.connection().get<std::int64_t>("SELECT id FROM account WHERE user_code = ?", code);
    const auto& policy = school.settings.policy;

    store::record_pending_secrets(db, id, hasher.hash(k_password, id, "Nuova-Password-22"),
                                  hasher.hash(k_pin, id, "274913"), clock.now() + 24h);
    CHECK(verify(school, clock, hasher, policy, code, k_pin, "480516") == accounts::VerifyStatus::valid);
    CHECK(verify(school, clock, hasher, policy, code, k_pin, "274913") == accounts::VerifyStatus::valid);
    CHECK(verify(school, clock, hasher, policy, code, k_pin, "480516") == accounts::VerifyStatus::invalid);
    CHECK(db.connection().get<int>("SELECT count(*) FROM audit WHERE action = 'recovery used'") == 1);

    // The password's own lapses unused: the old one keeps working.
    clock.advance(24h + 1s);
    CHECK(verify(school, clock, hasher, policy, code, k_password, "Nuova-Password-22") == accounts::VerifyStatus::invalid);
}

TEST_CASE("verify: a recovery's PIN is accepted while the old PIN is locked, with guesses counted apart")
{
    School school;
    FixedClock clock(k_morning);
    const std::string code = first_family(school);
    set_secrets(school, clock, code, "Corretta-Password-1", "480516");
    const auto hasher = school.hasher();
    auto& db = *school.db;
    const auto id = db.connection().get<std::int64_t>("SELECT id FROM account WHERE user_code = ?", code);
    auto policy = school.settings.policy;
    policy.pin_max_failures = 3;
    db.connection().execute("UPDATE account SET pin_failures = 3 WHERE id = ?", id);
    store::record_pending_secrets(db, id, "", hasher.hash(k_pin, id, "274913"), clock.now() + 24h);
    CHECK(verify(school, clock, hasher, policy, code, k_pin, "480516") == accounts::VerifyStatus::invalid);
    CHECK(verify(school, clock, hasher, policy, code, k_pin, "111111") == accounts::VerifyStatus::invalid);
    CHECK(verify(school, clock, hasher, policy, code, k_pin, "274913") == accounts::VerifyStatus::valid);
    CHECK(db.connection().get<int>("SELECT pin_failures + pending_pin_failures FROM account WHERE id = ?", id) == 0);
    // With its own guesses used up, the pending one locks too.
    store::record_pending_secrets(db, id, "", hasher.hash(k_pin, id, "582047"), clock.now() + 24h);
    db.connection().execute("UPDATE account SET pin_failures = 3 WHERE id = ?", id);
    for (int i = 0; i < 3; ++i) {
        verify(school, clock, hasher, policy, code, k_pin, "111111");
    }
    CHECK(verify(school, clock, hasher, policy, code, k_pin, "582047") == accounts::VerifyStatus::locked);
}
