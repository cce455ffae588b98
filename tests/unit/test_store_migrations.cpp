#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <credenza/embedded.hpp>
#include <credenza/store/database.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::TempDir;

namespace {

// A database as schema version `version` wrote it: the embedded migrations up to it, nothing after.
void write_old_database(const std::filesystem::path& path, int version, const std::vector<std::string>& rows)
{
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        const std::string last = fmt::format("migrations/{:04}", version + 1);
        for (const auto& file : embedded_files()) {
            if (file.name.starts_with("migrations/000") && file.name < last) {
                raw.exec(std::string(file.text));
            }
        }
        raw.exec(fmt::format("PRAGMA user_version = {}", version));
        for (const auto& row : rows) {
            raw.exec(row);
        }
    }
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

const std::vector<std::string> k_version_4_rows = {
    "INSERT INTO person (id, tax_code, surname, name, email, created_at, updated_at) "
    "VALUES (1, 'RSSMRA80A01L219X', 'Rossi', 'Mario', 'mario@example.it', 't0', 't1')",
    "INSERT INTO person (id, tax_code, surname, name, created_at, updated_at) VALUES (2, 'RSSLCU10A01L219X', 'Rossi', "
    "'Luca', 't0', 't1')",
    "INSERT INTO account (id, person_id, kind, user_code, status, disabled_by, login_method, password_hash, "
    "must_change_password, pin_hash, password_failures, pin_failures, first_login_at, created_at, updated_at, "
    "pin_last_failure_at, pending_password_hash, pending_password_failures, first_login_method, last_login_at, "
    "last_login_method) VALUES (7, 1, 'family', 'F7', 'disabled', 'import', 'spid_cie', 'k$hash', 0, 'k$pin', 3, 1, "
    "'t2', 't0', 't3', 't4', 'k$pending', 2, 'spid', 't5', 'cie')",
    "INSERT INTO account (id, person_id, kind, user_code, created_at, updated_at) VALUES (8, 2, 'student', 'S8', "
    "'t0', 't0')",
    "INSERT INTO letter (id, account_id, purpose, new_pin, state, recipient, attempts, message_id, queued_at, "
    "updated_at) VALUES (3, 7, 'reminder', 1, 'bounced', 'mario@example.it', 2, '<tok@x.it>', 't0', 't1')",
    "INSERT INTO bounce (id, letter_id, report_key, severity, status, received_at) VALUES (5, 3, 'key', 'soft', "
    "'4.2.2', 't6')",
};

std::string schema_of(store::Database& db, const std::string& table)
{
    return db.connection().get<std::string>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table);
}

std::string indexes_of(store::Database& db, const std::string& table)
{
    return db.connection().get<std::string>(
        "SELECT group_concat(name, ' ') FROM (SELECT name FROM pragma_index_list(?) ORDER BY name)", table);
}

// The most constants in any `IN (...)` list of the schema.
int longest_in_list(store::Database& db)
{
    const std::string schema =
        db.connection().get<std::string>("SELECT group_concat(sql, ' ') FROM sqlite_master WHERE sql IS NOT NULL");
    const std::regex list(R"(\bIN\s*\(([^)]*)\))", std::regex::icase);
    int longest = 0;
    for (auto match = std::sregex_iterator(schema.begin(), schema.end(), list); match != std::sregex_iterator(); ++match) {
        const auto text = (*match)[1].str();
        longest = std::max(longest, 1 + static_cast<int>(std::count(text.begin(), text.end(), ',')));
    }
    return longest;
}

// A statement that must be refused by a CHECK constraint (or another, named by `constraint`).
void check_refused(store::Database& db, const std::string& sql, const std::string& constraint = "CHECK")
{
    CAPTURE(sql);
    try {
        db.connection().execute(sql);
        FAIL("the CHECK let the value through");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::bad_input);
        CHECK(std::string(e.what()).find(constraint + " constraint failed") != std::string::npos);
    }
}

} // namespace

TEST_CASE("store migrations: a version 4 database becomes the latest version with every row, column and index kept")
{
    TempDir dir;
    write_old_database(dir / "old.db", 4, k_version_4_rows);
    std::string columns_before;
    {
        SQLite::Database raw((dir / "old.db").string(), SQLite::OPEN_READONLY);
        columns_before = raw.execAndGet("SELECT group_concat(t || '.' || name || ':' || type || ':' || \"notnull\" || ':' "
                                        "|| coalesce(dflt_value, '') || ':' || pk, ' ') FROM (SELECT 'account' t, * FROM "
                                        "pragma_table_info('account') UNION ALL SELECT 'letter', * FROM "
                                        "pragma_table_info('letter') UNION ALL SELECT 'bounce', * FROM "
                                        "pragma_table_info('bounce'))")
                             .getString();
    }
    auto db = store::Database::open(dir / "old.db");
    auto& connection = db.connection();
    CHECK(connection.schema_version() == 6);
    CHECK(store::latest_schema_version() == 6);
    CHECK(connection.get<std::string>(
              "SELECT group_concat(t || '.' || name || ':' || type || ':' || \"notnull\" || ':' || coalesce(dflt_value, '') "
              "|| ':' || pk, ' ') FROM (SELECT 'account' t, * FROM pragma_table_info('account') UNION ALL SELECT "
              "'letter', * FROM pragma_table_info('letter') UNION ALL SELECT 'bounce', * FROM pragma_table_info('bounce'))") ==
          columns_before);
    CHECK(connection.get<std::string>(
              "SELECT id || person_id || kind || user_code || status || disabled_by || login_method || password_hash || "
              "must_change_password || pin_hash || password_failures || pin_failures || first_login_at || created_at || "
              "updated_at || pin_last_failure_at || pending_password_hash || pending_password_failures || "
              "first_login_method || last_login_at || last_login_method FROM account WHERE id = 7") ==
          "71familyF7disabledimportspid_ciek$hash0k$pin31t2t0t3t4k$pending2spidt5cie");
    CHECK(connection.get<std::string>("SELECT user_code || status || disabled_by || login_method || "
                                      "must_change_password || coalesce(first_login_method, 'null') FROM account "
                                      "WHERE id = 8") == "S8active" "password1null");
    CHECK(connection.get<std::string>("SELECT id || account_id || purpose || new_pin || state || recipient || attempts "
                                      "|| message_id FROM letter") == "37reminder1bouncedmario@example.it2<tok@x.it>");
    CHECK(connection.get<std::string>("SELECT id || letter_id || report_key || severity || status || received_at "
                                      "FROM bounce") == "53keysoft4.2.2t6");
    // The unique constraints' indexes and the named ones.
    CHECK(indexes_of(db, "account") == "sqlite_autoindex_account_1 sqlite_autoindex_account_2");
    CHECK(indexes_of(db, "letter") == "letter_account_state letter_message_id letter_state");
    CHECK(indexes_of(db, "bounce") == "bounce_letter sqlite_autoindex_bounce_1");
    CHECK(connection.get<int>("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") == 2);
    // No list of more than two constants is left in a CHECK; no leftover table.
    CHECK(longest_in_list(db) == 2);
    CHECK(connection.get<int>("SELECT count(*) FROM sqlite_master WHERE name LIKE '%\\_v_' ESCAPE '\\'") == 0);
    // Foreign keys are on again, and still point at the rebuilt tables.
    CHECK(connection.get<int>("PRAGMA foreign_keys") == 1);
    CHECK(schema_of(db, "letter").find("REFERENCES account(id)") != std::string::npos);
    CHECK(schema_of(db, "bounce").find("REFERENCES letter(id)") != std::string::npos);
    CHECK_THROWS_AS(connection.execute("INSERT INTO letter (account_id, purpose, queued_at, updated_at) "
                                       "VALUES (99, 'initial', '', '')"),
                    Error);
    CHECK_THROWS_AS(connection.execute("DELETE FROM account WHERE id = 7"), Error);
}

TEST_CASE("store migrations: a version 5 database gets the letter index on (account_id, state) in place of letter_account")
{
    TempDir dir;
    write_old_database(dir / "old.db", 5, k_version_4_rows);
    {
        SQLite::Database raw((dir / "old.db").string(), SQLite::OPEN_READONLY);
        REQUIRE(raw.execAndGet("SELECT group_concat(name, ' ') FROM (SELECT name FROM pragma_index_list('letter') "
                               "ORDER BY name)").getString() == "letter_account letter_message_id letter_state");
    }
    auto db = store::Database::open(dir / "old.db");
    CHECK(db.version_at_open() == 5);
    CHECK(db.connection().schema_version() == 6);
    CHECK(indexes_of(db, "letter") == "letter_account_state letter_message_id letter_state");
    CHECK(db.connection().get<std::string>("SELECT group_concat(name, ',') FROM pragma_index_info('letter_account_state')") ==
          "account_id,state");
    CHECK(db.connection().get<std::string>("SELECT id || account_id || state FROM letter") == "37bounced");
    // What an account's letters come to is read from the index alone.
    SQLite::Statement explain(db.connection().raw(),
                              "EXPLAIN QUERY PLAN SELECT max(l.id), max(l.state = 'sent') FROM letter l WHERE l.account_id = 7");
    std::string details;
    while (explain.executeStep()) {
        details += explain.getColumn(3).getString() + ";";
    }
    CHECK(details.find("COVERING INDEX letter_account_state (account_id=?)") != std::string::npos);
}

TEST_CASE("store migrations: a new database has the letter index on (account_id, state) and no letter_account")
{
    TempDir dir;
    auto db = store::Database::create(dir / "new.db");
    CHECK(db.connection().schema_version() == store::latest_schema_version());
    CHECK(indexes_of(db, "letter") == "letter_account_state letter_message_id letter_state");
}

TEST_CASE("store migrations: a version 4 database with a dangling reference is left at version 4, unchanged")
{
    TempDir dir;
    // Written with foreign keys off (the SQLite default), as a damaged or hand-edited file could be.
    write_old_database(dir / "old.db", 4,
                       {"INSERT INTO letter (id, account_id, purpose, queued_at, updated_at) "
                        "VALUES (1, 42, 'initial', '', '')"});
    try {
        store::Database::open(dir / "old.db");
        FAIL("expected the migration to be refused");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::internal);
        CHECK(std::string(e.what()).find("0005") != std::string::npos);
        CHECK(std::string(e.what()).find("'letter'") != std::string::npos);
    }
    SQLite::Database raw((dir / "old.db").string(), SQLite::OPEN_READONLY);
    CHECK(raw.execAndGet("PRAGMA user_version").getInt() == 4);
    CHECK(raw.execAndGet("SELECT sql FROM sqlite_master WHERE name = 'account'").getString().find(
              "disabled_by IN ('', 'import', 'admin')") != std::string::npos);
    CHECK(raw.execAndGet("SELECT count(*) FROM letter").getInt() == 1);
}

TEST_CASE("store migrations: each rewritten CHECK takes every value it took before and refuses any other")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    auto& connection = db.connection();
    connection.execute("INSERT INTO person (id, tax_code, surname, name, created_at, updated_at) "
                       "VALUES (1, 'X', 'a', 'b', '', '')");
    connection.execute("INSERT INTO account (id, person_id, kind, user_code, created_at, updated_at) "
                       "VALUES (1, 1, 'family', 'F1', '', '')");
    connection.execute("INSERT INTO letter (id, account_id, purpose, queued_at, updated_at) VALUES (1, 1, 'initial', '', '')");
    connection.execute("INSERT INTO bounce (id, letter_id, report_key, severity, received_at) VALUES (1, 1, 'k', 'hard', '')");

    for (const char* value : {"", "import", "admin"}) {
        CHECK(connection.execute("UPDATE account SET disabled_by = ? WHERE id = 1", std::string(value)) == 1);
    }
    for (const char* column : {"first_login_method", "last_login_method"}) {
        for (const char* value : {"password", "spid", "cie", "eidas"}) {
            CHECK(connection.execute(fmt::format("UPDATE account SET {} = ? WHERE id = 1", column), std::string(value)) == 1);
        }
        CHECK(connection.execute(fmt::format("UPDATE account SET {} = NULL WHERE id = 1", column)) == 1);
        check_refused(db, fmt::format("UPDATE account SET {} = 'spid_cie' WHERE id = 1", column));
        check_refused(db, fmt::format("UPDATE account SET {} = '' WHERE id = 1", column));
        check_refused(db, fmt::format("UPDATE account SET {} = 'SPID' WHERE id = 1", column));
    }
    check_refused(db, "UPDATE account SET disabled_by = 'teacher' WHERE id = 1");
    check_refused(db, "UPDATE account SET disabled_by = NULL WHERE id = 1", "NOT NULL"); // as before
    check_refused(db, "INSERT INTO account (person_id, kind, user_code, disabled_by, created_at, updated_at) "
                      "VALUES (1, 'student', 'S1', 'nobody', '', '')");

    for (const char* value : {"initial", "reset", "recovery", "reminder"}) {
        CHECK(connection.execute("UPDATE letter SET purpose = ? WHERE id = 1", std::string(value)) == 1);
    }
    check_refused(db, "UPDATE letter SET purpose = 'welcome' WHERE id = 1");
    for (const char* value : {"queued", "sending", "sent", "deferred", "failed", "cancelled", "bounced"}) {
        CHECK(connection.execute("UPDATE letter SET state = ? WHERE id = 1", std::string(value)) == 1);
    }
    check_refused(db, "UPDATE letter SET state = 'lost' WHERE id = 1");
    check_refused(db, "INSERT INTO letter (account_id, purpose, queued_at, updated_at) VALUES (1, 'spam', '', '')");

    for (const char* value : {"hard", "soft", "delayed"}) {
        CHECK(connection.execute("UPDATE bounce SET severity = ? WHERE id = 1", std::string(value)) == 1);
    }
    check_refused(db, "UPDATE bounce SET severity = 'medium' WHERE id = 1");
}
