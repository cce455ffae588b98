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
