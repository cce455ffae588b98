#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <algorithm>

#include <credenza/dispatch/issue.hpp>
#include <credenza/reports/problems.hpp>
#include <credenza/time.hpp>

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

TEST_CASE("reports problems: once letters are queued, the sample has three accounts without an address and one shared address")
{
    testing::School school;
    dispatch::issue_letters(*school.db, system_clock(), {{}, std::nullopt, false, "test"});
    const auto all = reports::problems(*school.db);
    const auto no_address = of_kind(all, "no_address");
    REQUIRE(no_address.size() == 3);
    // By class, surname and name: Niccolò Fontana and Martina Greco (students), Roberto Greco (guardian).
    CHECK(no_address[0].tax_code == "FNTNCL11R02A944N");
    CHECK(no_address[1].tax_code == "GRCMTN11E70D205L");
    CHECK(no_address[2].tax_code == "GRCRRT75T12G273S");
    CHECK(no_address[2].classes == std::vector<std::string>{"1B"});
    CHECK(no_address[2].reason.find("no e-mail address") != std::string::npos);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(no_address[i].kind == AccountKind::student);
        CHECK(no_address[i].reason.find("no institutional address") != std::string::npos);
    }
    const auto shared = of_kind(all, "shared_address");
    REQUIRE(shared.size() == 2);
    CHECK(shared[0].surname == "Fontana");
    CHECK(shared[1].surname == "Russo");
    CHECK(shared[0].address == "famiglia.fontana@gmail.com");
    CHECK(shared[0].reason.find("Giovanna Russo") != std::string::npos);
    CHECK(shared[1].reason.find("Paolo Fontana") != std::string::npos);
    CHECK(all.size() == 5);
}

TEST_CASE("reports problems: an account with an address and no letter is never_sent until a letter is queued")
{
    testing::School school;
    auto& db = *school.db;
    // Before any `issue`, every account with an address.
    const auto before = of_kind(reports::problems(db), "never_sent");
    CHECK(before.size() == 19 + 10);
    dispatch::issue_letters(db, system_clock(), {{}, std::nullopt, false, "test"});
    CHECK(of_kind(reports::problems(db), "never_sent").empty());
    // Roberto Greco's address arrives with a later import: nobody has written to him yet.
    db.connection().execute("UPDATE person SET email = 'roberto.greco@example.it' WHERE tax_code = 'GRCRRT75T12G273S'");
    const auto later = of_kind(reports::problems(db), "never_sent");
    REQUIRE(later.size() == 1);
    CHECK(later[0].tax_code == "GRCRRT75T12G273S");
    CHECK(later[0].address == "roberto.greco@example.it");
    CHECK(later[0].reason.find("credenza issue") != std::string::npos);
    // A cancelled letter is no letter.
    db.connection().execute("UPDATE letter SET state = 'cancelled' WHERE account_id = ?",
                            account_id(db, "BNCLRA83M59L219L", "family"));
    CHECK(of_kind(reports::problems(db), "never_sent").size() == 2);
}

TEST_CASE("reports problems: a letter never tried a day after it was queued is pending, a fresh one is not")
{
    testing::School school;
    auto& db = *school.db;
    const FixedClock clock(*parse_iso_time("2026-09-10T08:00:00Z"));
    dispatch::issue_letters(db, clock, {{}, std::nullopt, false, "test"});
    reports::ProblemRules rules;
    rules.now = *parse_iso_time("2026-09-10T20:00:00Z");
    CHECK(of_kind(reports::problems(db, {}, rules), "pending").empty());
    rules.now = *parse_iso_time("2026-09-11T09:00:00Z");
    const auto pending = of_kind(reports::problems(db, {}, rules), "pending");
    CHECK(pending.size() == 19 + 10);
    CHECK(pending[0].reason.find("credenza send") != std::string::npos);
    CHECK(!pending[0].address.empty());
}

TEST_CASE("reports problems: a first-access password unchanged after initial_password_days is password_expired")
{
    testing::School school;
    auto& db = *school.db;
    const auto laura = account_id(db, "BNCLRA83M59L219L", "family");
    db.connection().execute("UPDATE account SET password_hash = 'k$x', password_set_at = '2026-09-01T08:00:00Z', "
                            "must_change_password = 1 WHERE id = ?",
                            laura);
    reports::ProblemRules rules;
    rules.now = *parse_iso_time("2026-09-30T08:00:00Z");
    CHECK(of_kind(reports::problems(db, {}, rules), "password_expired").empty());
    rules.now = *parse_iso_time("2026-10-01T09:00:00Z");
    auto expired = of_kind(reports::problems(db, {}, rules), "password_expired");
    REQUIRE(expired.size() == 1);
    CHECK(expired[0].surname == "Bianchi");
    CHECK(expired[0].reason.find("2026-09-01") != std::string::npos);
    CHECK(expired[0].reason.find("credenza reset") != std::string::npos);
    db.connection().execute("UPDATE account SET must_change_password = 0 WHERE id = ?", laura);
    CHECK(of_kind(reports::problems(db, {}, rules), "password_expired").empty());
}

TEST_CASE("reports problems: a disabled account whose pupil is enrolled says who disabled it")
{
    testing::School school;
    auto& db = *school.db;
    db.connection().execute("UPDATE account SET status = 'disabled', disabled_by = 'admin' WHERE id = ?",
                            account_id(db, "BNCLRA83M59L219L", "family"));
    const auto disabled = of_kind(reports::problems(db), "disabled");
    REQUIRE(disabled.size() == 1);
    CHECK(disabled[0].surname == "Bianchi");
    CHECK(disabled[0].reason.find("by an administrator") != std::string::npos);
    CHECK(disabled[0].reason.find("account enable") != std::string::npos);
    // Its pupil left: nothing to fix.
    db.connection().execute("UPDATE pupil SET status = 'left' WHERE person_id IN (SELECT g.pupil_id FROM guardianship g "
                            "JOIN person p ON p.id = g.guardian_id WHERE p.tax_code = 'BNCLRA83M59L219L')");
    CHECK(of_kind(reports::problems(db), "disabled").empty());
}

TEST_CASE("reports problems: the refused address's advice says the import holds a corrected one until --accept-changes")
{
    testing::School school;
    auto& db = *school.db;
    dispatch::issue_letters(db, system_clock(), {{}, std::nullopt, false, "test"});
    db.connection().execute("UPDATE letter SET state = 'failed', last_code = 550, last_reply = '550 no such user' "
                            "WHERE account_id = ?",
                            account_id(db, "BNCLRA83M59L219L", "family"));
    const auto failed = of_kind(reports::problems(db), "delivery_failed");
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].reason.find("--accept-changes") != std::string::npos);
}

TEST_CASE("reports problems: every code is counted, also those with no row")
{
    testing::School school;
    dispatch::issue_letters(*school.db, system_clock(), {{}, std::nullopt, false, "test"});
    const auto counts = reports::count_problems(reports::problems(*school.db));
    REQUIRE(counts.size() == reports::problem_codes().size());
    for (const auto& [code, count] : counts) {
        CHECK(count == (code == "no_address" ? 3 : code == "shared_address" ? 2 : 0));
    }
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
    dispatch::issue_letters(*school.db, system_clock(), {{}, std::nullopt, false, "test"});
    reports::Filter filter;
    filter.classes = {"2A"};
    CHECK(reports::problems(*school.db, filter).empty());
    filter.classes = {"1B"};
    // Roberto Greco with no address, two students with no institutional address, the shared address.
    CHECK(reports::problems(*school.db, filter).size() == 5);
}
