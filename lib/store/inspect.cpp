#include <credenza/store/inspect.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <credenza/error.hpp>
#include "i18n/gettext.hpp"

namespace credenza::store {

Inspection inspect_database(const std::filesystem::path& path)
{
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        throw Error(ErrorCode::no_input, credenza::i18n::format(_fmt("database '{}' does not exist"), path.string()));
    }
    try {
        SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
        db.setBusyTimeout(5000);
        Inspection inspection;
        inspection.schema_version = db.execAndGet("PRAGMA user_version").getInt();
        SQLite::Statement query(db, "PRAGMA integrity_check(5)");
        std::string found;
        while (query.executeStep()) {
            found += (found.empty() ? "" : "; ") + query.getColumn(0).getString();
        }
        inspection.integrity = found;
        return inspection;
    } catch (const SQLite::Exception& exception) {
        throw Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot read database '{}': {}"), path.string(), exception.what()));
    }
}

} // namespace credenza::store
