#include <credenza/credentials/random.hpp>

#include <credenza/error.hpp>

#include <array>
#include <atomic>

#include <pthread.h>
#include <sodium.h>
#include "i18n/gettext.hpp"

namespace credenza::credentials {

namespace {

// Bumped in a forked child: a child must never reuse the bytes its parent drew but had not used
// yet (both would then make the same passwords).
std::atomic<unsigned> g_fork_generation{0};

void after_fork_in_child()
{
    g_fork_generation.fetch_add(1, std::memory_order_relaxed);
}

// libsodium's CSPRNG read in blocks: one getrandom(2) call gives 64 draws, where
// randombytes_uniform makes one per draw (a sixth of a 20,000-pupil import went to those calls).
// Each thread has its own block; every word is wiped once used.
class Block
{
public:
    std::uint32_t next_word()
    {
        const unsigned generation = g_fork_generation.load(std::memory_order_relaxed);
        if (m_next == m_words.size() || generation != m_generation) {
            randombytes_buf(m_words.data(), sizeof m_words);
            m_next = 0;
            m_generation = generation;
        }
        const std::uint32_t word = m_words[m_next];
        sodium_memzero(&m_words[m_next], sizeof word);
        ++m_next;
        return word;
    }

    ~Block() { sodium_memzero(m_words.data(), sizeof m_words); }

private:
    std::array<std::uint32_t, 64> m_words{};
    std::size_t m_next = m_words.size();
    unsigned m_generation = 0;
};

} // namespace

void ensure_sodium()
{
    // sodium_init() returns 1 when already initialised; only -1 is a failure.
    static const bool ready = sodium_init() >= 0 && pthread_atfork(nullptr, nullptr, after_fork_in_child) == 0;
    if (!ready) {
        throw Error(ErrorCode::internal, _("cannot initialise libsodium"));
    }
}

std::uint32_t SodiumRandom::uniform(std::uint32_t upper_bound)
{
    if (upper_bound == 0) {
        throw Error(ErrorCode::internal, _("random number requested below an upper bound of 0"));
    }
    ensure_sodium();
    thread_local Block block;
    // As randombytes_uniform: reject the words below 2^32 mod upper_bound, so that what is left
    // is a whole number of copies of [0, upper_bound) and the remainder has no modulo bias.
    const std::uint32_t reject_below = (1U + ~upper_bound) % upper_bound;
    std::uint32_t word = 0;
    do {
        word = block.next_word();
    } while (word < reject_below);
    return word % upper_bound;
}

RandomSource& system_random()
{
    static SodiumRandom random;
    return random;
}

} // namespace credenza::credentials
