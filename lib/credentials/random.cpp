#include <credenza/credentials/random.hpp>

#include <credenza/error.hpp>

#include <sodium.h>
#include "i18n/gettext.hpp"

namespace credenza::credentials {

void ensure_sodium()
{
    // sodium_init() returns 1 when already initialised; only -1 is a failure.
    static const bool ready = sodium_init() >= 0;
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
    return randombytes_uniform(upper_bound);
}

RandomSource& system_random()
{
    static SodiumRandom random;
    return random;
}

} // namespace credenza::credentials
