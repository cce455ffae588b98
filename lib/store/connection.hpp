#pragma once
// The one door to SQLite, private to lib/store: WAL with synchronous=FULL, foreign keys on
// (checked), a busy timeout, cached prepared statements and typed get / maybe_get.
// SQLite::Exception never leaves this layer unwrapped. The rest of the library, and every front
// end, sees only store::Database (credenza/store/database.hpp) and the repositories.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <credenza/error.hpp>
#include <credenza/store/database.hpp>

namespace credenza::store {

class Connection
{
public:
    Connection(std::filesystem::path path, std::unique_ptr<SQLite::Database> db);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // WAL with synchronous=FULL, foreign keys on, a busy timeout: each checked after it is set.
    void configure();

    const std::filesystem::path& path() const { return m_path; }
    SQLite::Database& raw() { return *m_db; }

    // A prepared statement from the cache, reset and with bindings cleared. The SQL is a view, so that
    // a literal looks its statement up without building a string.
    SQLite::Statement& statement(std::string_view sql);
    // The same, for a caller that binds `bound` parameters 1..bound right after: when that is every
    // parameter of the statement, each is set again anyway and the old bindings are not cleared first.
    SQLite::Statement& statement(std::string_view sql, int bound);

    // Runs one statement with the given bindings; returns the number of rows changed.
    template <typename... Args>
    int execute(std::string_view sql, const Args&... args)
    {
        return guard(sql, [&] {
            auto& query = statement(sql, static_cast<int>(sizeof...(Args)));
            bind_all(query, args...);
            return query.exec();
        });
    }

    // The first column of the first row; Error(not_found) when there is no row.
    template <typename T, typename... Args>
    T get(std::string_view sql, const Args&... args)
    {
        auto value = maybe_get<T>(sql, args...);
        if (!value) {
            throw Error(ErrorCode::not_found, "no row for query '" + std::string(sql) + "'");
        }
        return *value;
    }

    template <typename T, typename... Args>
    std::optional<T> maybe_get(std::string_view sql, const Args&... args)
    {
        return guard(sql, [&]() -> std::optional<T> {
            auto& query = statement(sql, static_cast<int>(sizeof...(Args)));
            bind_all(query, args...);
            std::optional<T> value;
            if (query.executeStep() && !query.getColumn(0).isNull()) {
                value = query.getColumn(0).operator T();
            }
            query.reset(); // an unfinished SELECT would hold its read snapshot
            return value;
        });
    }

    std::int64_t last_insert_id() const;

    // Run before every statement() (rows an import holds back write themselves there, see
    // store::ImportBatch; it must tolerate being called from within itself); empty for none.
    void set_before_statement(std::function<void()> hook) { m_before_statement = std::move(hook); }

    // Ends every cached statement still stepping, so that this connection holds no old read
    // snapshot: in WAL mode a write transaction cannot start from one once another process
    // has written (SQLITE_BUSY_SNAPSHOT). Transaction calls it before BEGIN.
    void reset_statements();

    // Runs fn with the wrapper's error translation (SQLite::Exception -> credenza::Error).
    template <typename Fn>
    auto guard(std::string_view what, Fn&& fn) -> decltype(fn())
    {
        try {
            return fn();
        } catch (const SQLite::Exception& e) {
            rethrow(what, e);
        }
    }

    int schema_version();

private:
    [[noreturn]] void rethrow(std::string_view what, const SQLite::Exception& e) const;

    template <typename... Args>
    static void bind_all(SQLite::Statement& query, const Args&... args)
    {
        int index = 1;
        (bind_one(query, index++, args), ...);
    }
    static void bind_one(SQLite::Statement& query, int index, const std::string& value) { query.bind(index, value); }
    static void bind_one(SQLite::Statement& query, int index, const char* value) { query.bind(index, value); }
    static void bind_one(SQLite::Statement& query, int index, std::string_view value)
    {
        query.bind(index, std::string(value));
    }
    static void bind_one(SQLite::Statement& query, int index, int value) { query.bind(index, value); }
    static void bind_one(SQLite::Statement& query, int index, bool value) { query.bind(index, value ? 1 : 0); }
    static void bind_one(SQLite::Statement& query, int index, std::int64_t value) { query.bind(index, value); }
    static void bind_one(SQLite::Statement& query, int index, long long value)
    {
        query.bind(index, static_cast<std::int64_t>(value));
    }
    template <typename T>
    static void bind_one(SQLite::Statement& query, int index, const std::optional<T>& value)
    {
        if (value) {
            bind_one(query, index, *value);
        } else {
            query.bind(index);
        }
    }

    std::filesystem::path m_path;
    std::unique_ptr<SQLite::Database> m_db;
    std::map<std::string, std::unique_ptr<SQLite::Statement>, std::less<>> m_statements;
    std::function<void()> m_before_statement;
};

} // namespace credenza::store
