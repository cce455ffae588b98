// Measures the Argon2id limit: how long THREADS threads take to make COUNT
// Argon2id hashes at the configured cost (or, with "verify", COUNT verifications
// of one hash). scripts/bench divides a real send's or verify's time by this.
//   credenza_bench_hash COUNT THREADS MEMLIMIT_MIB OPSLIMIT [verify]
// Prints the seconds on one line: wall clock, then CPU (user + system, of the hashes only).

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <time.h>
#include <unistd.h>

#include <credenza/credentials/hasher.hpp>
#include <credenza/credentials/key_ring.hpp>

static double cpu_seconds()
{
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

int main(int argc, char** argv)
{
    const bool verify = argc == 6 && std::string(argv[5]) == "verify";
    if (argc != 5 && !verify) {
        std::fprintf(stderr, "usage: credenza_bench_hash COUNT THREADS MEMLIMIT_MIB OPSLIMIT [verify]\n");
        return 64;
    }
    const int count = std::atoi(argv[1]);
    const int threads = std::atoi(argv[2]);
    const auto key_path = std::filesystem::temp_directory_path() /
                          ("credenza-bench-" + std::to_string(::getpid()) + ".key");
    credenza::credentials::KeyRing::create(key_path);
    const auto keys = credenza::credentials::KeyRing::load(key_path);
    std::filesystem::remove(key_path);
    const credenza::credentials::Hasher hasher(
        keys, credenza::credentials::KdfCost::from_settings(std::atoi(argv[3]), std::atoi(argv[4])));

    const std::string stored =
        verify ? hasher.hash(credenza::credentials::Purpose::password, 1, "Bench-Secret-123") : std::string();
    std::atomic<int> next = 0;
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            while (next.fetch_add(1) < count) {
                if (verify) {
                    (void)hasher.verify(credenza::credentials::Purpose::password, 1, "Bench-Secret-123", stored);
                } else {
                    (void)hasher.hash(credenza::credentials::Purpose::password, 1, "Bench-Secret-123");
                }
            }
        });
    }
    for (auto& thread : pool) {
        thread.join();
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    std::printf("%.3f %.3f\n", elapsed.count(), cpu_seconds() - cpu_start);
    return 0;
}
