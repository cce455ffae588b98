#include <credenza/credentials/random.hpp>

#include <credenza/error.hpp>

#include <doctest/doctest.h>

#include <array>

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
