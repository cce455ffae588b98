#include <credenza/dispatch/send.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include "i18n/gettext.hpp"

namespace credenza::dispatch {

SendLock::SendLock(const std::filesystem::path& db_path)
{
    // The lock is on the database file itself (its inode), not on a file named after a path: two
    // paths of one database (a hard link, a symlink, a bind mount) share it, and there is no lock
    // file for another user to plant a symlink at. flock, not fcntl: it belongs to this open file,
    // so SQLite's own POSIX locks on the same file neither see it nor release it.
    m_fd = ::open(db_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (m_fd < 0) {
        throw Error(ErrorCode::cannot_create,
                    credenza::i18n::format(_fmt("cannot open database '{}' to lock it: {}"), db_path.string(), std::strerror(errno)));
    }
    struct stat status{};
    if (::fstat(m_fd, &status) != 0 || !S_ISREG(status.st_mode) || status.st_uid != ::geteuid()) {
        ::close(m_fd);
        m_fd = -1;
        throw Error(ErrorCode::permission,
                    credenza::i18n::format(_fmt("database '{}' is not a regular file owned by the user running send: refusing to "
                                "send from it"),
                                db_path.string()));
    }
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const int lock_error = errno;
        ::close(m_fd);
        m_fd = -1;
        if (lock_error == EWOULDBLOCK) {
            throw Error(ErrorCode::temporary, credenza::i18n::format(_fmt("another 'credenza send' is running on '{}'"), db_path.string()),
                        Hint::wait_for_send);
        }
        throw Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot lock '{}': {}"), db_path.string(), std::strerror(lock_error)));
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
