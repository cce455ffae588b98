#include "cli/terminal.hpp"

#include <cstdio>
#include <optional>
#include <termios.h>
#include <unistd.h>

#include <credenza/error.hpp>

namespace credenza::cli {

namespace {

constexpr std::size_t k_max_secret = 1024;

// Restores the terminal however we leave.
class NoEcho
{
public:
    NoEcho()
    {
        if (::tcgetattr(STDIN_FILENO, &m_saved) == 0) {
            termios quiet = m_saved;
            quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
            m_active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    ~NoEcho()
    {
        if (m_active) {
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
            std::fputc('\n', stderr);
        }
    }
    NoEcho(const NoEcho&) = delete;
    NoEcho& operator=(const NoEcho&) = delete;

private:
    termios m_saved{};
    bool m_active = false;
};

} // namespace

bool stdin_is_terminal()
{
    return ::isatty(STDIN_FILENO) != 0;
}

credentials::Secret read_secret(const char* prompt)
{
    credentials::Secret secret;
    const bool terminal = stdin_is_terminal();
    std::optional<NoEcho> no_echo;
    if (terminal) {
        std::fputs(prompt, stderr);
        std::fflush(stderr);
        no_echo.emplace();
    }
    // Byte by byte with read(2): stdio would keep a copy of the secret in its buffer.
    bool any = false;
    while (true) {
        char c = 0;
        const ssize_t got = ::read(STDIN_FILENO, &c, 1);
        if (got <= 0) {
            break;
        }
        any = true;
        if (c == '\n') {
            break;
        }
        if (c == '\r') {
            continue;
        }
        if (secret.size() >= k_max_secret) {
            throw Error(ErrorCode::bad_input, "the secret is too long");
        }
        secret.push_back(c);
    }
    if (!any) {
        throw Error(ErrorCode::bad_input, "no secret given on standard input");
    }
    return secret;
}

} // namespace credenza::cli
