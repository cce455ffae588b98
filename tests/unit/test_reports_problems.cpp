#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <algorithm>

#include <credenza/dispatch/issue.hpp>
#include <credenza/reports/problems.hpp>

#include "support.hpp"

using namespace credenza;

namespace {

std::vector<reports::Problem> of_kind(const std::vector<reports::Problem>& all, const std::string& problem)
{
    std::vector<reports::Problem> found;
    std::copy_if(all.begin(), all.end(), std::back_inserter(found),
                 [&](const reports::Problem& p) { return p.problem == problem; });
    return found;
}

std::int64_t account_id(store::Database& db, const std::string& tax_code, const std::string& kind)
{
    return db.connection().get<std::int64_t>(
        "SELECT a.id FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = ? AND a.kind = ?", tax_code,
        kind);
}

} // namespace

TEST_CASE("reports problems: the sample enrolment has one guardian without an address and one shared address")
{
    testing::School school;
    const auto all = reports::problems(*school.db);
    const auto no_address = of_kind(all, "no_address");
    REQUIRE(no_address.size() == 1);
    CHECK(no_address[0].tax_code == "GRCRRT75T12G273S");
    CHECK(no_address[0].classes == std::vector<std::string>{"1B"});
    CHECK(no_address[0].reason.find("no e-mail address") != std::string::npos);
    const auto shared = of_kind(all, "shared_address");
    REQUIRE(shared.size() == 2);
    CHECK(shared[0].surname == "Fontana");
    CHECK(shared[1].surname == "Russo");
    CHECK(shared[0].address == "famiglia.fontana@gmail.com");
    CHECK(shared[0].reason.find("Giovanna Russo") != std::string::npos);
    CHECK(shared[1].reason.find("Paolo Fontana") != std::string::npos);
    CHECK(all.size() == 3);
}

TEST_CASE("reports problems: a letter refused with a 5xx reply is a problem until a later letter is sent")
{
    testing::School school;
    auto& db = *school.db;
    dispatch::issue_letters(db, system_clock(), {{}, std::nullopt, false, "test"});
    const auto laura = account_id(db, "BNCLRA83M59L219L", "family");
    db.connection().execute("UPDATE letter SET state = 'failed', recipient = 'laura.bianchi@example.it', last_code = 550, "
               "last_reply = '550 5.1.1 user unknown' WHERE account_id = ?",
               laura);
    auto failed = of_kind(reports::problems(db), "delivery_failed");
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].surname == "Bianchi");
    CHECK(failed[0].address == "laura.bianchi@example.it");
    CHECK(failed[0].reason.find("550 5.1.1 user unknown") != std::string::npos);
    db.connection().execute("INSERT INTO letter (account_id, purpose, state, queued_at, updated_at) "
               "VALUES (?, 'reset', 'sent', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
               laura);
    CHECK(of_kind(reports::problems(db), "delivery_failed").empty());
}

TEST_CASE("reports problems: an account is locked at the policy's PIN or password limit, not below")
{
    testing::School school;
    auto& db = *school.db;
    db.connection().execute("UPDATE account SET pin_failures = 10 WHERE id = ?", account_id(db, "CLMCHR81S43F205G", "family"));
    db.connection().execute("UPDATE account SET password_failures = 99 WHERE id = ?", account_id(db, "RNLLCU79D16L219S", "family"));
    auto locked = of_kind(reports::problems(db), "locked");
    REQUIRE(locked.size() == 1);
    CHECK(locked[0].surname == "Colombo");
    CHECK(locked[0].reason.find("PIN locked after 10 failures") != std::string::npos);
    CHECK(of_kind(reports::problems(db, {}, {11, 100}), "locked").empty());
    locked = of_kind(reports::problems(db, {}, {10, 99}), "locked");
    CHECK(locked.size() == 2);
}

TEST_CASE("reports problems: a pupil with no guardian is reported with the student's user code")
{
    testing::School school;
    auto& db = *school.db;
    db.connection().execute("DELETE FROM guardianship WHERE pupil_id = (SELECT id FROM person WHERE tax_code = 'BNCLSN11A09L219L')");
    const auto orphans = of_kind(reports::problems(db), "no_guardian");
    REQUIRE(orphans.size() == 1);
    CHECK(orphans[0].name == "Alessandro");
    CHECK(orphans[0].kind == AccountKind::student);
    CHECK(orphans[0].user_code == db.connection().get<std::string>("SELECT user_code FROM account WHERE id = ?",
                                                      account_id(db, "BNCLSN11A09L219L", "student")));
    CHECK(orphans[0].classes == std::vector<std::string>{"1A"});
}

TEST_CASE("reports problems: a class filter leaves out the problems of other classes")
{
    testing::School school;
    reports::Filter filter;
    filter.classes = {"2A"};
    CHECK(reports::problems(*school.db, filter).empty());
    filter.classes = {"1B"};
    CHECK(reports::problems(*school.db, filter).size() == 3);
}
