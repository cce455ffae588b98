#include <credenza/store/backup.hpp>
#include "connection.hpp"

#include <cerrno>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

#include <SQLiteCpp/Backup.h>
#include <sqlite3.h>
#include <fmt/format.h>

#include <credenza/util/files.hpp>
#include "i18n/gettext.hpp"

namespace credenza::store {

namespace {

// STEM-YYYYMMDDTHHMMSSZ.db, as backup_name() writes it.
bool is_backup_name(const std::string& name, const std::string& stem)
{
    const std::string prefix = stem + "-";
    constexpr std::string_view k_shape = "99999999T999999Z.db";
    if (name.size() != prefix.size() + k_shape.size() || name.compare(0, prefix.size(), prefix) != 0) {
        return false;
    }
    for (std::size_t i = 0; i < k_shape.size(); ++i) {
        const char c = name[prefix.size() + i];
        if (k_shape[i] == '9' ? !(c >= '0' && c <= '9') : c != k_shape[i]) {
            return false;
        }
    }
    return true;
}

std::string system_error(int error)
{
    return std::strerror(error);
}

void sync_path(const std::filesystem::path& path, bool directory)
{
    try {
        directory ? util::fsync_directory(path) : util::fsync_file(path);
    } catch (const util::FileError& error) {
        if (error.step() == util::FileError::Step::open) {
            throw Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot open '{}' to sync it: {}"), path.string(), error.cause()));
        }
        throw;
    }
}

// Removes the temporary file unless the backup got renamed into place.
class TemporaryFile
{
public:
    explicit TemporaryFile(const std::filesystem::path& destination)
    {
        std::string pattern = destination.string() + ".tmp-XXXXXX";
        const int fd = ::mkstemp(pattern.data()); // mode 0600
        if (fd < 0) {
            throw Error(ErrorCode::cannot_create,
                        credenza::i18n::format(_fmt("cannot create a file next to '{}': {}"), destination.string(), system_error(errno)));
        }
        ::close(fd);
        m_path = pattern;
    }
    ~TemporaryFile()
    {
        if (!m_kept) {
            std::error_code ignored;
            std::filesystem::remove(m_path, ignored);
            std::filesystem::remove(m_path.string() + "-journal", ignored);
            std::filesystem::remove(m_path.string() + "-wal", ignored);
            std::filesystem::remove(m_path.string() + "-shm", ignored);
        }
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    void keep() { m_kept = true; }

private:
    std::filesystem::path m_path;
    bool m_kept = false;
};

std::int64_t copy_into(Database& db, const std::filesystem::path& copy_path)
{
    SQLite::Database copy(copy_path.string(), SQLite::OPEN_READWRITE);
    std::int64_t pages = 0;
    {
        // One step over every page: a single read of one snapshot, which WAL lets run beside
        // a writer; stepping in pieces would restart whenever the writer commits.
        SQLite::Backup backup(copy, db.connection().raw());
        backup.executeStep(-1);
        pages = backup.getTotalPageCount();
    }
    // The source is in WAL mode and so is the copy's header: make it one self-contained file.
    copy.exec("PRAGMA journal_mode = DELETE");
    const std::string integrity = copy.execAndGet("PRAGMA integrity_check").getString();
    if (integrity != "ok") {
        throw Error(ErrorCode::io, credenza::i18n::format(_fmt("the copy of '{}' fails its integrity check: {}"), db.path().string(),
                                               integrity));
    }
    return pages;
}

} // namespace

BackupResult backup_database(Database& db, const std::filesystem::path& destination)
{
    std::error_code error;
    if (std::filesystem::exists(std::filesystem::symlink_status(destination, error))) {
        throw Error(ErrorCode::cannot_create,
                    credenza::i18n::format(_fmt("backup '{}' already exists: choose a new name or move the old one away"),
                                destination.string()));
    }
    TemporaryFile temporary(destination);
    BackupResult result;
    result.path = destination;
    try {
        result.pages = copy_into(db, temporary.path());
    } catch (const SQLite::Exception& e) {
        throw Error(e.getErrorCode() == SQLITE_BUSY ? ErrorCode::temporary : ErrorCode::io,
                    credenza::i18n::format(_fmt("cannot copy '{}' to '{}': {}"), db.path().string(), destination.string(), e.what()));
    }
    sync_path(temporary.path(), false);
    // Never over a file that appeared meanwhile.
    if (::renameat2(AT_FDCWD, temporary.path().c_str(), AT_FDCWD, destination.c_str(), RENAME_NOREPLACE) != 0) {
        const int rename_error = errno;
        throw Error(rename_error == EEXIST ? ErrorCode::cannot_create : ErrorCode::io,
                    credenza::i18n::format(_fmt("cannot rename the copy to '{}': {}"), destination.string(), system_error(rename_error)));
    }
    temporary.keep();
    sync_path(util::directory_of(destination), true);
    result.bytes = std::filesystem::file_size(destination, error);
    return result;
}

std::string backup_name(const std::filesystem::path& database, TimePoint time)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    return fmt::format("{}-{}.db", database.stem().string(), stamp);
}

RotatedBackup backup_into_directory(Database& db, const std::filesystem::path& database,
                                    const std::filesystem::path& directory, TimePoint time, int keep)
{
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error)) {
        throw Error(ErrorCode::cannot_create, credenza::i18n::format(_fmt("'{}' is not a folder"), directory.string()));
    }
    RotatedBackup result;
    result.backup = backup_database(db, directory / backup_name(database, time));
    if (keep <= 0) {
        return result;
    }
    // Only names this function writes count: never another file an admin keeps in the folder.
    std::vector<std::filesystem::path> backups;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        if (entry.is_regular_file(error) && is_backup_name(entry.path().filename().string(), database.stem().string())) {
            backups.push_back(entry.path());
        }
    }
    std::sort(backups.begin(), backups.end(), [](const auto& a, const auto& b) { return a.filename() > b.filename(); });
    for (std::size_t i = static_cast<std::size_t>(keep); i < backups.size(); ++i) {
        if (std::filesystem::remove(backups[i], error)) {
            result.removed.push_back(backups[i]);
        } else if (error) {
            throw Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot delete the old backup '{}': {}"), backups[i].string(),
                                                   error.message()));
        }
    }
    if (!result.removed.empty()) {
        sync_path(directory, true);
    }
    return result;
}

} // namespace credenza::store
