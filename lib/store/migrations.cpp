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
    for (const auto& migration : migrations) {
        if (migration.version <= current) {
            continue;
        }
        Transaction transaction(db);
        // Another process may have migrated while we waited for the write lock.
        if (db.connection().schema_version() >= migration.version) {
            continue;
        }
        db.connection().guard(std::string(migration.name), [&] {
            db.connection().raw().exec(std::string(migration.sql));
            db.connection().raw().exec(fmt::format("PRAGMA user_version = {}", migration.version));
        });
        transaction.commit();
    }
}

} // namespace credenza::store
