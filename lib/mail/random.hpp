#pragma once
// Private to lib/mail: random hex from libsodium's CSPRNG.

#include <string>

namespace credenza::mail::detail {

// 2 * bytes lower-case hex characters. Throws Error(internal) if libsodium cannot start.
std::string random_hex(std::size_t bytes);

} // namespace credenza::mail::detail
