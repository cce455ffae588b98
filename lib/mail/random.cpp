#include "random.hpp"

#include <credenza/error.hpp>

#include <sodium.h>

#include <vector>
#include "i18n/gettext.hpp"

namespace credenza::mail::detail {

std::string random_hex(std::size_t bytes)
{
    // sodium_init is idempotent and thread-safe; it returns 1 when already initialised.
    if (sodium_init() < 0) {
        throw Error(ErrorCode::internal, _("cannot initialise libsodium"));
    }
    std::vector<unsigned char> random(bytes);
    randombytes_buf(random.data(), random.size());
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), random.data(), random.size());
    hex.pop_back();
    return hex;
}

} // namespace credenza::mail::detail
