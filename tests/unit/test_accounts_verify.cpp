#include <doctest/doctest.h>

#include <credenza/accounts/lifecycle.hpp>
#include <credenza/accounts/verify.hpp>
#include <credenza/time.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;
using namespace std::chrono_literals;

namespace {

// Gives account `user_code` a known password and PIN, as a sent letter would.
void set_secrets(School& school, const std::string& user_code, const std::string& password, const std::string& pin)
{
    const auto hasher = school.hasher();
    const auto id = school.db->get<std::int64_t>("SELECT id FROM account WHERE user_code = ?", user_code);
    school.db->execute("UPDATE account SET password_hash = ?, pin_hash = ?, password_set_at = ?, "
                       "must_change_password = 1 WHERE id = ?",
                       hasher.hash(credentials::Purpose::password, id, password),
                       hasher.hash(credentials::Purpose::pin, id, pin), iso_now(), id);
}

std::string first_family(School& school)
{
    return school.db->get<std::string>("SELECT user_code FROM account WHERE kind = 'family' ORDER BY id LIMIT 1");
}

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
    const std::string code = first_family(school);
    set_secrets(school, code, "Corretta-Password-1", "480516");
    const auto hasher = school.hasher();
    auto& policy = school.settings.policy;
    policy.pin_max_failures = 3;
    for (int i = 0; i < 3; ++i) {
        CHECK(accounts::verify_secret(*school.db, hasher, policy, code, credentials::Purpose::pin, "111111").status ==
              accounts::VerifyStatus::invalid);
    }
    CHECK(accounts::verify_secret(*school.db, hasher, policy, code, credentials::Purpose::pin, "480516").status ==
          accounts::VerifyStatus::locked);
    CHECK(school.db->get<int>("SELECT count(*) FROM audit WHERE action = 'pin locked' AND account = ?", code) == 1);
}

TEST_CASE("verify: a success resets the failure counter")
{
    School school;
    const std::string code = first_family(school);
    set_secrets(school, code, "Corretta-Password-1", "480516");
    const auto hasher = school.hasher();
    auto policy = school.settings.policy;
    policy.pin_max_failures = 3;
    for (int round = 0; round < 3; ++round) {
        accounts::verify_secret(*school.db, hasher, policy, code, credentials::Purpose::pin, "111111");
        accounts::verify_secret(*school.db, hasher, policy, code, credentials::Purpose::pin, "111111");
        CHECK(accounts::verify_secret(*school.db, hasher, policy, code, credentials::Purpose::pin, "480516").status ==
              accounts::VerifyStatus::valid);
    }
}

TEST_CASE("verify: after the slowdown threshold, password attempts must wait")
{
    School school;
    const std::string code = first_family(school);
    set_secrets(school, code, "Corretta-Password-1", "480516");
    const auto hasher = school.hasher();
    auto policy = school.settings.policy;
    policy.password_slowdown_after = 2;
    for (int i = 0; i < 2; ++i) {
        CHECK(accounts::verify_secret(*school.db, hasher, policy, code, credentials::Purpose::password, "wrong")
                  .status == accounts::VerifyStatus::invalid);
    }
    const auto throttled =
        accounts::verify_secret(*school.db, hasher, policy, code, credentials::Purpose::password, "Corretta-Password-1");
    CHECK(throttled.status == accounts::VerifyStatus::throttled);
    CHECK_FALSE(throttled.retry_after.empty());
    // Once the wait is over, the right password works again.
    school.db->execute("UPDATE account SET password_last_failure_at = '2000-01-01T00:00:00Z' WHERE user_code = ?", code);
    CHECK(accounts::verify_secret(*school.db, hasher, policy, code, credentials::Purpose::password,
                                  "Corretta-Password-1")
              .status == accounts::VerifyStatus::valid);
}

TEST_CASE("verify: an initial password never changed expires after initial_password_days")
{
    School school;
    const std::string code = first_family(school);
    set_secrets(school, code, "Corretta-Password-1", "480516");
    school.db->execute("UPDATE account SET password_set_at = '2020-01-01T00:00:00Z' WHERE user_code = ?", code);
    const auto hasher = school.hasher();
    CHECK(accounts::verify_secret(*school.db, hasher, school.settings.policy, code, credentials::Purpose::password,
                                  "Corretta-Password-1")
              .status == accounts::VerifyStatus::expired);
    // A changed password does not expire.
    school.db->execute("UPDATE account SET must_change_password = 0 WHERE user_code = ?", code);
    CHECK(accounts::verify_secret(*school.db, hasher, school.settings.policy, code, credentials::Purpose::password,
                                  "Corretta-Password-1")
              .status == accounts::VerifyStatus::valid);
}

TEST_CASE("verify: unknown accounts, accounts without credentials and disabled accounts never verify")
{
    School school;
    const std::string code = first_family(school);
    const auto hasher = school.hasher();
    const auto& policy = school.settings.policy;
    CHECK(accounts::verify_secret(*school.db, hasher, policy, "NOSUCHCODE", credentials::Purpose::password, "x")
              .status == accounts::VerifyStatus::invalid);
    CHECK(accounts::verify_secret(*school.db, hasher, policy, code, credentials::Purpose::password, "").status ==
          accounts::VerifyStatus::invalid);
    set_secrets(school, code, "Corretta-Password-1", "480516");
    school.db->execute("UPDATE account SET status = 'disabled' WHERE user_code = ?", code);
    CHECK(accounts::verify_secret(*school.db, hasher, policy, code, credentials::Purpose::password,
                                  "Corretta-Password-1")
              .status == accounts::VerifyStatus::disabled);
}

TEST_CASE("verify: a hash made with an old pepper key is upgraded on a successful login")
{
    School school;
    const std::string code = first_family(school);
    set_secrets(school, code, "Corretta-Password-1", "480516");
    credentials::KeyRing::add_key(school.key_path);
    const auto rotated = credentials::KeyRing::load(school.key_path);
    const credentials::Hasher hasher(rotated, credentials::KdfCost::from_settings(19, 2));
    const auto before = school.db->get<std::string>("SELECT password_hash FROM account WHERE user_code = ?", code);
    CHECK(accounts::verify_secret(*school.db, hasher, school.settings.policy, code, credentials::Purpose::password,
                                  "Corretta-Password-1")
              .status == accounts::VerifyStatus::valid);
    const auto after = school.db->get<std::string>("SELECT password_hash FROM account WHERE user_code = ?", code);
    CHECK(before != after);
    CHECK(after.starts_with(rotated.current_id() + "$"));
}

TEST_CASE("reset: needs a reason, stops the old password at once, and lifts the PIN lock")
{
    School school;
    const std::string code = first_family(school);
    set_secrets(school, code, "Corretta-Password-1", "480516");
    school.db->execute("UPDATE account SET pin_failures = 10 WHERE user_code = ?", code);
    CHECK_THROWS_AS(accounts::reset_credentials(*school.db, code, "  ", false, "admin"), Error);
    const auto result = accounts::reset_credentials(*school.db, code, "lost, request 123/2026", false, "admin");
    CHECK(result.letter_id > 0);
    CHECK(school.db->get<int>("SELECT password_hash IS NULL FROM account WHERE user_code = ?", code) == 1);
    CHECK(school.db->get<int>("SELECT pin_failures FROM account WHERE user_code = ?", code) == 0);
    CHECK(school.db->get<std::string>("SELECT detail FROM audit WHERE action = 'reset'") ==
          "reason=lost, request 123/2026");
}

TEST_CASE("recover: a minor gets no PIN, an adult and a family do; repeated requests are rate-limited")
{
    School school;
    const auto& policy = school.settings.policy;
    const auto minor = school.db->get<std::string>(
        "SELECT a.user_code FROM account a JOIN pupil p ON p.person_id = a.person_id WHERE a.kind = 'student' "
        "AND p.institutional_email <> '' AND p.birth_date > '2010-01-01' LIMIT 1");
    const auto adult = school.db->get<std::string>(
        "SELECT a.user_code FROM account a JOIN pupil p ON p.person_id = a.person_id WHERE a.kind = 'student' "
        "AND p.institutional_email <> '' AND p.birth_date < '2008-01-01' LIMIT 1");
    const std::string family = first_family(school);
    CHECK(accounts::recover(*school.db, policy, minor, "web") == 1);
    CHECK(accounts::recover(*school.db, policy, adult, "web") == 1);
    CHECK(accounts::recover(*school.db, policy, family, "web") == 1);
    auto new_pin = [&](const std::string& code) {
        return school.db->get<int>("SELECT l.new_pin FROM letter l JOIN account a ON a.id = l.account_id "
                                   "WHERE a.user_code = ? AND l.purpose = 'recovery'",
                                   code);
    };
    CHECK(new_pin(minor) == 0);
    CHECK(new_pin(adult) == 1);
    CHECK(new_pin(family) == 1);
    CHECK(accounts::recover(*school.db, policy, family, "web") == 0); // within the interval
    CHECK(accounts::recover(*school.db, policy, "nobody@example.it", "web") == 0);
}

TEST_CASE("recover: an address matches case-insensitively and reaches every account recorded with it")
{
    School school;
    const auto shared = school.db->get<std::string>(
        "SELECT email FROM person WHERE email <> '' GROUP BY lower(email) HAVING count(*) = 2 LIMIT 1");
    std::string upper = shared;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    CHECK(accounts::recover(*school.db, school.settings.policy, upper, "web") == 2);
}

TEST_CASE("recover: refused when the school turned self-service off")
{
    School school;
    auto policy = school.settings.policy;
    policy.self_service_recover = false;
    CHECK_THROWS_AS(accounts::recover(*school.db, policy, first_family(school), "web"), Error);
    CHECK(school.db->get<int>("SELECT count(*) FROM letter") == 0);
}
