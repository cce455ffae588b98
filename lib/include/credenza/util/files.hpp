#pragma once
// Files written safely, written here once: a descriptor that always closes, exclusive creation
// with an exact mode, EINTR-safe writes, and durable replacement. Every failure throws a
// FileError, a credenza::Error whose code is cannot_create when a file cannot be made and io for
// the rest, and whose message is "cannot STEP 'PATH': CAUSE" ("'PATH' already exists" when an
// exclusive creation finds a file, or a symbolic link, in the way). A caller that words its
// own message reads step(), path() and cause().

#include <filesystem>
#include <string>
#include <string_view>

#include <sys/types.h>

#include <credenza/error.hpp>

namespace credenza::util {

class FileError : public Error
{
public:
    enum class Step { open, create, set_mode, write, sync, close, rename };

    FileError(Step step, std::filesystem::path path, int error_number);

    Step step() const noexcept { return m_step; }
    const std::filesystem::path& path() const noexcept { return m_path; }
    int error_number() const noexcept { return m_error_number; }
    std::string cause() const;                 // strerror(error_number())
    bool already_exists() const noexcept;      // an exclusive creation found something at path

private:
    Step m_step;
    std::filesystem::path m_path;
    int m_error_number;
};

// Owns a file descriptor: closes it on every path out of a scope. Negative means none.
class FileDescriptor
{
public:
    FileDescriptor() = default;
    explicit FileDescriptor(int descriptor) noexcept : m_descriptor(descriptor) {}
    FileDescriptor(FileDescriptor&& other) noexcept : m_descriptor(other.release()) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept;
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor(); // an error of close() here is lost: call close() to see it

    int get() const noexcept { return m_descriptor; }
    bool valid() const noexcept { return m_descriptor >= 0; }
    int release() noexcept;
    // Closes now; returns what ::close returned (-1 with errno set on failure, 0 when none was open).
    int close() noexcept;

private:
    int m_descriptor = -1;
};

// Writes all of data, resuming after EINTR and short writes; FileError(write, path) on failure.
void write_all(int descriptor, std::string_view data, const std::filesystem::path& path);

// Creates path for writing, never over anything that exists (a symbolic link is never followed)
// and with exactly `mode`, whatever the umask (O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, then fchmod).
// FileError(create) when it cannot be made; FileError(set_mode) when fchmod fails, and the file
// is then removed again.
FileDescriptor create_exclusive(const std::filesystem::path& path, mode_t mode);

// create_exclusive, write data, fsync and close. On any failure after the creation, the file is
// removed again: a half-written file is never left behind. The directory is not synced.
void write_new_file(const std::filesystem::path& path, std::string_view data, mode_t mode);

// fsync of an existing file or directory: FileError(open) or FileError(sync).
void fsync_file(const std::filesystem::path& path);
void fsync_directory(const std::filesystem::path& directory);

// The folder an entry named by path lives in: its parent, or "." for a bare name.
std::filesystem::path directory_of(const std::filesystem::path& path);

// Replaces (or creates) path so that a crash leaves the old content or the new, whole:
// write_new_file(temporary, data, mode), rename over path, fsync of the directory. temporary must
// be in the same directory and must not exist; it is removed again on failure. FileError(rename,
// temporary) when the rename fails.
void atomic_write(const std::filesystem::path& path, std::string_view data, mode_t mode,
                  const std::filesystem::path& temporary);

} // namespace credenza::util
