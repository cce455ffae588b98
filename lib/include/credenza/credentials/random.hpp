#pragma once
// Randomness behind an interface, so tests can feed chosen values to the generator.

#include <cstdint>

namespace credenza::credentials {

// Initialises libsodium once (thread-safe, idempotent); Error(internal) when it cannot.
// Every function of credenza::credentials that needs libsodium calls it first.
void ensure_sodium();

class RandomSource
{
public:
    virtual ~RandomSource() = default;
    // Uniform in [0, upper_bound), without modulo bias; upper_bound must be at least 1.
    virtual std::uint32_t uniform(std::uint32_t upper_bound) = 0;
};

// libsodium's CSPRNG, read 256 bytes at a time per thread (a block is never reused by a forked
// child), with randombytes_uniform's rejection of the words that would bias the remainder.
class SodiumRandom final : public RandomSource
{
public:
    std::uint32_t uniform(std::uint32_t upper_bound) override;
};

// A process-wide SodiumRandom.
RandomSource& system_random();

} // namespace credenza::credentials
