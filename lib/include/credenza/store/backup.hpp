#pragma once
// A consistent copy of the live database, made with SQLite's online backup API: it reads one
// snapshot, so it may run while `send` writes. The pepper key file is not part of it (a
// stolen backup must stay useless): it has to be kept safe separately.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::store {

struct BackupResult
{
    std::filesystem::path path;
    std::int64_t pages = 0;
    std::uintmax_t bytes = 0;
};

// Copies `db` to `destination`: first into a temporary file (mode 0600) in the same
// directory, switched to a single-file journal, checked with PRAGMA integrity_check,
// synced to disk, then renamed to `destination` (and the directory synced). Nothing is
// left behind on failure.
// Error(cannot_create) when `destination` exists or its directory cannot take the file;
// Error(io) when the copy fails or its integrity check does not answer "ok".
BackupResult backup_database(Database& db, const std::filesystem::path& destination);

struct RotatedBackup
{
    BackupResult backup;
    std::vector<std::filesystem::path> removed;   // older backups deleted to keep the newest `keep`
};

// The name of a backup of `database` taken at `time` in a folder of backups: STEM-YYYYMMDDTHHMMSSZ.db
// (STEM = the database file's name without ".db"), so that names sort by time.
std::string backup_name(const std::filesystem::path& database, TimePoint time);

// backup_database() into `directory` under backup_name(), then, when `keep` > 0, deletes the oldest
// backups of that database in `directory` (only files named as backup_name() names them) beyond
// the newest `keep`. Error(cannot_create) when `directory` is not a folder that can take the file.
RotatedBackup backup_into_directory(Database& db, const std::filesystem::path& database,
                                    const std::filesystem::path& directory, TimePoint time, int keep);

} // namespace credenza::store
