#include <credenza/store/database.hpp>
#include "connection.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include <fmt/format.h>

#include <credenza/embedded.hpp>
#include "i18n/gettext.hpp"

namespace credenza::store {

namespace {

struct Migration
{
    int version;
    std::string_view name;
    std::string_view sql;
};

// "migrations/0001_init.sql" -> 1
std::vector<Migration> embedded_migrations()
{
    constexpr std::string_view prefix = "migrations/";
    std::vector<Migration> migrations;
    for (const auto& file : embedded_files()) {
        if (!file.name.starts_with(prefix) || !file.name.ends_with(".sql")) {
            continue;
        }
        const auto base = file.name.substr(prefix.size());
        int version = 0;
        const auto [end, error] = std::from_chars(base.data(), base.data() + base.size(), version);
        if (error != std::errc() || end == base.data() || version <= 0) {
            throw Error(ErrorCode::internal, credenza::i18n::format(_fmt("migration '{}' has no number"), file.name));
        }
        migrations.push_back({version, file.name, file.text});
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        if (migrations[i].version != static_cast<int>(i) + 1) {
            throw Error(ErrorCode::internal, credenza::i18n::format(_fmt("migration '{}' is out of sequence"), migrations[i].name));
        }
    }
    return migrations;
}

// Foreign keys off for the life of the object; back on (checked) by restore(), or on leaving
// anyway, so that no error path leaves a connection without them.
class ForeignKeysOff
{
public:
    explicit ForeignKeysOff(Connection& connection) : m_connection(connection)
    {
        m_connection.guard("PRAGMA foreign_keys = OFF", [&] { m_connection.raw().exec("PRAGMA foreign_keys = OFF"); });
    }
    ForeignKeysOff(const ForeignKeysOff&) = delete;
    ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;
    ~ForeignKeysOff()
    {
        try {
            m_connection.raw().exec("PRAGMA foreign_keys = ON");
        } catch (...) {
            // Unwinding from another error already; configure() checks foreign keys on every open.
        }
    }
    void restore() const
    {
        m_connection.guard("PRAGMA foreign_keys = ON", [&] {
            m_connection.raw().exec("PRAGMA foreign_keys = ON");
            if (m_connection.raw().execAndGet("PRAGMA foreign_keys").getInt() != 1) {
                throw Error(ErrorCode::io, _("this SQLite library cannot enforce foreign keys"));
            }
        });
    }

private:
    Connection& m_connection;
};

} // namespace

int latest_schema_version()
{
    return static_cast<int>(embedded_migrations().size());
}

void migrate(Database& db)
{
    const auto migrations = embedded_migrations();
    const int current = db.connection().schema_version();
    if (current > static_cast<int>(migrations.size())) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("database '{}' has schema version {} but this credenza knows only {}: "
                                "upgrade credenza"),
                                db.path().string(), current, migrations.size()));
    }
    if (current == static_cast<int>(migrations.size())) {
        return;
    }
    // SQLite's 12-step table rebuild: a migration may drop and recreate a table that others reference
    // (0005 does), which with foreign keys on would delete through them. Foreign keys are off while
    // migrations run (the pragma is a no-op inside a transaction, so it is set before), every migration
    // proves with foreign_key_check that it left no dangling reference before it commits, and they are
    // back on, checked, before anything else runs on this connection.
    auto& connection = db.connection();
    const ForeignKeysOff foreign_keys_off(connection);
    for (const auto& migration : migrations) {
        if (migration.version <= current) {
            continue;
        }
        Transaction transaction(db);
        // Another process may have migrated while we waited for the write lock.
        if (connection.schema_version() >= migration.version) {
            continue;
        }
        connection.guard(std::string(migration.name), [&] {
            connection.raw().exec(std::string(migration.sql));
            SQLite::Statement check(connection.raw(), "PRAGMA foreign_key_check");
            if (check.executeStep()) {
                throw Error(ErrorCode::internal,
                            credenza::i18n::format(_fmt("migration '{}' would leave a row of '{}' that refers to "
                                                        "no row: it was not applied; restore a backup"),
                                                   migration.name, check.getColumn(0).getString()));
            }
            connection.raw().exec(fmt::format("PRAGMA user_version = {}", migration.version));
        });
        transaction.commit();
    }
    foreign_keys_off.restore();
}

} // namespace credenza::store
