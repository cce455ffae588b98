#pragma once

#include <iosfwd>

namespace credenza::cli {

// Parses the command line, runs one subcommand and returns its exit status.
// The one place where errors become messages and sysexits codes.
int run(int argc, char** argv, std::ostream& out, std::ostream& err) noexcept;

} // namespace credenza::cli
