#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/audit/log.hpp>
#include <fmt/format.h>

#include "support.hpp"

using namespace credenza;
using credenza::testing::TempDir;

namespace {

const TimePoint k_morning = *parse_iso_time("2026-09-15T08:00:00Z");

// One row a minute from k_morning.
store::Database log_with_rows(const TempDir& dir, int rows)
{
    auto db = store::Database::create(dir / "a.db");
    FixedClock clock(k_morning);
    for (int i = 1; i <= rows; ++i) {
        audit::append(db, clock, "tester", "action", fmt::format("F{}", i), fmt::format("detail {}", i));
        clock.advance(std::chrono::minutes(1));
    }
    return db;
}

} // namespace

TEST_CASE("audit: an untouched chain verifies")
{
    TempDir dir;
    auto db = log_with_rows(dir, 5);
    const auto check = audit::verify_chain(db);
    CHECK(check.intact);
    CHECK(check.rows == 5);
}

TEST_CASE("audit: each row carries the time of the caller's clock and the operator it names")
{
    TempDir dir;
    auto db = log_with_rows(dir, 2);
    const auto entries = audit::list_entries(db);
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].at == "2026-09-15T08:00:00Z");
    CHECK(entries[1].at == "2026-09-15T08:01:00Z");
    CHECK(entries[1].operator_name == "tester");
    CHECK(entries[1].account == "F2");
}

TEST_CASE("audit: the chain stays verifiable when appends keep the same time, and after more are added")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    const FixedClock clock(k_morning);
    for (int i = 0; i < 3; ++i) {
        audit::append(db, clock, "tester", "same", "", "");
    }
    CHECK(audit::verify_chain(db).intact);
    audit::append(db, clock, "tester", "another", "F1", "detail");
    const auto check = audit::verify_chain(db);
    CHECK(check.intact);
    CHECK(check.rows == 4);
}

TEST_CASE("audit: the table refuses updates and deletes")
{
    TempDir dir;
    auto db = log_with_rows(dir, 2);
    CHECK_THROWS_AS(db.connection().execute("UPDATE audit SET detail = 'x' WHERE id = 1"), Error);
    CHECK_THROWS_AS(db.connection().execute("DELETE FROM audit WHERE id = 1"), Error);
}

TEST_CASE("audit: an edited row is found, by id")
{
    TempDir dir;
    auto db = log_with_rows(dir, 5);
    db.connection().raw().exec("DROP TRIGGER audit_no_update");
    db.connection().raw().exec("UPDATE audit SET detail = 'nothing happened' WHERE id = 3");
    const auto check = audit::verify_chain(db);
    CHECK_FALSE(check.intact);
    REQUIRE(check.first_broken_id.has_value());
    CHECK(*check.first_broken_id == 3);
}

TEST_CASE("audit: a deleted middle row is found")
{
    TempDir dir;
    auto db = log_with_rows(dir, 5);
    db.connection().raw().exec("DROP TRIGGER audit_no_delete");
    db.connection().raw().exec("DELETE FROM audit WHERE id = 2");
    const auto check = audit::verify_chain(db);
    CHECK_FALSE(check.intact);
    REQUIRE(check.first_broken_id.has_value());
    CHECK(*check.first_broken_id == 3);
    CHECK(check.problem.find("row 2, is missing") != std::string::npos);
}

TEST_CASE("audit: a row rewritten with a recomputed own hash still breaks the next link")
{
    TempDir dir;
    auto db = log_with_rows(dir, 4);
    db.connection().raw().exec("DROP TRIGGER audit_no_update");
    // Changing a row's stored hash to match its new content breaks the prev_hash of the row after it.
    db.connection().raw().exec("UPDATE audit SET hash = 'f00d' WHERE id = 2");
    const auto check = audit::verify_chain(db);
    CHECK_FALSE(check.intact);
    CHECK(*check.first_broken_id == 2);
}

TEST_CASE("audit: entries can be listed by account and since a date")
{
    TempDir dir;
    auto db = log_with_rows(dir, 3);
    CHECK(audit::list_entries(db).size() == 3);
    const auto one = audit::list_entries(db, {"F2", ""});
    REQUIRE(one.size() == 1);
    CHECK(one.front().detail == "detail 2");
    CHECK(audit::list_entries(db, {"", "2999-01-01"}).empty());
    CHECK(audit::list_entries(db, {"", "2026-09-15T08:01:00Z"}).size() == 2);
}

TEST_CASE("audit: the operator is SUDO_USER when run through sudo")
{
    ::setenv("SUDO_USER", "segreteria", 1);
    CHECK(audit::current_operator() == "segreteria");
    ::unsetenv("SUDO_USER");
    CHECK_FALSE(audit::current_operator().empty());
}

TEST_CASE("audit: with the key, rows are keyed, a chain recomputed with plain SHA-256 no longer verifies")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    db.set_audit_key(std::string(32, 'k'));
    FixedClock clock(k_morning);
    audit::append(db, clock, "tester", "first", "", "");
    audit::append(db, clock, "tester", "second", "", "");
    CHECK(audit::verify_chain(db).intact);
    // The same rows hashed without the key (what a writer without the key file can make) are refused.
    auto plain = store::Database::create(dir / "b.db");
    audit::append(plain, clock, "tester", "first", "", "");
    audit::append(plain, clock, "tester", "second", "", "");
    plain.set_audit_key(std::string(32, 'k'));
    const auto check = audit::verify_chain(plain);
    CHECK_FALSE(check.intact);
    // Each plain row hashes right as a plain row: what gives the rewrite away is a keyed log that ends
    // in unkeyed rows, named at its last one.
    CHECK(check.first_broken_id == 2);
    CHECK(check.problem.find("ends in unkeyed rows") != std::string::npos);
    // Another key does not verify the first chain either.
    db.set_audit_key(std::string(32, 'x'));
    CHECK_FALSE(audit::verify_chain(db).intact);
}

TEST_CASE("audit: an old unkeyed log is sealed by the first keyed row, and verifies whole")
{
    TempDir dir;
    auto db = log_with_rows(dir, 3);
    db.set_audit_key(std::string(32, 'k'));
    FixedClock clock(k_morning + std::chrono::hours(1));
    // Only the upgrade seals: a keyed append on an unkeyed tail would hide a rewrite.
    CHECK_THROWS_AS(audit::append(db, clock, "tester", "too early", "", ""), Error);
    CHECK(audit::seal(db, clock, "tester"));
    CHECK_FALSE(audit::seal(db, clock, "tester")); // once
    audit::append(db, clock, "tester", "after", "", "");
    const auto check = audit::verify_chain(db);
    CHECK(check.intact);
    CHECK(check.rows == 5);
    const auto entries = audit::list_entries(db);
    CHECK(entries[3].action == "audit sealed");
    // Without a key nothing more may be appended to a keyed log.
    db.set_audit_key("");
    CHECK_THROWS_AS(audit::append(db, clock, "tester", "unkeyed", "", ""), Error);
}

TEST_CASE("audit: a kept head shows a log cut after it")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    db.set_audit_key(std::string(32, 'k'));
    FixedClock clock(k_morning);
    audit::append(db, clock, "tester", "first", "", "");
    const std::string head = audit::chain_head(db);
    CHECK(head.rfind("1:", 0) == 0);
    audit::append(db, clock, "tester", "second", "", "");
    CHECK(audit::verify_chain(db, head).intact);
    CHECK_FALSE(audit::verify_chain(db, "1:" + std::string(64, 'a')).intact);
}
