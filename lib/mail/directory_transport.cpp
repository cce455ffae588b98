#include <credenza/mail/transport.hpp>

#include <credenza/error.hpp>

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

// Closes a descriptor on every path out of a scope.
class FileDescriptor
{
public:
    explicit FileDescriptor(int descriptor) : m_descriptor(descriptor) {}
    ~FileDescriptor()
    {
        if (m_descriptor >= 0) {
            ::close(m_descriptor);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;

    int get() const { return m_descriptor; }
    int release()
    {
        const int descriptor = m_descriptor;
        m_descriptor = -1;
        return descriptor;
    }

private:
    int m_descriptor;
};

[[noreturn]] void throw_io(std::string_view what, const std::filesystem::path& path, int error_number)
{
    throw Error(ErrorCode::io, fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(error_number)));
}

void ensure_directory(const std::filesystem::path& outbox)
{
    std::error_code error;
    if (std::filesystem::is_directory(outbox, error)) {
        return;
    }
    const auto parent = outbox.parent_path();
    if (!parent.empty()) {
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
    if (!std::filesystem::is_directory(outbox, error)) {
        throw Error(ErrorCode::cannot_create,
                    fmt::format("cannot create outbox '{}': it exists and is not a directory", outbox.string()));
    }
    // mkdir's mode passes through the umask; say exactly what we mean.
    if (::chmod(outbox.c_str(), 0700) != 0) {
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

void write_all(int descriptor, std::string_view bytes, const std::filesystem::path& path)
{
    while (!bytes.empty()) {
        const ssize_t written = ::write(descriptor, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_io("write", path, errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
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

    FileDescriptor file(::open(temporary_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (file.get() < 0) {
        throw_io("create", temporary_path, errno);
    }
    try {
        if (::fchmod(file.get(), 0600) != 0) {
            throw_io("set the mode of", temporary_path, errno);
        }
        write_all(file.get(), message, temporary_path);
        if (::fsync(file.get()) != 0) {
            throw_io("sync", temporary_path, errno);
        }
        if (::close(file.release()) != 0) {
            throw_io("close", temporary_path, errno);
        }
        if (::rename(temporary_path.c_str(), final_path.c_str()) != 0) {
            throw_io("rename", temporary_path, errno);
        }
    } catch (...) {
        ::unlink(temporary_path.c_str());
        throw;
    }

    // The rename is durable only once the directory itself is synced.
    FileDescriptor directory(::open(m_outbox.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (directory.get() < 0 || ::fsync(directory.get()) != 0) {
        throw_io("sync", m_outbox, errno);
    }
    return Delivery{Outcome::sent, 0, final_path.string()};
}

} // namespace credenza::mail
