#pragma once
// The schema version of a database file as it is, before Database::open brings it up to date.

#include <filesystem>

namespace credenza::store {

// PRAGMA user_version of the file, read without changing it; Error(io) when it cannot be read.
int file_schema_version(const std::filesystem::path& path);

} // namespace credenza::store
