#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <string>

#include <fmt/format.h>
#include <vector>

#include <credenza/store/enrolment.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;

namespace {

const TimePoint k_morning = *parse_iso_time("2026-09-15T08:00:00Z");

// A count read past the batch's hook (a statement of its own, not the connection's cache): what
// the database holds now, without making the batch write first.
int count_as_written(store::Database& db, const std::string& table)
{
    SQLite::Statement query(db.connection().raw(), "SELECT count(*) FROM " + table);
    REQUIRE(query.executeStep());
    return query.getColumn(0).getInt();
}

std::string tax_code(int i)
{
    std::string code = "TSTBTC00A01H5";
    code += std::to_string(100 + i % 900);
    return code + std::to_string(i / 900);
}

} // namespace

TEST_CASE("store enrolment batch: rows wait, then go in foreign-key order with the ids it gave")
{
    School school(false);
    auto& db = *school.db;
    store::Transaction transaction(db);
    store::ImportBatch batch(db, k_morning, [](AccountKind) { return std::string("S99999999"); });
    const auto pupil = batch.add_person("RSSMRA10A01H501Z", "Rossi", "Mario", "");
    const auto parent = batch.add_person("RSSLGU80A01H501Z", "Rossi", "Luigi", "luigi.rossi@example.it");
    CHECK(parent == pupil + 1);
    batch.add_pupil({pupil, "2010-01-01", "1A", "2026/2027", "mario.rossi@itisvallauri.edu.it", PupilStatus::active});
    batch.add_guardians(pupil, {{parent, 1}});
    batch.add_account(parent, AccountKind::family, "F12345678");
    batch.add_account(pupil, AccountKind::student, "S12345678");
    CHECK(count_as_written(db, "person") == 0);
    CHECK(count_as_written(db, "account") == 0);
    // Any statement through the connection writes them first, so a query sees them.
    CHECK(db.connection().get<int>("SELECT count(*) FROM guardianship WHERE guardian_id = ? AND pupil_id = ?", parent,
                                   pupil) == 1);
    CHECK(count_as_written(db, "person") == 2);
    CHECK(count_as_written(db, "pupil") == 1);
    CHECK(count_as_written(db, "account") == 2);
    CHECK(db.connection().get<std::string>("SELECT email FROM person WHERE id = ?", parent) == "luigi.rossi@example.it");
    CHECK(db.connection().get<std::string>("SELECT user_code FROM account WHERE person_id = ? AND kind = 'family'",
                                           parent) == "F12345678");
    CHECK(db.connection().get<std::string>("SELECT created_at FROM account WHERE person_id = ?", pupil) ==
          iso_time(k_morning));
    CHECK(db.connection().get<std::string>("SELECT class FROM pupil WHERE person_id = ?", pupil) == "1A");
    // The next person follows the largest id written.
    CHECK(batch.add_person("RSSNNA12A41H501Z", "Rossi", "Anna", "") == parent + 1);
}

TEST_CASE("store enrolment batch: a batch is bounded, and rows it held back are gone with a rollback")
{
    School school(false);
    auto& db = *school.db;
    {
        store::Transaction transaction(db);
        store::ImportBatch batch(db, k_morning, [](AccountKind) { return std::string(); });
        const int rows = static_cast<int>(store::ImportBatch::k_batch_rows) + 10;
        for (int i = 0; i < rows; ++i) {
            batch.add_person(tax_code(i), "Bianchi", "Anna", "");
        }
        const int written = count_as_written(db, "person");
        CHECK(written == static_cast<int>(store::ImportBatch::k_batch_rows));
        batch.flush();
        CHECK(count_as_written(db, "person") == rows);
    } // no commit
    CHECK(db.connection().get<int>("SELECT count(*) FROM person") == 0);
}

TEST_CASE("store enrolment batch: an account whose user code is taken gets another one, the other account untouched")
{
    School school; // the sample enrolment: its accounts have codes already
    auto& db = *school.db;
    const auto taken = db.connection().get<std::string>("SELECT user_code FROM account ORDER BY id LIMIT 1");
    const auto owner = db.connection().get<std::int64_t>("SELECT person_id FROM account ORDER BY id LIMIT 1");
    store::Transaction transaction(db);
    int draws = 0;
    store::ImportBatch batch(db, k_morning, [&](AccountKind kind) {
        ++draws;
        return std::string(kind == AccountKind::family ? "F" : "S") + "7777777" + std::to_string(draws);
    });
    const auto first = batch.add_person("VRDGNN80A01H501Z", "Verdi", "Giovanni", "");
    const auto second = batch.add_person("VRDLCU80A01H501Z", "Verdi", "Lucia", "");
    batch.add_account(first, AccountKind::family, taken);
    batch.add_account(second, AccountKind::family, "F55555555");
    batch.flush();
    CHECK(draws == 1);
    CHECK(db.connection().get<std::string>("SELECT user_code FROM account WHERE person_id = ?", first) == "F77777771");
    CHECK(db.connection().get<std::string>("SELECT user_code FROM account WHERE person_id = ?", second) == "F55555555");
    CHECK(db.connection().get<std::int64_t>("SELECT person_id FROM account WHERE user_code = ?", taken) == owner);
}

TEST_CASE("store enrolment batch: made before the transaction, it keeps temporary files in memory while it lives")
{
    School school(false);
    auto& db = *school.db;
    const auto temp_store = [&] { return db.connection().raw().execAndGet("PRAGMA temp_store").getInt(); };
    const int before = temp_store();
    REQUIRE(before != 2);
    {
        store::ImportBatch batch(db, k_morning, [](AccountKind) { return std::string(); });
        CHECK(temp_store() == 2); // MEMORY: no statement journal written to /var/tmp
        store::Transaction transaction(db);
        batch.add_person("RSSMRA10A01H501Z", "Rossi", "Mario", "");
        batch.flush();
        transaction.commit();
    }
    CHECK(temp_store() == before);
    CHECK(db.connection().get<int>("SELECT count(*) FROM person") == 1);
}

TEST_CASE("store enrolment batch: each person's texts, of every length, go in whole across a full batch")
{
    School school(false);
    auto& db = *school.db;
    store::Transaction transaction(db);
    store::ImportBatch batch(db, k_morning, [](AccountKind) { return std::string(); });
    // The texts wait in one buffer: lengths that vary from row to row (empty ones too) show any
    // text read at another row's place, before and after the batch writes itself.
    const int rows = static_cast<int>(store::ImportBatch::k_batch_rows) + 3;
    const auto surname = [](int i) { return fmt::format("{}{}", std::string(static_cast<std::size_t>(1 + i % 7), 'S'), i); };
    const auto name = [](int i) { return i % 5 == 0 ? std::string("Anna Maria Teresa") : std::string(i % 3, 'N'); };
    const auto email = [](int i) { return i % 2 == 0 ? std::string() : fmt::format("p{}@example.it", i); };
    std::vector<std::int64_t> ids;
    for (int i = 0; i < rows; ++i) {
        ids.push_back(batch.add_person(tax_code(i), surname(i), name(i), email(i)));
    }
    batch.flush();
    for (int i = 0; i < rows; ++i) {
        SQLite::Statement query(db.connection().raw(), "SELECT tax_code, surname, name, email FROM person WHERE id = ?");
        query.bind(1, ids[static_cast<std::size_t>(i)]);
        REQUIRE(query.executeStep());
        CHECK(query.getColumn(0).getString() == tax_code(i));
        CHECK(query.getColumn(1).getString() == surname(i));
        CHECK(query.getColumn(2).getString() == name(i));
        CHECK(query.getColumn(3).getString() == email(i));
    }
}
