#include <doctest/doctest.h>

#include <credenza/store/audit.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::TempDir;

namespace {

store::AuditRow row(std::int64_t id, const std::string& at, const std::string& account)
{
    return {id, at, "segreteria", "reset", account, "reason=lost", "prev-" + std::to_string(id),
            "hash-" + std::to_string(id)};
}

} // namespace

TEST_CASE("store audit: an empty log starts at row 1 with no hash before it")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    const auto tail = store::audit_tail(db);
    CHECK(tail.next_id == 1);
    CHECK_FALSE(tail.last_hash.has_value());
}

TEST_CASE("store audit: a row reads back field by field, and the next attaches after it")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    store::insert_audit_row(db, row(1, "2026-09-15T08:00:00Z", "F7KQ2M9XP"));
    const auto tail = store::audit_tail(db);
    CHECK(tail.next_id == 2);
    CHECK(tail.last_hash == "hash-1");
    std::vector<store::AuditRow> rows;
    store::for_each_audit_row(db, [&](const store::AuditRow& read) {
        rows.push_back(read);
        return true;
    });
    REQUIRE(rows.size() == 1);
    const auto& read = rows.front();
    CHECK(read.id == 1);
    CHECK(read.at == "2026-09-15T08:00:00Z");
    CHECK(read.operator_name == "segreteria");
    CHECK(read.action == "reset");
    CHECK(read.account == "F7KQ2M9XP");
    CHECK(read.detail == "reason=lost");
    CHECK(read.prev_hash == "prev-1");
    CHECK(read.hash == "hash-1");
}

TEST_CASE("store audit: reading every row stops when the visitor says so")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    for (int id = 1; id <= 4; ++id) {
        store::insert_audit_row(db, row(id, "2026-09-15T08:00:00Z", ""));
    }
    int seen = 0;
    store::for_each_audit_row(db, [&](const store::AuditRow& read) {
        ++seen;
        return read.id < 2;
    });
    CHECK(seen == 2);
    // A stopped read holds no snapshot: a write transaction can start at once.
    store::Transaction transaction(db);
    store::insert_audit_row(db, row(5, "2026-09-15T08:00:00Z", ""));
    transaction.commit();
}

TEST_CASE("store audit: rows are found by account and since a date or time")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    store::insert_audit_row(db, row(1, "2026-09-14T08:00:00Z", "F1"));
    store::insert_audit_row(db, row(2, "2026-09-15T08:00:00Z", "F2"));
    store::insert_audit_row(db, row(3, "2026-09-16T08:00:00Z", "F1"));
    CHECK(store::find_audit_rows(db, "", "").size() == 3);
    const auto f1 = store::find_audit_rows(db, "F1", "");
    REQUIRE(f1.size() == 2);
    CHECK(f1[0].id == 1);
    CHECK(f1[1].id == 3);
    CHECK(store::find_audit_rows(db, "", "2026-09-15").size() == 2);
    CHECK(store::find_audit_rows(db, "F1", "2026-09-15T09:00:00Z").size() == 1);
}
