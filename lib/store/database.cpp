#include <credenza/store/database.hpp>
#include "connection.hpp"

#include <cerrno>
#include <cstring>
#include <vector>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <sodium.h>
#include <sqlite3.h>

#include <credenza/store/schema.hpp>
#include <credenza/util/files.hpp>
#include "i18n/gettext.hpp"

namespace credenza::store {

namespace {

constexpr int k_busy_timeout_ms = 10'000;

// A connection is used by one thread at a time (a Session is not shared between threads; `send` keeps
// its database on the main thread, its workers only hash and talk SMTP), so SQLite's own mutex on
// every call is not needed: multi-thread mode, not serialized. Connections on other threads (and
// other processes) still coordinate through the file's locks as before.
int open_flags()
{
    return SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX;
}

ErrorCode code_for(const SQLite::Exception& e)
{
    switch (e.getErrorCode()) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ErrorCode::temporary;
    case SQLITE_CONSTRAINT:
        return ErrorCode::bad_input;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return ErrorCode::permission;
    default:
        return ErrorCode::io;
    }
}

// The database holds every account's hashes and the audit log: like the key file, it is for
// its owner only. Its -wal and -shm files hold the same pages.
void require_private(const std::filesystem::path& path)
{
    std::vector<std::string> exposed;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const std::string file = path.string() + suffix;
        struct stat status{};
        if (::stat(file.c_str(), &status) == 0 && (status.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
            exposed.push_back(file);
        }
    }
    if (exposed.empty()) {
        return;
    }
    std::string files;
    for (const auto& file : exposed) {
        files += " '" + file + "'";
    }
    throw Error(ErrorCode::permission,
                credenza::i18n::format(_fmt("database '{}' is open to other users (group or others may read or write it): "
                            "chmod 600{}"),
                            path.string(), files));
}

} // namespace

Connection::Connection(std::filesystem::path path, std::unique_ptr<SQLite::Database> db)
    : m_path(std::move(path)), m_db(std::move(db))
{
}

Connection::~Connection()
{
    // Statements must be finalised before the connection closes.
    m_statements.clear();
}

Database::Database(std::unique_ptr<Connection> connection) : m_connection(std::move(connection)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database()
{
    sodium_memzero(m_audit_key.data(), m_audit_key.size());
}

void Database::set_audit_key(std::string key)
{
    sodium_memzero(m_audit_key.data(), m_audit_key.size());
    m_audit_key = std::move(key);
    sodium_memzero(key.data(), key.size());
}

const std::filesystem::path& Database::path() const
{
    return m_connection->path();
}

Database Database::create(const std::filesystem::path& path)
{
    // Create the file ourselves so it is 0600 from the first byte; SQLite gives
    // its -wal and -shm files the same mode.
    try {
        util::create_exclusive(path, 0600);
    } catch (const util::FileError& error) {
        if (error.already_exists()) {
            throw Error(ErrorCode::cannot_create,
                        credenza::i18n::format(_fmt("database '{}' already exists: refusing to overwrite it"), path.string()));
        }
        throw Error(ErrorCode::cannot_create,
                    credenza::i18n::format(_fmt("cannot create database '{}': {}"), path.string(), error.cause()));
    }
    try {
        auto db = std::make_unique<SQLite::Database>(path.string(), open_flags());
        Database database(std::make_unique<Connection>(path, std::move(db)));
        database.connection().configure();
        migrate(database);
        return database;
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
        std::filesystem::remove(path.string() + "-wal", ignored);
        std::filesystem::remove(path.string() + "-shm", ignored);
        throw;
    }
}

Database Database::open(const std::filesystem::path& path)
{
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        throw Error(ErrorCode::no_input, credenza::i18n::format(_fmt("database '{}' does not exist"), path.string()), Hint::initialise);
    }
    require_private(path);
    std::unique_ptr<SQLite::Database> db;
    try {
        db = std::make_unique<SQLite::Database>(path.string(), open_flags());
    } catch (const SQLite::Exception& e) {
        throw Error(code_for(e), credenza::i18n::format(_fmt("cannot open database '{}': {}"), path.string(), e.what()));
    }
    Database database(std::make_unique<Connection>(path, std::move(db)));
    database.connection().configure();
    // Read on this connection, not on a second one opened first: a process that verifies one
    // password opens the file once (issue 17).
    database.m_version_at_open = database.connection().schema_version();
    migrate(database);
    return database;
}

int file_schema_version(const std::filesystem::path& path)
{
    require_private(path); // before SQLite makes a -shm file with the database's mode
    try {
        SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
        return db.execAndGet("PRAGMA user_version").getInt();
    } catch (const SQLite::Exception& e) {
        throw Error(code_for(e), credenza::i18n::format(_fmt("cannot open database '{}': {}"), path.string(), e.what()));
    }
}

void Connection::configure()
{
    guard("configure database", [&] {
        m_db->setBusyTimeout(k_busy_timeout_ms);
        // Reading the header proves this is a database before we change anything.
        m_db->exec("SELECT count(*) FROM sqlite_master");
        const std::string mode = m_db->execAndGet("PRAGMA journal_mode = WAL").getString();
        if (mode != "wal") {
            throw Error(ErrorCode::io, credenza::i18n::format(_fmt("database '{}' cannot use WAL journaling (got '{}')"),
                                                   m_path.string(), mode));
        }
        // FULL: a commit (such as the hash of a mailed secret) survives a power cut.
        m_db->exec("PRAGMA synchronous = FULL");
        m_db->exec("PRAGMA foreign_keys = ON");
        // Reads through memory-mapped pages, not a read(2) per page into a 2 MiB cache: a report of a
        // school of 100,000 accounts spent a third of its time copying pages (issue 17).
        m_db->exec("PRAGMA mmap_size = 268435456");
        if (m_db->execAndGet("PRAGMA foreign_keys").getInt() != 1) {
            throw Error(ErrorCode::io, _("this SQLite library cannot enforce foreign keys"));
        }
        if (m_db->execAndGet("PRAGMA synchronous").getInt() != 2) {
            throw Error(ErrorCode::io, _("this SQLite library cannot set synchronous=FULL"));
        }
    });
}

SQLite::Statement& Connection::statement(std::string_view sql)
{
    return statement(sql, -1);
}

SQLite::Statement& Connection::statement(std::string_view sql, int bound)
{
    if (m_before_statement) {
        m_before_statement();
    }
    auto found = m_statements.find(sql);
    if (found == m_statements.end()) {
        std::string text(sql);
        auto prepared = std::make_unique<SQLite::Statement>(*m_db, text);
        found = m_statements.emplace(std::move(text), std::move(prepared)).first;
    } else {
        found->second->reset();
        if (bound != found->second->getBindParameterCount()) {
            found->second->clearBindings();
        }
    }
    return *found->second;
}

void Connection::reset_statements()
{
    for (auto& [sql, query] : m_statements) {
        try {
            query->reset();
        } catch (const SQLite::Exception&) {
            // A statement that failed earlier reports that error again here; it is reset anyway.
        }
    }
}

std::int64_t Connection::last_insert_id() const
{
    return m_db->getLastInsertRowid();
}

int Connection::schema_version()
{
    return guard("read schema version", [&] { return m_db->execAndGet("PRAGMA user_version").getInt(); });
}

void Connection::rethrow(std::string_view what, const SQLite::Exception& e) const
{
    throw Error(code_for(e), credenza::i18n::format(_fmt("database '{}': {} ({})"), m_path.string(), e.what(), what));
}

Transaction::Transaction(Database& db) : m_db(db)
{
    auto& connection = m_db.connection();
    connection.reset_statements();
    connection.guard("BEGIN IMMEDIATE", [&] { connection.raw().exec("BEGIN IMMEDIATE"); });
}

Transaction::~Transaction()
{
    if (m_open) {
        try {
            m_db.connection().raw().exec("ROLLBACK");
        } catch (...) {
            // Nothing sensible to do while unwinding; SQLite rolls back on close anyway.
        }
    }
}

void Transaction::commit()
{
    auto& connection = m_db.connection();
    connection.guard("COMMIT", [&] { connection.raw().exec("COMMIT"); });
    m_open = false;
}

} // namespace credenza::store
