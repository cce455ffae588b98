#include <credenza/credentials/random.hpp>

#include <credenza/error.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstdint>

#include <sys/wait.h>
#include <unistd.h>

using namespace credenza::credentials;

TEST_CASE("random: sodium random stays below the bound and reaches every value")
{
    SodiumRandom random;
    std::array<int, 7> seen{};
    for (int i = 0; i < 7000; ++i) {
        const auto value = random.uniform(7);
        REQUIRE(value < 7);
        ++seen[value];
    }
    for (const int count : seen) {
        CHECK(count > 0);
    }
    CHECK(random.uniform(1) == 0);
}

TEST_CASE("random: an upper bound of 0 is a bug, reported as internal")
{
    SodiumRandom random;
    try {
        random.uniform(0);
        FAIL("no error thrown");
    } catch (const credenza::Error& error) {
        CHECK(error.code() == credenza::ErrorCode::internal);
    }
}

TEST_CASE("random: system_random is one process-wide source")
{
    CHECK(&system_random() == &system_random());
    CHECK(system_random().uniform(10) < 10);
}

TEST_CASE("random: a forked child does not draw what its parent drew")
{
    // The source reads the CSPRNG in blocks: the child must not reuse the rest of its parent's block.
    SodiumRandom random;
    random.uniform(1u << 31); // the parent's block is now read and mostly unused
    int pipe_fds[2];
    REQUIRE(pipe(pipe_fds) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    std::array<std::uint32_t, 16> drawn{};
    if (child == 0) {
        for (auto& value : drawn) {
            value = random.uniform(0xffffffffu);
        }
        const auto written = write(pipe_fds[1], drawn.data(), sizeof drawn);
        _exit(written == static_cast<ssize_t>(sizeof drawn) ? 0 : 1);
    }
    for (auto& value : drawn) {
        value = random.uniform(0xffffffffu);
    }
    std::array<std::uint32_t, 16> child_drawn{};
    std::size_t read_bytes = 0;
    while (read_bytes < sizeof child_drawn) {
        const auto n = read(pipe_fds[0], reinterpret_cast<char*>(child_drawn.data()) + read_bytes,
                            sizeof child_drawn - read_bytes);
        REQUIRE(n > 0);
        read_bytes += static_cast<std::size_t>(n);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    CHECK(drawn != child_drawn);
}

TEST_CASE("random: a bound that does not divide 2^32 is still uniform")
{
    // 3 * 2^30 leaves 2^30 words that rejection must drop: without it the lowest third would be drawn
    // twice as often as the rest.
    SodiumRandom random;
    const std::uint32_t bound = 3u << 30;
    int low = 0;
    const int draws = 30000;
    for (int i = 0; i < draws; ++i) {
        low += random.uniform(bound) < (1u << 30) ? 1 : 0;
    }
    // Expected a third (10,000); a biased source gives a half (15,000). 6 sigma is about 490.
    CHECK(low > 9400);
    CHECK(low < 10600);
}
