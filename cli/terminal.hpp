#pragma once
// Reading a secret: from the terminal without echo, or one line of standard input
// when it is not a terminal (a web front end, a test, a pipe). Never from argv.

#include <credenza/credentials/secret.hpp>

namespace credenza::cli {

// Error(bad_input) at end of input.
credentials::Secret read_secret(const char* prompt);

bool stdin_is_terminal();

} // namespace credenza::cli
