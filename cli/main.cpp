#include <csignal>
#include <iostream>
#include <optional>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli/app.hpp"
#include "cli/terminal.hpp"

int main(int argc, char** argv)
{
    // A core dump of a running `send` would hold the pepper and the secrets of the letters in
    // flight: none is ever written, and no other user's debugger may attach.
    const rlimit no_core{0, 0};
    static_cast<void>(::setrlimit(RLIMIT_CORE, &no_core));
    static_cast<void>(::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
    // A file size limit (ulimit -f) reached is a full disk like any other: write(2) fails with
    // EFBIG and the command stops with its I/O error, instead of being killed half-way.
    static_cast<void>(std::signal(SIGXFSZ, SIG_IGN));

    // Everything shown on a terminal passes the one sanitiser (cli/terminal.hpp).
    std::optional<credenza::cli::TerminalFilter> out_filter;
    std::optional<credenza::cli::TerminalFilter> err_filter;
    std::streambuf* const out_sink = std::cout.rdbuf();
    std::streambuf* const err_sink = std::cerr.rdbuf();
    if (::isatty(STDOUT_FILENO) != 0) {
        std::cout.rdbuf(&out_filter.emplace(out_sink));
    }
    if (::isatty(STDERR_FILENO) != 0) {
        std::cerr.rdbuf(&err_filter.emplace(err_sink));
    }
    const int status = credenza::cli::run(argc, argv, std::cout, std::cerr);
    std::cout.flush();
    std::cerr.flush();
    std::cout.rdbuf(out_sink);
    std::cerr.rdbuf(err_sink);
    return status;
}
