#include <credenza/accounts/hash_turn.hpp>

#include <credenza/error.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <functional>
#include <optional>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include "i18n/gettext.hpp"

namespace credenza::accounts {

namespace {

using namespace std::chrono_literals;

constexpr const char* k_counter = "next";

Error io_error(const std::filesystem::path& folder, std::string_view what)
{
    return Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot {} in '{}': {}"), what, folder.string(), std::strerror(errno)));
}

class Fd
{
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    ~Fd()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

bool parse_number(std::string_view text, std::uint64_t& number)
{
    if (text.empty() || (text.front() == '0' && text.size() > 1)) {
        return false;
    }
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    return error == std::errc() && end == text.data() + text.size();
}

// The next ticket number, taken under an exclusive lock on the counter. The ticket file is made
// and locked before the counter lock goes, so any turn with a smaller number is, from then on,
// either held or abandoned (crashed, or finished and about to be removed).
std::pair<std::uint64_t, int> take_ticket(int folder, const std::filesystem::path& path)
{
    Fd counter(::openat(folder, k_counter, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (counter.get() < 0 || ::flock(counter.get(), LOCK_EX) != 0) {
        throw io_error(path, _("take a hashing turn"));
    }
    char text[32] = {};
    const auto size = ::pread(counter.get(), text, sizeof text - 1, 0);
    std::uint64_t number = 0;
    if (size > 0) {
        parse_number(std::string_view(text, static_cast<std::size_t>(size)), number);
    }
    const std::string name = std::to_string(number);
    Fd ticket(::openat(folder, name.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (ticket.get() < 0 || ::flock(ticket.get(), LOCK_EX) != 0) {
        throw io_error(path, _("take a hashing turn"));
    }
    const std::string next = std::to_string(number + 1);
    if (::pwrite(counter.get(), next.data(), next.size(), 0) != static_cast<ssize_t>(next.size()) ||
        ::ftruncate(counter.get(), static_cast<off_t>(next.size())) != 0) {
        ::unlinkat(folder, name.c_str(), 0);
        throw io_error(path, _("take a hashing turn"));
    }
    return {number, ticket.release()};
}

// Whether a turn is held by a living owner; an abandoned one is removed on the way.
bool held(int folder, std::uint64_t number)
{
    const std::string name = std::to_string(number);
    Fd ticket(::openat(folder, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (ticket.get() < 0) {
        return false; // finished and removed
    }
    if (::flock(ticket.get(), LOCK_SH | LOCK_NB) != 0) {
        return errno == EWOULDBLOCK;
    }
    ::unlinkat(folder, name.c_str(), 0);
    return false;
}

struct Ahead
{
    int held = 0;            // turns before mine still held, counted up to `enough`
    std::size_t queued = 0;  // turn files before mine (held or not yet found abandoned)
    std::vector<std::uint64_t> nearest; // the held turns counted, nearest first
};

// Counts the turns taken before `mine` that are still held, nearest first, and stops at `enough`:
// a waiter far back in the queue probes a few files, not all of them.
Ahead ahead_of(int folder, std::uint64_t mine, int enough, const std::filesystem::path& path)
{
    const int copy = ::dup(folder);
    DIR* listing = copy < 0 ? nullptr : ::fdopendir(copy);
    if (listing == nullptr) {
        if (copy >= 0) {
            ::close(copy);
        }
        throw io_error(path, _("list the hashing turns"));
    }
    std::vector<std::uint64_t> earlier;
    ::rewinddir(listing);
    while (const dirent* entry = ::readdir(listing)) {
        std::uint64_t number = 0;
        if (parse_number(entry->d_name, number) && number < mine) {
            earlier.push_back(number);
        }
    }
    ::closedir(listing);
    std::sort(earlier.begin(), earlier.end(), std::greater<>());
    // The head of the line first: turns abandoned there would make every waiter think itself
    // further back than it is (see FarBack).
    while (!earlier.empty() && !held(folder, earlier.back())) {
        earlier.pop_back();
    }
    Ahead ahead;
    ahead.queued = earlier.size();
    for (const auto number : earlier) {
        if (held(folder, number)) {
            ahead.nearest.push_back(number);
            if (++ahead.held >= enough) {
                break;
            }
        }
    }
    return ahead;
}

// Wakes a waiter as soon as one of the turns just ahead of it ends: its owner removes the file
// (IN_ATTRIB, the link count) or dies (IN_CLOSE_WRITE: the kernel closes the file it held open for
// writing). Others only probe these files read-only, which raises neither event. Without inotify
// (no instance left: fs.inotify.max_user_instances) the waiter polls, as before.
class Wakeup
{
public:
    Wakeup() : m_fd(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) {}
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;

    bool available() const { return m_fd.get() >= 0; }

    enum class Watch { watching, ended, cannot };

    // Watches the turns; `ended` when one of them has already ended (look again at once).
    Watch watch(int folder_fd, const std::filesystem::path& folder, const std::vector<std::uint64_t>& turns)
    {
        for (const auto number : turns) {
            const auto file = folder / std::to_string(number);
            if (::inotify_add_watch(m_fd.get(), file.c_str(), IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE_SELF) < 0) {
                return errno == ENOENT ? Watch::ended : Watch::cannot;
            }
            // Ended between the listing and the watch: no event will come for it.
            if (!held(folder_fd, number)) {
                return Watch::ended;
            }
        }
        return Watch::watching;
    }

    // Sleeps until a watched turn ends or `longest` passes.
    void wait(std::chrono::milliseconds longest)
    {
        pollfd entry{m_fd.get(), POLLIN, 0};
        ::poll(&entry, 1, static_cast<int>(std::max<std::int64_t>(longest.count(), 0)));
    }

private:
    Fd m_fd;
};

// How long a waiter far back in the line may sleep before it looks again. Near the front (at most
// twice `at_once` turns ahead) it watches the turns just ahead with inotify instead, so that a
// turn ending starts the next at once. Far back, it looks from time to time: with hundreds in line,
// a watch each would exhaust inotify's instances (fs.inotify.max_user_instances, 128 by default),
// and polling every few milliseconds would take the cores from the hashes. It sleeps half the
// time that the turns ahead of it, ending at the pace seen since its last look, need to bring it
// near the front: a few looks for a whole wait, wherever it stands in line. Seeing no turn end, it
// sleeps twice as long each time, never more than 50 ms for each turn between it and the front
// (4 s at most), so a line that stalls and then moves fast leaves no core idle for long.
class FarBack
{
public:
    explicit FarBack(int at_once) : m_near(2 * static_cast<std::size_t>(at_once)) {}

    // Nothing when the waiter is near the front: it should watch.
    std::optional<std::chrono::milliseconds> pause(std::size_t queued, std::chrono::steady_clock::time_point now)
    {
        if (queued <= m_near) {
            m_looked = false;
            return std::nullopt;
        }
        std::chrono::milliseconds pause = k_first;
        if (m_looked) {
            const auto ended = m_queued > queued ? m_queued - queued : 0;
            const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_at);
            pause = ended == 0 ? 2 * m_pause
                               : since * static_cast<std::int64_t>(queued - m_near) / static_cast<std::int64_t>(2 * ended);
        }
        // Never longer than the line could take to move up were it stalled and then quick again.
        const auto longest = std::min(k_longest, k_per_turn * static_cast<std::int64_t>(queued - m_near));
        m_looked = true;
        m_queued = queued;
        m_at = now;
        m_pause = std::clamp(pause, k_shortest, std::max(longest, k_shortest));
        return m_pause;
    }

private:
    static constexpr std::chrono::milliseconds k_first{20};
    static constexpr std::chrono::milliseconds k_shortest{2};
    static constexpr std::chrono::milliseconds k_longest{4000};
    static constexpr std::chrono::milliseconds k_per_turn{50};

    std::size_t m_near;
    // The last look from far back: how many were ahead, when, and the pause it chose.
    bool m_looked = false;
    std::size_t m_queued = 0;
    std::chrono::steady_clock::time_point m_at{};
    std::chrono::milliseconds m_pause{0};
};

} // namespace

int parallel_hashes_or_cores(int configured)
{
    if (configured > 0) {
        return configured;
    }
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::filesystem::path HashTurn::folder_of(const std::filesystem::path& database)
{
    return std::filesystem::path(database.string() + ".hashing");
}

HashTurn::HashTurn(const std::filesystem::path& database, int parallel, std::chrono::milliseconds patience)
{
    const auto path = folder_of(database);
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
        throw io_error(path.parent_path(), credenza::i18n::format(_fmt("create the folder of hashing turns '{}'"), path.filename().string()));
    }
    // A symbolic link planted in its place would make us write elsewhere.
    Fd folder(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
    if (folder.get() < 0) {
        throw io_error(path, _("open the folder of hashing turns"));
    }
    auto [number, ticket] = take_ticket(folder.get(), path);
    m_number = number;
    m_ticket = ticket;
    m_folder = folder.release();
    try {
        wait(database, parallel, patience);
    } catch (...) {
        release(); // a constructor that throws runs no destructor
        throw;
    }
}

void HashTurn::wait(const std::filesystem::path& database, int parallel, std::chrono::milliseconds patience)
{
    const auto path = folder_of(database);
    const auto deadline = std::chrono::steady_clock::now() + patience;
    const int at_once = std::max(parallel, 1);
    FarBack far_back(at_once);
    // The line as this waiter found it: at the deadline, those ahead that gave up at the same moment
    // have left it, and the count then says nothing of the load.
    std::optional<std::size_t> found_ahead;
    for (;;) {
        const auto ahead = ahead_of(m_folder, m_number, at_once, path);
        if (ahead.held < at_once) {
            return;
        }
        if (!found_ahead) {
            found_ahead = ahead.queued;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            throw Error(ErrorCode::temporary,
                        credenza::i18n::format(_fmt("no hashing turn on '{}' within {} s: {} ahead in the line when it "
                                                    "asked, at most {} hashing at once"),
                                    database.string(),
                                    std::chrono::duration_cast<std::chrono::seconds>(patience).count(), *found_ahead,
                                    at_once),
                        Hint::wait_for_hashes);
        }
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
        if (const auto pause = far_back.pause(ahead.queued, now)) {
            std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(*pause, left));
            continue;
        }
        Wakeup wakeup;
        const auto watch = wakeup.available() ? wakeup.watch(m_folder, path, ahead.nearest) : Wakeup::Watch::cannot;
        if (watch == Wakeup::Watch::ended) {
            continue;
        }
        if (watch == Wakeup::Watch::watching) {
            // Woken by the end of a turn ahead; once a second anyway (a file system without inotify).
            wakeup.wait(std::min<std::chrono::milliseconds>(left, 1s));
            continue;
        }
        // No inotify instance left: the next in line looks often.
        std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(2ms, std::max(left, 1ms)));
    }
}

HashTurn::~HashTurn()
{
    release();
}

void HashTurn::release() noexcept
{
    if (m_ticket >= 0) {
        ::unlinkat(m_folder, std::to_string(m_number).c_str(), 0); // removed before the lock goes
        ::close(m_ticket);
        m_ticket = -1;
    }
    if (m_folder >= 0) {
        ::close(m_folder);
        m_folder = -1;
    }
}

} // namespace credenza::accounts
