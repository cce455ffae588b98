#pragma once
// A school's database as the library and its front ends see it: opened or created (0600, WAL,
// synchronous=FULL, foreign keys, migrations applied), and BEGIN IMMEDIATE transactions. How it is
// stored (SQLite through SQLiteCpp) stays inside lib/store, behind the repositories: this is the
// seam where another storage engine could stand.

#include <filesystem>
#include <memory>

#include <credenza/error.hpp>

namespace credenza::store {

class Connection; // lib/store/connection.hpp: SQLiteCpp, private to the library

class Database
{
public:
    // Creates a new database file (mode 0600) and applies every migration.
    // Error(cannot_create) when the file exists already.
    static Database create(const std::filesystem::path& path);

    // Opens an existing database and brings its schema up to date.
    // Error(no_input) when the file does not exist.
    static Database open(const std::filesystem::path& path);

    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    ~Database();

    const std::filesystem::path& path() const;

    // The schema version the file had before this open brought it up to date (0 for a new file).
    int version_at_open() const { return m_version_at_open; }

    // The SQL connection behind it: for the repositories of lib/store only.
    Connection& connection() { return *m_connection; }

    // The key of the audit chain (32 bytes, derived from the key file; see audit/log.hpp), held
    // for the audit log while the database is open; "" = none. Wiped when replaced or destroyed.
    void set_audit_key(std::string key);
    const std::string& audit_key() const { return m_audit_key; }

private:
    explicit Database(std::unique_ptr<Connection> connection);
    std::unique_ptr<Connection> m_connection;
    std::string m_audit_key;
    int m_version_at_open = 0;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted.
class Transaction
{
public:
    explicit Transaction(Database& db);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

private:
    Database& m_db;
    bool m_open = true;
};

// Applies the embedded migrations newer than the database's user_version, each in a transaction.
// Error(config) when the database is newer than this program.
void migrate(Database& db);

// The number of the newest embedded migration.
int latest_schema_version();

} // namespace credenza::store
