#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/dispatch/issue.hpp>
#include <credenza/store/letters.hpp>
#include <credenza/time.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;

namespace {

struct Issuing
{
    School school;
    store::Database& db = *school.db;
    FixedClock clock{*parse_iso_time("2026-11-23T09:00:00Z")};

    dispatch::IssueReport issue(dispatch::IssueOptions options = {})
    {
        options.operator_name = "test";
        return dispatch::issue_letters(db, clock, options);
    }

    int letters() { return db.connection().get<int>("SELECT count(*) FROM letter"); }
};

} // namespace

TEST_CASE("issue: queues one initial letter per active account that never had one")
{
    Issuing issuing;
    const auto report = issuing.issue();
    // 32 active accounts; one guardian and two students have no address.
    CHECK(report.queued == 29);
    CHECK(report.already == 0);
    CHECK(issuing.letters() == 29);
    CHECK(issuing.db.connection().get<int>("SELECT count(DISTINCT account_id) FROM letter") == 29);
    const auto first = store::find_letter(issuing.db, issuing.db.connection().get<std::int64_t>("SELECT min(id) FROM letter"));
    REQUIRE(first.has_value());
    CHECK(first->purpose == LetterPurpose::initial);
    CHECK(first->state == LetterState::queued);
    CHECK(first->queued_at == "2026-11-23T09:00:00Z");
    CHECK(first->operator_name == "test");
    // Families get a PIN with their first letter, students do not.
    CHECK(issuing.db.connection().get<int>("SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id "
                              "WHERE l.new_pin <> (a.kind = 'family')") == 0);
    CHECK(issuing.db.connection().get<int>("SELECT count(*) FROM audit WHERE action = 'queue initial'") == 29);
}

TEST_CASE("issue: queuing twice queues nothing new, accounts without an address are listed")
{
    Issuing issuing;
    const auto first = issuing.issue();
    CHECK(first.queued > 0);
    CHECK(first.skipped.size() == 3); // one guardian and two students have no address
    const auto second = issuing.issue();
    CHECK(second.queued == 0);
    CHECK(second.already == first.queued);
    CHECK(issuing.letters() == first.queued);
}

TEST_CASE("issue: a skipped account says what it is and why")
{
    Issuing issuing;
    const auto report = issuing.issue();
    int families = 0;
    for (const auto& skipped : report.skipped) {
        CHECK(skipped.reason == "no e-mail address recorded");
        CHECK_FALSE(skipped.user_code.empty());
        if (skipped.kind == AccountKind::family) {
            ++families;
            CHECK(skipped.surname == "Greco");
            CHECK(skipped.name == "Roberto");
        }
    }
    CHECK(families == 1);
}

TEST_CASE("issue: --kind and --class select accounts")
{
    Issuing issuing;
    dispatch::IssueOptions students;
    students.kind = AccountKind::student;
    students.classes = {"5A"};
    const auto report = issuing.issue(students);
    CHECK(report.queued == 3);
    CHECK(issuing.db.connection().get<int>("SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id "
                              "WHERE a.kind <> 'student'") == 0);
}

TEST_CASE("issue: --class selects the families of the class too, written any way")
{
    Issuing issuing;
    dispatch::IssueOptions options;
    options.classes = {" 5a "};
    const auto report = issuing.issue(options);
    // 5A: three students and their six guardians.
    CHECK(report.queued == 9);
    CHECK(issuing.db.connection().get<int>("SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id "
                              "WHERE a.kind = 'family'") == 6);
    // Francesco D'Angelo has pupils in 1A, 2A and 5A: a letter for 1A finds he has one already.
    dispatch::IssueOptions first_a;
    first_a.classes = {"1A"};
    CHECK(issuing.issue(first_a).already >= 1);
}

TEST_CASE("issue: a dry run queues nothing but counts as a real run would")
{
    Issuing issuing;
    dispatch::IssueOptions options;
    options.dry_run = true;
    const auto report = issuing.issue(options);
    CHECK(report.dry_run);
    CHECK(report.queued == 29);
    CHECK(issuing.letters() == 0);
    CHECK(issuing.db.connection().get<int>("SELECT count(*) FROM audit WHERE action = 'queue initial'") == 0);
}

TEST_CASE("issue: a disabled account gets no letter, one whose letter was cancelled gets a new one")
{
    Issuing issuing;
    dispatch::IssueOptions students;
    students.kind = AccountKind::student;
    students.classes = {"5A"};
    issuing.db.connection().execute("UPDATE account SET status = 'disabled' WHERE kind = 'student' AND person_id = "
                       "(SELECT id FROM person WHERE tax_code = 'DNGTMS07E20H501A')");
    CHECK(issuing.issue(students).queued == 2);
    store::cancel_letter(issuing.db, issuing.db.connection().get<std::int64_t>("SELECT min(id) FROM letter"), "test",
                         issuing.clock.now());
    const auto again = issuing.issue(students);
    CHECK(again.queued == 1);
    CHECK(again.already == 1);
}

TEST_CASE("issue: a second request for a waiting letter widens it instead of queuing another")
{
    Issuing issuing;
    const auto account = issuing.db.connection().get<std::int64_t>("SELECT min(id) FROM account WHERE kind = 'student'");
    const auto first = dispatch::queue_letter(issuing.db, issuing.clock, account, LetterPurpose::reset, false,
                                              "lost", "test");
    issuing.clock.advance(std::chrono::minutes(10));
    const auto second = dispatch::queue_letter(issuing.db, issuing.clock, account, LetterPurpose::reset, true,
                                               "lost again", "test");
    CHECK(second == first);
    const auto letter = store::find_letter(issuing.db, first);
    REQUIRE(letter.has_value());
    CHECK(letter->new_pin);
    CHECK(letter->reason == "lost again");
    CHECK(letter->updated_at == "2026-11-23T09:10:00Z");
    CHECK(dispatch::queue_letter(issuing.db, issuing.clock, account, LetterPurpose::recovery, false, "", "test") !=
          first);
}
