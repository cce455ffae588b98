#pragma once
// A look at a database file without changing it (for `credenza check`): read-only, no migration.

#include <filesystem>
#include <string>

namespace credenza::store {

struct Inspection
{
    int schema_version = 0;     // PRAGMA user_version
    std::string integrity;      // "ok", else what PRAGMA integrity_check found (first lines)
};

// Error(no_input) when the file does not exist, Error(io) when SQLite cannot read it.
Inspection inspect_database(const std::filesystem::path& path);

} // namespace credenza::store
