#include <credenza/util/files.hpp>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include "i18n/gettext.hpp"

namespace credenza::util {

namespace fs = std::filesystem;

namespace {

std::string_view verb(FileError::Step step)
{
    // TRANSLATORS: what could not be done to a file, as in "cannot {} 'FILE': REASON".
    switch (step) {
    case FileError::Step::open: return _("open");
    case FileError::Step::create: return _("create");
    case FileError::Step::set_mode: return _("set the mode of");
    case FileError::Step::write: return _("write");
    case FileError::Step::sync: return _("sync");
    case FileError::Step::close: return _("close");
    case FileError::Step::rename: return _("rename");
    }
    return _("use");
}

std::string message(FileError::Step step, const fs::path& path, int error_number)
{
    if (step == FileError::Step::create && error_number == EEXIST) {
        return credenza::i18n::format(_fmt("'{}' already exists"), path.string());
    }
    return credenza::i18n::format(_fmt("cannot {} '{}': {}"), verb(step), path.string(), std::strerror(error_number));
}

ErrorCode code_for(FileError::Step step)
{
    return step == FileError::Step::create ? ErrorCode::cannot_create : ErrorCode::io;
}

void fsync_opened(const fs::path& path, int flags)
{
    FileDescriptor descriptor(::open(path.c_str(), flags | O_CLOEXEC));
    if (!descriptor.valid()) {
        throw FileError(FileError::Step::open, path, errno);
    }
    if (::fsync(descriptor.get()) != 0) {
        throw FileError(FileError::Step::sync, path, errno);
    }
}

} // namespace

FileError::FileError(Step step, fs::path path, int error_number)
    : Error(code_for(step), message(step, path, error_number)), m_step(step), m_path(std::move(path)),
      m_error_number(error_number)
{
}

std::string FileError::cause() const
{
    return std::strerror(m_error_number);
}

bool FileError::already_exists() const noexcept
{
    // O_NOFOLLOW with O_EXCL reports a symbolic link as EEXIST too.
    return m_step == Step::create && m_error_number == EEXIST;
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept
{
    if (this != &other) {
        close();
        m_descriptor = other.release();
    }
    return *this;
}

FileDescriptor::~FileDescriptor()
{
    close();
}

int FileDescriptor::release() noexcept
{
    const int descriptor = m_descriptor;
    m_descriptor = -1;
    return descriptor;
}

int FileDescriptor::close() noexcept
{
    if (m_descriptor < 0) {
        return 0;
    }
    return ::close(release());
}

void write_all(int descriptor, std::string_view data, const fs::path& path)
{
    while (!data.empty()) {
        const ssize_t written = ::write(descriptor, data.data(), data.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw FileError(FileError::Step::write, path, errno);
        }
        data.remove_prefix(static_cast<std::size_t>(written));
    }
}

FileDescriptor create_exclusive(const fs::path& path, mode_t mode)
{
    FileDescriptor descriptor(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!descriptor.valid()) {
        throw FileError(FileError::Step::create, path, errno);
    }
    // The umask may have taken bits away; the caller said exactly what it means.
    if (::fchmod(descriptor.get(), mode) != 0) {
        const int error = errno;
        descriptor.close();
        ::unlink(path.c_str());
        throw FileError(FileError::Step::set_mode, path, error);
    }
    return descriptor;
}

void write_new_file(const fs::path& path, std::string_view data, mode_t mode)
{
    FileDescriptor descriptor = create_exclusive(path, mode);
    try {
        write_all(descriptor.get(), data, path);
        if (::fsync(descriptor.get()) != 0) {
            throw FileError(FileError::Step::sync, path, errno);
        }
        if (descriptor.close() != 0) {
            throw FileError(FileError::Step::close, path, errno);
        }
    } catch (...) {
        descriptor.close();
        ::unlink(path.c_str());
        throw;
    }
}

void fsync_file(const fs::path& path)
{
    fsync_opened(path, O_RDONLY);
}

void fsync_directory(const fs::path& directory)
{
    fsync_opened(directory, O_RDONLY | O_DIRECTORY);
}

fs::path directory_of(const fs::path& path)
{
    return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

void atomic_write(const fs::path& path, std::string_view data, mode_t mode, const fs::path& temporary)
{
    write_new_file(temporary, data, mode);
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        throw FileError(FileError::Step::rename, temporary, error);
    }
    // The rename is durable only once the directory itself is synced.
    fsync_directory(directory_of(path));
}

} // namespace credenza::util
