#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <algorithm>

#include <credenza/accounts/identity.hpp>
#include <credenza/store/logins.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;

namespace {

const TimePoint k_morning = *parse_iso_time("2026-09-15T08:00:00Z");
const TimePoint k_evening = *parse_iso_time("2026-09-15T20:00:00Z");

// Francesco D'Angelo, guardian of Nicolò (1A), Giulia (2A) and Tommaso (5A).
constexpr const char* k_guardian = "DNGFNC76P05H501R";

std::string family_code(School& school, const std::string& tax_code)
{
    return school.db->connection().get<std::string>(
        "SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id "
        "WHERE p.tax_code = ? AND a.kind = 'family'",
        tax_code);
}

accounts::Identity look_up(School& school, const Clock& clock, const std::string& number,
                           std::optional<LoginKind> record = std::nullopt, const std::string& account = "")
{
    return accounts::identify(*school.db, clock, {number, record, account}, "front end");
}

} // namespace

TEST_CASE("identity: the gateway's fiscalNumber is read with or without TINIT-, in any case, with spaces")
{
    CHECK(accounts::normalise_fiscal_number("TINIT-RSSMRA80A01H501U") == "RSSMRA80A01H501U");
    CHECK(accounts::normalise_fiscal_number(" tinit-rssmra80a01h501u\n") == "RSSMRA80A01H501U");
    CHECK(accounts::normalise_fiscal_number("RSS MRA 80A01 H501U") == "RSSMRA80A01H501U");
    CHECK(accounts::normalise_fiscal_number("TINDE-123456") == "TINDE-123456");
    CHECK(accounts::normalise_fiscal_number("") == "");
}

TEST_CASE("identity: a guardian's one account is found with every pupil and a family's capabilities")
{
    School school;
    const FixedClock clock(k_morning);
    const auto identity = look_up(school, clock, std::string("TINIT-") + k_guardian);
    REQUIRE(identity.status == accounts::IdentityStatus::found);
    REQUIRE(identity.accounts.size() == 1);
    const auto& account = identity.accounts.front();
    CHECK(account.user_code == family_code(school, k_guardian));
    CHECK(account.kind == AccountKind::family);
    CHECK(account.pupils.size() == 3);
    CHECK(std::find(account.capabilities.begin(), account.capabilities.end(), "justify_absences") !=
          account.capabilities.end());
    CHECK(identity.recorded.empty());
}

TEST_CASE("identity: unknown and malformed numbers are both 'none' with nothing else said")
{
    School school;
    const FixedClock clock(k_morning);
    for (const char* number : {"TINIT-RSSMRA80A01H501U", "TINIT-DNGFNC76P05H501X", "TINDE-123", "", "TINIT-"}) {
        const auto identity = look_up(school, clock, number);
        CHECK(identity.status == accounts::IdentityStatus::none);
        CHECK(identity.accounts.empty());
    }
}

TEST_CASE("identity: a recorded login keeps the first method and time and moves the last, audited")
{
    School school;
    const std::string code = family_code(school, k_guardian);
    const auto id = school.db->connection().get<std::int64_t>("SELECT id FROM account WHERE user_code = ?", code);
    const auto first = look_up(school, FixedClock(k_morning), k_guardian, LoginKind::spid);
    CHECK(first.recorded == std::vector<std::string>{code});
    look_up(school, FixedClock(k_evening), k_guardian, LoginKind::cie, code);
    const auto record = store::login_record(*school.db, id);
    CHECK(record.first_login_at == iso_time(k_morning));
    CHECK(record.first_method == LoginKind::spid);
    CHECK(record.last_login_at == iso_time(k_evening));
    CHECK(record.last_method == LoginKind::cie);
    CHECK(school.db->connection().get<int>("SELECT count(*) FROM audit WHERE action = 'login recorded'") == 2);
}

TEST_CASE("identity: another person's user code records nothing and is answered as nobody")
{
    School school;
    const FixedClock clock(k_morning);
    const auto identity = look_up(school, clock, k_guardian, LoginKind::spid, family_code(school, "PTILNE79B67F839R"));
    CHECK(identity.status == accounts::IdentityStatus::none);
    CHECK(identity.accounts.empty());
    CHECK(school.db->connection().get<int>("SELECT count(*) FROM account WHERE last_login_at IS NOT NULL") == 0);
}

TEST_CASE("identity: a person whose accounts are all disabled is 'disabled', with no account")
{
    School school;
    const FixedClock clock(k_morning);
    school.db->connection().execute("UPDATE account SET status = 'disabled', disabled_by = 'admin' WHERE user_code = ?",
                                    family_code(school, k_guardian));
    const auto identity = look_up(school, clock, k_guardian, LoginKind::spid);
    CHECK(identity.status == accounts::IdentityStatus::disabled);
    CHECK(identity.accounts.empty());
    CHECK(identity.recorded.empty());
}
