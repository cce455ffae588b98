#include <credenza/dispatch/send.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

namespace credenza::dispatch {

SendLock::SendLock(const std::filesystem::path& db_path)
{
    std::error_code error;
    const auto canonical = std::filesystem::weakly_canonical(db_path, error);
    const std::string lock_path = (error ? db_path : canonical).string() + ".send.lock";
    m_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        throw Error(ErrorCode::cannot_create,
                    fmt::format("cannot open lock file '{}': {}", lock_path, std::strerror(errno)));
    }
    // flock, not fcntl: it belongs to this open file, so SQLite's own POSIX locks cannot release it.
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const int lock_error = errno;
        ::close(m_fd);
        m_fd = -1;
        if (lock_error == EWOULDBLOCK) {
            throw Error(ErrorCode::temporary, fmt::format("another 'credenza send' is running on '{}'", db_path.string()),
                        Hint::wait_for_send);
        }
        throw Error(ErrorCode::io, fmt::format("cannot lock '{}': {}", lock_path, std::strerror(lock_error)));
    }
}

SendLock::~SendLock()
{
    if (m_fd >= 0) {
        ::close(m_fd); // releases the lock
    }
}

std::chrono::seconds backoff(int attempts)
{
    using namespace std::chrono_literals;
    constexpr std::chrono::seconds first = 5min;
    constexpr std::chrono::seconds ceiling = 6h;
    std::chrono::seconds delay = first;
    for (int i = 1; i < attempts && delay < ceiling; ++i) {
        delay *= 2;
    }
    return std::min(delay, ceiling);
}

} // namespace credenza::dispatch
