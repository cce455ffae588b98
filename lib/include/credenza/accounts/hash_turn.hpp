#pragma once
// A turn to compute Argon2id hashes on one database: at most N processes (or threads) hold one at
// once, whatever the number of verifications a front end starts, so N x kdf_memlimit bounds the
// memory. The others wait their turn in the order they asked, up to a time limit (then
// Error(temporary), exit 75). Turns are tickets: files in "<db>.hashing/", each held with flock(2)
// by its owner for as long as it waits or hashes, so a crashed process leaves no stale turn (the
// kernel drops its lock and the next waiter removes the file).

#include <chrono>
#include <cstdint>
#include <filesystem>

namespace credenza::accounts {

// [credentials] parallel_hashes = 0 means the number of cores.
int parallel_hashes_or_cores(int configured);

class HashTurn
{
public:
    // Blocks until fewer than `parallel` earlier turns on this database are held.
    HashTurn(const std::filesystem::path& database, int parallel, std::chrono::milliseconds patience);
    ~HashTurn();
    HashTurn(const HashTurn&) = delete;
    HashTurn& operator=(const HashTurn&) = delete;

    // The folder of the turns beside a database.
    static std::filesystem::path folder_of(const std::filesystem::path& database);

private:
    void wait(const std::filesystem::path& database, int parallel, std::chrono::milliseconds patience);
    void release() noexcept;

    int m_folder = -1;
    int m_ticket = -1;
    std::uint64_t m_number = 0;
};

} // namespace credenza::accounts
