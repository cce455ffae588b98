#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <algorithm>
#include <functional>

#include <credenza/accounts/lifecycle.hpp>
#include <credenza/time.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;
using namespace std::chrono_literals;

namespace {

const TimePoint k_morning = *parse_iso_time("2026-09-15T08:00:00Z");
constexpr const char* k_initial_password = "Corretta-Password-1";
constexpr const char* k_new_password = "Tramonto-sul-Lago-93";

std::string first_family(School& school)
{
    return school.db->connection().get<std::string>("SELECT user_code FROM account WHERE kind = 'family' ORDER BY id LIMIT 1");
}

std::string student_of(School& school, const std::string& tax_code)
{
    return school.db->connection().get<std::string>("SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id "
                                       "WHERE a.kind = 'student' AND p.tax_code = ?",
                                       tax_code);
}

// A family account with a password to change and a PIN, as its first letter left it.
std::string family_with_secrets(School& school, const Clock& clock)
{
    const std::string code = first_family(school);
    testing::set_secrets(school, code, k_initial_password, "480516", clock.iso_now());
    return code;
}

int count(School& school, const std::string& sql, const std::string& code)
{
    return school.db->connection().get<int>(sql, code);
}

Error error_of(const std::function<void()>& call)
{
    try {
        call();
    } catch (const Error& e) {
        return e;
    }
    FAIL("no error");
    return Error(ErrorCode::internal, "unreachable");
}

} // namespace

TEST_CASE("passwd: the wrong current password changes nothing and counts a failure")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = family_with_secrets(school, clock);
    const auto before = school.db->connection().get<std::string>("SELECT password_hash FROM account WHERE user_code = ?", code);
    const auto result = accounts::change_password(*school.db, clock, school.hasher(), school.settings, code,
                                                  "Sbagliata-Password-9", k_new_password, "test");
    CHECK(result.status == accounts::VerifyStatus::invalid);
    CHECK(result.problem.empty());
    CHECK(school.db->connection().get<std::string>("SELECT password_hash FROM account WHERE user_code = ?", code) == before);
    CHECK(count(school, "SELECT must_change_password FROM account WHERE user_code = ?", code) == 1);
    CHECK(count(school, "SELECT password_failures FROM account WHERE user_code = ?", code) == 1);
    CHECK(count(school, "SELECT count(*) FROM audit WHERE action = 'password changed' AND account = ?", code) == 0);
}

TEST_CASE("passwd: the right current password stores the new one, clears must-change and records the first login")
{
    School school;
    FixedClock clock(k_morning);
    const std::string code = family_with_secrets(school, clock);
    clock.advance(1h);
    const auto hasher = school.hasher();
    const auto result = accounts::change_password(*school.db, clock, hasher, school.settings, code,
                                                  k_initial_password, k_new_password, "portale-web");
    CHECK(result.status == accounts::VerifyStatus::valid);
    CHECK(result.user_code == code);
    CHECK(count(school, "SELECT must_change_password FROM account WHERE user_code = ?", code) == 0);
    CHECK(school.db->connection().get<std::string>("SELECT password_set_at FROM account WHERE user_code = ?", code) ==
          "2026-09-15T09:00:00Z");
    CHECK(school.db->connection().get<std::string>("SELECT first_login_at FROM account WHERE user_code = ?", code) ==
          "2026-09-15T09:00:00Z");
    CHECK(school.db->connection().get<std::string>("SELECT operator FROM audit WHERE action = 'password changed'") ==
          "portale-web");
    const auto verify = [&](const char* password) {
        return accounts::verify_secret(*school.db, clock, hasher, school.settings.policy, code,
                                       credentials::Purpose::password, password, "test")
            .status;
    };
    CHECK(verify(k_new_password) == accounts::VerifyStatus::valid);
    CHECK(verify(k_initial_password) == accounts::VerifyStatus::invalid);
}

TEST_CASE("passwd: a new password that breaks the policy, or repeats the old one, changes nothing")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = family_with_secrets(school, clock);
    const auto before = school.db->connection().get<std::string>("SELECT password_hash FROM account WHERE user_code = ?", code);
    for (const char* replacement : {"corto", k_initial_password}) {
        CAPTURE(replacement);
        const auto result = accounts::change_password(*school.db, clock, school.hasher(), school.settings, code,
                                                      k_initial_password, replacement, "test");
        CHECK(result.status == accounts::VerifyStatus::invalid);
        CHECK_FALSE(result.problem.empty());
    }
    CHECK(school.db->connection().get<std::string>("SELECT password_hash FROM account WHERE user_code = ?", code) == before);
    CHECK(count(school, "SELECT must_change_password FROM account WHERE user_code = ?", code) == 1);
}

TEST_CASE("passwd: an expired initial password may still be replaced by its holder within the grace period only")
{
    School school;
    FixedClock clock(k_morning);
    const std::string code = family_with_secrets(school, clock);
    school.settings.policy.expired_password_grace_days = 3;
    // Two days past the expiry: still within the grace period.
    clock.advance(std::chrono::hours(24) * (school.settings.policy.initial_password_days + 2));
    auto result = accounts::change_password(*school.db, clock, school.hasher(), school.settings, code,
                                            k_initial_password, k_new_password, "test");
    CHECK(result.status == accounts::VerifyStatus::valid);

    School late;
    FixedClock later(k_morning);
    const std::string late_code = family_with_secrets(late, later);
    late.settings.policy.expired_password_grace_days = 3;
    later.advance(std::chrono::hours(24) * (late.settings.policy.initial_password_days + 3) + 1s);
    result = accounts::change_password(*late.db, later, late.hasher(), late.settings, late_code, k_initial_password,
                                       k_new_password, "test");
    CHECK(result.status == accounts::VerifyStatus::expired);
    CHECK(count(late, "SELECT must_change_password FROM account WHERE user_code = ?", late_code) == 1);
}

TEST_CASE("passwd: a chosen password shorter than [policy] password_min_length (15 by default) is refused")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = family_with_secrets(school, clock);
    CHECK(school.settings.policy.password_min_length == 15);
    const auto result = accounts::change_password(*school.db, clock, school.hasher(), school.settings, code,
                                                  k_initial_password, "Velletri 2027!", "test");
    CHECK(result.problem == "must be at least 15 characters");
}

TEST_CASE("pin: a family changes its PIN, a weak one is refused")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = family_with_secrets(school, clock);
    const auto hasher = school.hasher();
    const auto weak =
        accounts::change_pin(*school.db, clock, hasher, school.settings, code, "480516", "111111", "test");
    CHECK(weak.status == accounts::VerifyStatus::invalid);
    CHECK_FALSE(weak.problem.empty());
    const auto changed =
        accounts::change_pin(*school.db, clock, hasher, school.settings, code, "480516", "739204", "test");
    CHECK(changed.status == accounts::VerifyStatus::valid);
    CHECK(accounts::verify_secret(*school.db, clock, hasher, school.settings.policy, code, credentials::Purpose::pin,
                                  "739204", "test")
              .status == accounts::VerifyStatus::valid);
    CHECK(count(school, "SELECT count(*) FROM audit WHERE action = 'pin changed' AND account = ?", code) == 1);
}

TEST_CASE("reset: needs a reason, stops the old password at once, and lifts the PIN lock")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = family_with_secrets(school, clock);
    school.db->connection().execute("UPDATE account SET pin_failures = 10 WHERE user_code = ?", code);
    CHECK_THROWS_AS(accounts::reset_credentials(*school.db, clock, code, "  ", false, "admin"), Error);
    const auto result = accounts::reset_credentials(*school.db, clock, code, "lost, request 123/2026", false, "admin");
    CHECK(result.letter_id > 0);
    CHECK(school.db->connection().get<int>("SELECT password_hash IS NULL FROM account WHERE user_code = ?", code) == 1);
    CHECK(school.db->connection().get<int>("SELECT pin_failures FROM account WHERE user_code = ?", code) == 0);
    CHECK(school.db->connection().get<std::string>("SELECT detail FROM audit WHERE action = 'reset'") ==
          "reason=lost, request 123/2026");
}

TEST_CASE("reset: sets must-change and queues a reset letter to the recorded address")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string code = family_with_secrets(school, clock);
    school.db->connection().execute("UPDATE account SET must_change_password = 0 WHERE user_code = ?", code);
    const auto result = accounts::reset_credentials(*school.db, clock, code, "smarrita", true, "segreteria");
    CHECK(result.user_code == code);
    CHECK_FALSE(result.recipient.empty());
    CHECK(count(school, "SELECT must_change_password FROM account WHERE user_code = ?", code) == 1);
    CHECK(count(school, "SELECT pin_hash IS NULL FROM account WHERE user_code = ?", code) == 1);
    CHECK(school.db->connection().get<std::string>("SELECT updated_at FROM account WHERE user_code = ?", code) ==
          "2026-09-15T08:00:00Z");
    CHECK(school.db->connection().get<std::string>("SELECT purpose || ' ' || state || ' ' || new_pin FROM letter WHERE id = ?",
                                      result.letter_id) == "reset queued 1");
    CHECK(school.db->connection().get<std::string>("SELECT operator FROM audit WHERE action = 'reset'") == "segreteria");
}

TEST_CASE("reset: refused for a disabled account, one without an address, a minor's PIN, a SPID family's password")
{
    School school;
    const FixedClock clock(k_morning);
    auto& db = *school.db;
    const std::string family = first_family(school);
    const std::string minor = student_of(school, "DNGNCL11C14H501W");
    const std::string no_address = db.connection().get<std::string>(
        "SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'GRCRRT75T12G273S'");
    const auto reset = [&](const std::string& code, bool pin, bool family_spid) {
        return error_of([&] { accounts::reset_credentials(db, clock, code, "why", pin, "test", family_spid); });
    };
    CHECK(reset(minor, true, false).code() == ErrorCode::usage);
    CHECK(reset(no_address, false, false).code() == ErrorCode::bad_input);
    CHECK(reset(family, false, true).code() == ErrorCode::usage);
    db.connection().execute("UPDATE account SET status = 'disabled', disabled_by = 'admin' WHERE user_code = ?", family);
    CHECK(reset(family, true, false).code() == ErrorCode::locked);
    CHECK(db.connection().get<int>("SELECT count(*) FROM letter") == 0);
}

TEST_CASE("recover: a minor gets no PIN, an adult and a family do, repeated requests are rate-limited")
{
    School school;
    const FixedClock clock(k_morning);
    const auto& policy = school.settings.policy;
    const auto minor = school.db->connection().get<std::string>(
        "SELECT a.user_code FROM account a JOIN pupil p ON p.person_id = a.person_id WHERE a.kind = 'student' "
        "AND p.institutional_email <> '' AND p.birth_date > '2010-01-01' LIMIT 1");
    const auto adult = school.db->connection().get<std::string>(
        "SELECT a.user_code FROM account a JOIN pupil p ON p.person_id = a.person_id WHERE a.kind = 'student' "
        "AND p.institutional_email <> '' AND p.birth_date < '2008-01-01' LIMIT 1");
    const std::string family = first_family(school);
    CHECK(accounts::recover(*school.db, clock, policy, minor, "web") == 1);
    CHECK(accounts::recover(*school.db, clock, policy, adult, "web") == 1);
    CHECK(accounts::recover(*school.db, clock, policy, family, "web") == 1);
    auto new_pin = [&](const std::string& code) {
        return school.db->connection().get<int>("SELECT l.new_pin FROM letter l JOIN account a ON a.id = l.account_id "
                                   "WHERE a.user_code = ? AND l.purpose = 'recovery'",
                                   code);
    };
    CHECK(new_pin(minor) == 0);
    CHECK(new_pin(adult) == 1);
    CHECK(new_pin(family) == 1);
    CHECK(accounts::recover(*school.db, clock, policy, family, "web") == 0); // within the interval
    CHECK(accounts::recover(*school.db, clock, policy, "nobody@example.it", "web") == 0);
}

TEST_CASE("recover: one letter per account per interval, measured on the caller's clock")
{
    School school;
    // dispatch::queue_letter still dates the letter by the wall clock: start there.
    FixedClock clock(std::chrono::system_clock::now());
    const auto& policy = school.settings.policy;
    const std::string family = first_family(school);
    CHECK(accounts::recover(*school.db, clock, policy, family, "web") == 1);
    clock.advance(std::chrono::minutes(policy.recover_interval_minutes) - 1min);
    CHECK(accounts::recover(*school.db, clock, policy, family, "web") == 0);
    clock.advance(2min);
    CHECK(accounts::recover(*school.db, clock, policy, family, "web") == 1);
    CHECK(school.db->connection().get<std::string>(
              "SELECT group_concat(detail, ' ') FROM audit WHERE action = 'recover requested'") ==
          "letters=1 letters=0 letters=1");
}

TEST_CASE("recover: a disabled account gets no letter, and the answer does not say so")
{
    School school;
    const FixedClock clock(k_morning);
    const std::string family = first_family(school);
    school.db->connection().execute("UPDATE account SET status = 'disabled', disabled_by = 'admin' WHERE user_code = ?", family);
    CHECK(accounts::recover(*school.db, clock, school.settings.policy, family, "web") == 0);
    CHECK(school.db->connection().get<int>("SELECT count(*) FROM letter") == 0);
    CHECK(school.db->connection().get<int>("SELECT count(*) FROM audit WHERE action = 'recover requested'") == 1);
}

TEST_CASE("recover: an address matches case-insensitively and reaches every account recorded with it")
{
    School school;
    const FixedClock clock(k_morning);
    const auto shared = school.db->connection().get<std::string>(
        "SELECT email FROM person WHERE email <> '' GROUP BY lower(email) HAVING count(*) = 2 LIMIT 1");
    std::string upper = shared;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    CHECK(accounts::recover(*school.db, clock, school.settings.policy, upper, "web") == 2);
}

TEST_CASE("recover: refused when the school turned self-service off")
{
    School school;
    const FixedClock clock(k_morning);
    auto policy = school.settings.policy;
    policy.self_service_recover = false;
    CHECK_THROWS_AS(accounts::recover(*school.db, clock, policy, first_family(school), "web"), Error);
    CHECK(school.db->connection().get<int>("SELECT count(*) FROM letter") == 0);
}
