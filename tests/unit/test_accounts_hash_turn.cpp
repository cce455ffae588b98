#include <credenza/accounts/hash_turn.hpp>

#include <credenza/error.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include "temp_dir.hpp"

using credenza::accounts::HashTurn;
using namespace std::chrono_literals;

namespace {

// Turn files in the folder (the counter excluded): turns held or waiting.
int turns_in(const std::filesystem::path& database)
{
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(HashTurn::folder_of(database))) {
        count += entry.path().filename() != "next" ? 1 : 0;
    }
    return count;
}

void wait_for_turns(const std::filesystem::path& database, int count)
{
    for (int i = 0; i < 5000 && turns_in(database) < count; ++i) {
        std::this_thread::sleep_for(1ms);
    }
    REQUIRE(turns_in(database) == count);
}

} // namespace

TEST_CASE("accounts: hash turns go in the order they were asked, one at a time when parallel is 1")
{
    const credenza::testing::TempDir dir;
    const auto database = dir / "credenza.db";
    auto first = std::make_unique<HashTurn>(database, 1, 10s);
    std::mutex mutex;
    std::vector<int> order;
    const auto take = [&](int who) {
        const HashTurn turn(database, 1, 10s);
        const std::lock_guard lock(mutex);
        order.push_back(who);
        std::this_thread::sleep_for(20ms); // held a while: the third must not get in meanwhile
    };
    std::thread second(take, 2);
    wait_for_turns(database, 2);
    std::thread third(take, 3);
    wait_for_turns(database, 3);
    std::this_thread::sleep_for(50ms);
    {
        const std::lock_guard lock(mutex);
        CHECK(order.empty());
    }
    first.reset();
    second.join();
    third.join();
    CHECK(order == std::vector<int>{2, 3});
    CHECK(turns_in(database) == 0);
}

TEST_CASE("accounts: hash turns let parallel holders in at once and keep the next one waiting")
{
    const credenza::testing::TempDir dir;
    const auto database = dir / "credenza.db";
    const HashTurn first(database, 2, 1s);
    const HashTurn second(database, 2, 1s); // would throw after 1 s if it waited
    CHECK_THROWS_AS(HashTurn(database, 2, 100ms), credenza::Error);
    try {
        const HashTurn third(database, 2, 100ms);
    } catch (const credenza::Error& error) {
        CHECK(error.code() == credenza::ErrorCode::temporary);
        CHECK(error.hint() == credenza::Hint::wait_for_hashes);
    }
    CHECK(turns_in(database) == 2); // the ones that gave up took their turn files away
}

TEST_CASE("accounts: a hash turn left by a process that died holds nobody up")
{
    const credenza::testing::TempDir dir;
    const auto database = dir / "credenza.db";
    // What a crash leaves: a turn file nobody holds a lock on, and the counter past it.
    std::filesystem::create_directory(HashTurn::folder_of(database));
    std::ofstream(HashTurn::folder_of(database) / "0") << "";
    std::ofstream(HashTurn::folder_of(database) / "next") << "1";
    {
        const HashTurn turn(database, 1, 100ms);
        CHECK_FALSE(std::filesystem::exists(HashTurn::folder_of(database) / "0"));
        CHECK(std::filesystem::exists(HashTurn::folder_of(database) / "1"));
    }
    CHECK(turns_in(database) == 0);
}

namespace {

// Voluntary context switches of the calling thread: each sleep of a polling loop is one.
long sleeps_of_this_thread()
{
    rusage usage{};
    ::getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_nvcsw;
}

// Takes a turn in a thread behind whatever holds the turns now, and counts how often it slept.
struct Waiter
{
    std::atomic<bool> got{false};
    std::atomic<long> sleeps{0};
    std::thread thread;

    explicit Waiter(const std::filesystem::path& database)
        : thread([this, database] {
              const long before = sleeps_of_this_thread();
              const HashTurn turn(database, 1, 10s);
              sleeps = sleeps_of_this_thread() - before;
              got = true;
          })
    {
    }
};

} // namespace

TEST_CASE("accounts: a waiter for a hash turn sleeps until the turn ahead ends, it does not poll")
{
    const credenza::testing::TempDir dir;
    const auto database = dir / "credenza.db";
    auto first = std::make_unique<HashTurn>(database, 1, 10s);
    Waiter waiter(database);
    wait_for_turns(database, 2);
    std::this_thread::sleep_for(400ms); // a poll every 2 to 100 ms would wake it 4 to 200 times
    CHECK_FALSE(waiter.got.load());
    first.reset();
    waiter.thread.join();
    CHECK(waiter.got.load());
    CHECK(waiter.sleeps.load() <= 3);
}

TEST_CASE("accounts: a waiter for a hash turn wakes when the holder ahead dies without removing its turn")
{
    const credenza::testing::TempDir dir;
    const auto database = dir / "credenza.db";
    // A holder as a process has it: its turn file open for writing and locked; a crash closes it.
    std::filesystem::create_directory(HashTurn::folder_of(database));
    std::ofstream(HashTurn::folder_of(database) / "next") << "1";
    const int held = ::open((HashTurn::folder_of(database) / "0").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    REQUIRE(held >= 0);
    REQUIRE(::flock(held, LOCK_EX) == 0);
    Waiter waiter(database);
    wait_for_turns(database, 2);
    std::this_thread::sleep_for(400ms);
    CHECK_FALSE(waiter.got.load());
    ::close(held); // the kernel drops the lock; the file stays
    waiter.thread.join();
    CHECK(waiter.got.load());
    CHECK(waiter.sleeps.load() <= 3);
    CHECK_FALSE(std::filesystem::exists(HashTurn::folder_of(database) / "0"));
}

namespace {

// inotify instances this process holds now.
int inotify_instances()
{
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code error;
        count += std::filesystem::read_symlink(entry.path(), error).string() == "anon_inode:inotify" ? 1 : 0;
    }
    return count;
}

} // namespace

TEST_CASE("accounts: a waiter far back in a long line holds no inotify instance and looks less often than turns end")
{
    const credenza::testing::TempDir dir;
    const auto database = dir / "credenza.db";
    // Forty turns held ahead, as forty processes would hold them.
    constexpr int ahead = 40;
    std::filesystem::create_directory(HashTurn::folder_of(database));
    std::vector<int> held;
    for (int number = 0; number < ahead; ++number) {
        const auto file = HashTurn::folder_of(database) / std::to_string(number);
        held.push_back(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
        REQUIRE(held.back() >= 0);
        REQUIRE(::flock(held.back(), LOCK_EX) == 0);
    }
    std::ofstream(HashTurn::folder_of(database) / "next") << ahead;
    Waiter waiter(database);
    wait_for_turns(database, ahead + 1);
    // A watch of its own on the turns just ahead would take one of the user's 128 instances.
    int seen_watching = 0;
    for (int i = 0; i < 20; ++i) {
        seen_watching += inotify_instances() > 0 ? 1 : 0;
        std::this_thread::sleep_for(10ms);
    }
    CHECK(seen_watching == 0);
    // The turns end in order, as hashes do: each owner removes its file, then lets go.
    for (int number = 0; number < ahead; ++number) {
        std::this_thread::sleep_for(10ms);
        ::unlink((HashTurn::folder_of(database) / std::to_string(number)).c_str());
        ::close(held[static_cast<std::size_t>(number)]);
    }
    waiter.thread.join();
    CHECK(waiter.got.load());
    CHECK(waiter.sleeps.load() < ahead / 2);
}
