#include <credenza/mail/transport.hpp>

#include <credenza/error.hpp>
#include <credenza/util/files.hpp>

#include "random.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace credenza::mail {

namespace {

[[noreturn]] void throw_io(std::string_view what, const std::filesystem::path& path, int error_number)
{
    throw Error(ErrorCode::io, fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(error_number)));
}

void ensure_directory(const std::filesystem::path& outbox)
{
    std::error_code error;
    const auto parent = outbox.parent_path();
    if (!parent.empty() && !std::filesystem::exists(std::filesystem::symlink_status(outbox, error))) {
        std::filesystem::create_directories(parent, error);
        if (error) {
            throw Error(ErrorCode::cannot_create,
                        fmt::format("cannot create outbox '{}': {}", outbox.string(), error.message()));
        }
    }
    // The letters hold passwords and PINs: nobody but the owner may list or read them.
    if (::mkdir(outbox.c_str(), 0700) != 0 && errno != EEXIST) {
        throw Error(ErrorCode::cannot_create,
                    fmt::format("cannot create outbox '{}': {}", outbox.string(), std::strerror(errno)));
    }
    // Opened without following a symbolic link, and checked on the open directory: a link or a
    // directory planted by another user (when run as root, say) is refused, never written into.
    const util::FileDescriptor fd(::open(outbox.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) {
        const int open_error = errno;
        throw Error(ErrorCode::cannot_create,
                    fmt::format("cannot create outbox '{}': {}", outbox.string(),
                                open_error == ELOOP || open_error == ENOTDIR
                                    ? "it exists and is not a directory (a symbolic link is refused)"
                                    : std::strerror(open_error)));
    }
    struct stat status{};
    if (::fstat(fd.get(), &status) != 0 || status.st_uid != ::geteuid()) {
        throw Error(ErrorCode::permission,
                    fmt::format("outbox '{}' belongs to another user: refusing to write letters into it",
                                outbox.string()));
    }
    // mkdir's mode passes through the umask; say exactly what we mean.
    if ((status.st_mode & 07777) != 0700 && ::fchmod(fd.get(), 0700) != 0) {
        throw Error(ErrorCode::cannot_create,
                    fmt::format("cannot create outbox '{}': {}", outbox.string(), std::strerror(errno)));
    }
}

// "20250213T102030.123456Z-1a2b3c4d.eml": sorts by time, unique across processes.
std::string message_file_name()
{
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}.{:06}Z-{}.eml", utc.tm_year + 1900, utc.tm_mon + 1,
                       utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, micros, detail::random_hex(4));
}

} // namespace

DirectoryTransport::DirectoryTransport(std::filesystem::path outbox) : m_outbox(std::move(outbox))
{
    ensure_directory(m_outbox);
}

Delivery DirectoryTransport::deliver(const Envelope& /*envelope*/, std::string_view message)
{
    ensure_directory(m_outbox);
    const std::string name = message_file_name();
    const auto final_path = m_outbox / name;
    const auto temporary_path = m_outbox / ("." + name + ".tmp");

    try {
        util::atomic_write(final_path, message, 0600, temporary_path);
    } catch (const util::FileError& error) {
        // Creation failing here is an I/O error like any other: the outbox itself was made above.
        if (error.step() == util::FileError::Step::create) {
            throw_io("create", temporary_path, error.error_number());
        }
        if (error.step() == util::FileError::Step::open) {
            throw_io("sync", error.path(), error.error_number());
        }
        throw;
    }
    return Delivery{Outcome::sent, 0, final_path.string(), ""};
}

} // namespace credenza::mail
