#include <credenza/accounts/hash_turn.hpp>

#include <credenza/error.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace credenza::accounts {

namespace {

using namespace std::chrono_literals;

constexpr const char* k_counter = "next";

Error io_error(const std::filesystem::path& folder, std::string_view what)
{
    return Error(ErrorCode::io, fmt::format("cannot {} in '{}': {}", what, folder.string(), std::strerror(errno)));
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
        throw io_error(path, "take a hashing turn");
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
        throw io_error(path, "take a hashing turn");
    }
    const std::string next = std::to_string(number + 1);
    if (::pwrite(counter.get(), next.data(), next.size(), 0) != static_cast<ssize_t>(next.size()) ||
        ::ftruncate(counter.get(), static_cast<off_t>(next.size())) != 0) {
        ::unlinkat(folder, name.c_str(), 0);
        throw io_error(path, "take a hashing turn");
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

// The turns taken before `mine` and still held, oldest first.
std::vector<std::uint64_t> held_before(int folder, std::uint64_t mine, const std::filesystem::path& path)
{
    const int copy = ::dup(folder);
    DIR* listing = copy < 0 ? nullptr : ::fdopendir(copy);
    if (listing == nullptr) {
        if (copy >= 0) {
            ::close(copy);
        }
        throw io_error(path, "list the hashing turns");
    }
    std::vector<std::uint64_t> earlier;
    while (const dirent* entry = ::readdir(listing)) {
        std::uint64_t number = 0;
        if (parse_number(entry->d_name, number) && number < mine) {
            earlier.push_back(number);
        }
    }
    ::closedir(listing);
    std::sort(earlier.begin(), earlier.end());
    std::erase_if(earlier, [&](std::uint64_t number) { return !held(folder, number); });
    return earlier;
}

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
        throw io_error(path.parent_path(), fmt::format("create the folder of hashing turns '{}'", path.filename().string()));
    }
    // A symbolic link planted in its place would make us write elsewhere.
    Fd folder(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
    if (folder.get() < 0) {
        throw io_error(path, "open the folder of hashing turns");
    }
    auto [number, ticket] = take_ticket(folder.get(), path);
    m_number = number;
    m_ticket = ticket;
    m_folder = folder.release();

    const auto deadline = std::chrono::steady_clock::now() + patience;
    auto pause = 2ms;
    for (;;) {
        const auto earlier = held_before(m_folder, m_number, path);
        if (static_cast<int>(earlier.size()) < std::max(parallel, 1)) {
            return;
        }
        // Wait for the oldest turn ahead to end, then count again; a later one that ends first is
        // seen at the next count, at most a few pauses later.
        for (int polls = 0; polls < 20 && held(m_folder, earlier.front()); ++polls) {
            if (std::chrono::steady_clock::now() >= deadline) {
                const auto waited = std::chrono::duration_cast<std::chrono::seconds>(patience).count();
                release();
                throw Error(ErrorCode::temporary,
                            fmt::format("no hashing turn on '{}' within {} s: {} ahead, at most {} at once",
                                        database.string(), waited, earlier.size(), parallel),
                            Hint::wait_for_hashes);
            }
            std::this_thread::sleep_for(pause);
            pause = std::min(pause * 2, 20ms);
        }
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
