#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/dispatch/issue.hpp>
#include <credenza/reports/problems.hpp>
#include <credenza/reports/summary.hpp>

#include <algorithm>

#include "support.hpp"

using namespace credenza;

TEST_CASE("reports summary: without a filter it counts the whole sample enrolment")
{
    testing::School school;
    dispatch::issue_letters(*school.db, system_clock(), {{}, std::nullopt, false, "test"});
    const auto s = reports::summary(*school.db);
    CHECK(s.pupils_active == 12);
    CHECK(s.pupils_left == 0);
    CHECK(s.guardians == 20);
    CHECK(s.family_active == 20);
    CHECK(s.student_active == 12);
    CHECK(s.family_without_address == 1);
    CHECK(s.student_without_address == 2);
    CHECK(s.letters_queued == 19 + 10);
}

TEST_CASE("reports summary: a class filter counts that class's pupils, their accounts and letters")
{
    testing::School school;
    dispatch::issue_letters(*school.db, system_clock(), {{}, std::nullopt, false, "test"});
    reports::Filter filter;
    filter.classes = {"1B"};
    const auto s = reports::summary(*school.db, filter);
    CHECK(s.pupils_active == 3);
    CHECK(s.guardians == 6);
    CHECK(s.student_active == 3);
    CHECK(s.family_without_address == 1);
    CHECK(s.student_without_address == 2);
    CHECK(s.letters_queued == 5 + 1);
    filter.classes = {"2A"};
    CHECK(reports::summary(*school.db, filter).family_without_address == 0);
}

TEST_CASE("reports summary: a filtered summary counts the pupils who left that class too")
{
    testing::School school;
    school.db->connection().execute("UPDATE pupil SET status = 'left' WHERE class = '5A'");
    reports::Filter filter;
    filter.classes = {"5A"};
    const auto s = reports::summary(*school.db, filter);
    CHECK(s.pupils_active == 0);
    CHECK(s.pupils_left == 3);
    CHECK(reports::summary(*school.db, {{}, "2024/2025"}).pupils_left == 0);
}

TEST_CASE("reports summary: its accounts without an address and its problem counts agree with the problems report")
{
    testing::School school;
    auto& db = *school.db;
    dispatch::issue_letters(db, system_clock(), {{}, std::nullopt, false, "test"});
    // A family account that covers only a pupil who left is no problem, and no longer counted.
    db.connection().execute("UPDATE pupil SET status = 'left' WHERE class = '5A'");
    for (const auto& classes : {std::vector<std::string>{}, std::vector<std::string>{"1B"}}) {
        reports::Filter filter;
        filter.classes = classes;
        const auto problems = reports::problems(db, filter);
        const auto s = reports::summary(db, filter, reports::ProblemRules{});
        const auto rows = [&](const std::string& code, std::optional<AccountKind> kind) {
            return std::count_if(problems.begin(), problems.end(), [&](const reports::Problem& p) {
                return p.problem == code && (!kind || p.kind == *kind);
            });
        };
        CHECK(s.family_without_address == rows("no_address", AccountKind::family));
        CHECK(s.student_without_address == rows("no_address", AccountKind::student));
        REQUIRE(s.problems.size() == reports::problem_codes().size());
        for (const auto& [code, count] : s.problems) {
            CHECK(count == rows(code, std::nullopt));
        }
    }
}

TEST_CASE("reports summary: each problem count is the number of rows the problems report lists, with every kind present")
{
    testing::School school;
    auto& db = *school.db;
    dispatch::issue_letters(db, system_clock(), {{}, std::nullopt, false, "test"});
    // One account or more of most problems: refused, waiting, bounced and old queued letters; a locked,
    // a disabled, an expired first password; a pupil whose guardians are gone.
    for (const char* sql : {
             "UPDATE letter SET state = 'failed', attempts = 1, last_code = 550, last_reply = '550 no such user', recipient = 'x@example.it' WHERE id % 5 = 1",
             "UPDATE letter SET state = 'deferred', attempts = 2, last_code = 451, last_reply = '451 later' WHERE id % 5 = 2",
             "UPDATE letter SET state = 'bounced', recipient = 'y@example.it' WHERE id % 5 = 3",
             "UPDATE letter SET queued_at = '2020-01-01T00:00:00Z' WHERE state = 'queued' AND id % 2 = 0",
             "UPDATE account SET pin_failures = 10 WHERE id % 7 = 0",
             "UPDATE account SET status = 'disabled', disabled_by = 'admin' WHERE id % 9 = 4",
             "UPDATE account SET must_change_password = 1, password_hash = 'x', login_method = 'password', password_set_at = '2020-01-01T00:00:00Z' WHERE id % 6 = 1",
             "DELETE FROM guardianship WHERE pupil_id = (SELECT min(person_id) FROM pupil)",
         }) {
        db.connection().execute(sql);
    }
    reports::ProblemRules rules;
    rules.now = system_clock().now();
    for (const auto& classes : {std::vector<std::string>{}, std::vector<std::string>{"1A"}}) {
        reports::Filter filter;
        filter.classes = classes;
        const auto problems = reports::problems(db, filter, rules);
        const auto s = reports::summary(db, filter, rules);
        REQUIRE(s.problems.size() == reports::problem_codes().size());
        int codes_present = 0;
        for (const auto& [code, count] : s.problems) {
            INFO("code: " << code << ", classes: " << classes.size());
            const auto listed = std::count_if(problems.begin(), problems.end(),
                                              [&](const reports::Problem& p) { return p.problem == code; });
            CHECK(count == listed);
            codes_present += count > 0 ? 1 : 0;
        }
        if (classes.empty()) {
            CHECK(codes_present >= 9);
        }
    }
}
