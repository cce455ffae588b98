#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <sys/stat.h>

#include <credenza/store/database.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::TempDir;

TEST_CASE("store: a new database is 0600, in WAL mode, with foreign keys and synchronous=FULL")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    struct stat info{};
    REQUIRE(::stat((dir / "a.db").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK(db.connection().get<std::string>("PRAGMA journal_mode") == "wal");
    CHECK(db.connection().get<int>("PRAGMA foreign_keys") == 1);
    CHECK(db.connection().get<int>("PRAGMA synchronous") == 2);
    CHECK(db.connection().schema_version() == store::latest_schema_version());
}

TEST_CASE("store: create refuses an existing file and leaves it alone")
{
    TempDir dir;
    { auto db = store::Database::create(dir / "a.db"); }
    try {
        store::Database::create(dir / "a.db");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::cannot_create);
        CHECK(std::string(e.what()).find("already exists") != std::string::npos);
    }
    auto db = store::Database::open(dir / "a.db");
    CHECK(db.connection().get<int>("SELECT count(*) FROM sqlite_master WHERE name = 'account'") == 1);
}

TEST_CASE("store: opening a missing database is a no_input error whose hint is to initialise")
{
    TempDir dir;
    try {
        store::Database::open(dir / "missing.db");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::no_input);
        CHECK(e.hint() == Hint::initialise);
        CHECK(std::string(e.what()).find("missing.db") != std::string::npos);
    }
}

TEST_CASE("store: a file that is not a database is an I/O error, not a crash")
{
    TempDir dir;
    {
        std::FILE* file = std::fopen((dir / "junk.db").c_str(), "w");
        std::fputs("this is not a database, just some text long enough to fill a header......................"
                   "................................................................................",
                   file);
        std::fclose(file);
    }
    CHECK_THROWS_AS(store::Database::open(dir / "junk.db"), Error);
}

TEST_CASE("store: foreign keys are enforced")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    CHECK_THROWS_AS(db.connection().execute("INSERT INTO guardianship (guardian_id, pupil_id, position) VALUES (7, 8, 1)"), Error);
}

TEST_CASE("store: a transaction rolls back when not committed")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    {
        store::Transaction transaction(db);
        db.connection().execute("INSERT INTO person (tax_code, surname, name, created_at, updated_at) VALUES ('X', 'a', 'b', '', '')");
    }
    CHECK(db.connection().get<int>("SELECT count(*) FROM person") == 0);
    {
        store::Transaction transaction(db);
        db.connection().execute("INSERT INTO person (tax_code, surname, name, created_at, updated_at) VALUES ('X', 'a', 'b', '', '')");
        transaction.commit();
    }
    CHECK(db.connection().get<int>("SELECT count(*) FROM person") == 1);
}

TEST_CASE("store: a cached statement keeps no old binding: all rebound, or cleared when some are not")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    auto& connection = db.connection();
    connection.execute("CREATE TABLE pair (a, b)");
    const std::string_view insert = "INSERT INTO pair (a, b) VALUES (?, ?)";
    connection.execute(insert, std::int64_t{1}, std::string("one"));
    connection.execute(insert, std::int64_t{2}, std::string("two"));   // every parameter bound again
    connection.execute(insert, std::int64_t{3});                       // b not given: NULL, not "two"
    CHECK(connection.get<std::string>("SELECT group_concat(a || ':' || coalesce(b, 'null'), ' ') FROM pair") ==
          "1:one 2:two 3:null");
    auto& query = connection.statement(insert);                         // by hand: cleared first
    query.bind(1, std::int64_t{4});
    query.exec();
    CHECK(connection.get<int>("SELECT count(*) FROM pair WHERE a = 4 AND b IS NULL") == 1);
}

TEST_CASE("store: maybe_get distinguishes no row from a value, get throws not_found")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    CHECK_FALSE(db.connection().maybe_get<int>("SELECT id FROM person WHERE tax_code = ?", std::string("nobody")).has_value());
    CHECK_THROWS_AS(db.connection().get<int>("SELECT id FROM person WHERE tax_code = ?", std::string("nobody")), Error);
    CHECK(db.connection().get<int>("SELECT ? + ?", 2, 3) == 5);
}

TEST_CASE("store: migrations bring an empty (version 0) database up to date and keep its data")
{
    TempDir dir;
    // An empty SQLite file, as a version-0 database.
    {
        SQLite::Database raw((dir / "old.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("PRAGMA user_version = 0");
    }
    std::filesystem::permissions(dir / "old.db", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    {
        auto db = store::Database::open(dir / "old.db");
        CHECK(db.connection().schema_version() == store::latest_schema_version());
        db.connection().execute("INSERT INTO person (tax_code, surname, name, created_at, updated_at) VALUES ('X', 'a', 'b', '', '')");
    }
    // Opening again applies nothing and loses nothing.
    auto db = store::Database::open(dir / "old.db");
    CHECK(db.connection().schema_version() == store::latest_schema_version());
    CHECK(db.connection().get<int>("SELECT count(*) FROM person") == 1);
}

TEST_CASE("store: a database newer than this program is refused with a configuration error")
{
    TempDir dir;
    {
        auto db = store::Database::create(dir / "a.db");
        db.connection().raw().exec("PRAGMA user_version = 999");
    }
    try {
        store::Database::open(dir / "a.db");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::config);
        CHECK(std::string(e.what()).find("upgrade credenza") != std::string::npos);
    }
}

TEST_CASE("store: a write transaction starts even after another process wrote while a read was left open")
{
    TempDir dir;
    { auto created = store::Database::create(dir / "a.db"); }
    auto first = store::Database::open(dir / "a.db");
    auto second = store::Database::open(dir / "a.db");
    first.connection().execute("INSERT INTO person (tax_code, surname, name, created_at, updated_at) VALUES ('A', 'a', 'a', '', '')");
    first.connection().execute("INSERT INTO person (tax_code, surname, name, created_at, updated_at) VALUES ('B', 'b', 'b', '', '')");
    // A cached single-row read, stepped once and left: in WAL mode it pins a read snapshot.
    auto& read = first.connection().statement("SELECT id FROM person ORDER BY id");
    REQUIRE(read.executeStep());
    second.connection().execute("INSERT INTO person (tax_code, surname, name, created_at, updated_at) VALUES ('C', 'c', 'c', '', '')");
    store::Transaction transaction(first); // would fail with SQLITE_BUSY_SNAPSHOT on the old snapshot
    first.connection().execute("INSERT INTO person (tax_code, surname, name, created_at, updated_at) VALUES ('D', 'd', 'd', '', '')");
    transaction.commit();
    CHECK(second.connection().get<int>("SELECT count(*) FROM person") == 4);
}

TEST_CASE("store: a database open to group or others is refused with the chmod that fixes it")
{
    TempDir dir;
    store::Database::create(dir / "a.db");
    std::filesystem::permissions(dir / "a.db", std::filesystem::perms::group_read, std::filesystem::perm_options::add);
    try {
        store::Database::open(dir / "a.db");
        FAIL("expected a refusal");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::permission);
        CHECK(std::string(e.what()).find("chmod 600") != std::string::npos);
    }
}
