#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <algorithm>

#include <credenza/dispatch/issue.hpp>
#include <credenza/error.hpp>
#include <credenza/store/reports.hpp>

#include "support.hpp"

using namespace credenza;

TEST_CASE("store reports: active pupils are counted per class, in class order")
{
    testing::School school;
    const auto counts = store::count_pupils_by_class(*school.db, {});
    REQUIRE(!counts.empty());
    CHECK(std::is_sorted(counts.begin(), counts.end(),
                         [](const auto& x, const auto& y) { return x.class_name < y.class_name; }));
    int total = 0;
    for (const auto& count : counts) {
        total += count.pupils;
    }
    CHECK(total == 12);
    store::ReportScope scope;
    scope.classes = {"1B"};
    const auto one = store::count_pupils_by_class(*school.db, scope);
    REQUIRE(one.size() == 1);
    CHECK(one[0].class_name == "1B");
    CHECK(one[0].pupils == 3);
}

TEST_CASE("store reports: a covered account has its kind as an enum and its letters by state")
{
    testing::School school;
    dispatch::issue_letters(*school.db, system_clock(), {{}, std::nullopt, false, "test"});
    store::ReportScope scope;
    scope.classes = {"1B"};
    const auto accounts = store::covered_accounts(*school.db, scope);
    const auto students = std::count_if(accounts.begin(), accounts.end(),
                                        [](const auto& a) { return a.kind == AccountKind::student; });
    CHECK(students == 3);
    for (const auto& account : accounts) {
        CHECK(account.class_name == "1B");
        CHECK(account.letters_sent == 0);
        CHECK(account.letters_pending + (account.without_address ? 1 : 0) == 1);
    }
}

TEST_CASE("store reports: a letter's purpose and state come back as enums")
{
    testing::School school;
    dispatch::issue_letters(*school.db, system_clock(), {{}, std::nullopt, false, "test"});
    const auto letters = store::letter_deliveries(*school.db, {});
    REQUIRE(letters.size() == 29);
    CHECK(letters.front().purpose == LetterPurpose::initial);
    CHECK(letters.front().state == LetterState::queued);
    CHECK(!letters.front().last_code);
}

TEST_CASE("store reports: a word the schema does not know is an io error, not a guess")
{
    testing::School school;
    dispatch::issue_letters(*school.db, system_clock(), {{}, std::nullopt, false, "test"});
    school.db->connection().execute("PRAGMA ignore_check_constraints = ON");
    school.db->connection().execute("UPDATE letter SET state = 'lost' WHERE id = (SELECT min(id) FROM letter)");
    try {
        store::letter_deliveries(*school.db, {});
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::io);
        CHECK(std::string(e.what()).find("'lost'") != std::string::npos);
    }
}

TEST_CASE("store reports: the failure limits select the accounts at or over them")
{
    testing::School school;
    school.db->connection().execute("UPDATE account SET pin_failures = 3 WHERE id = (SELECT min(id) FROM account)");
    CHECK(store::accounts_over_failure_limits(*school.db, {}, 3, 100).size() == 1);
    CHECK(store::accounts_over_failure_limits(*school.db, {}, 4, 100).empty());
}
