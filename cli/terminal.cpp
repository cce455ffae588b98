#include "cli/terminal.hpp"

#include <cstdio>
#include <optional>
#include <sstream>
#include <termios.h>
#include <unistd.h>

#include <credenza/error.hpp>

#include "lib/i18n/gettext.hpp"

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
            throw Error(ErrorCode::bad_input, _("the secret is too long"));
        }
        secret.push_back(c);
    }
    if (!any) {
        throw Error(ErrorCode::bad_input, _("no secret given on standard input"));
    }
    return secret;
}

TerminalFilter::~TerminalFilter()
{
    settle();
    m_sink->pubsync();
}

void TerminalFilter::escape(unsigned char c)
{
    static constexpr char digits[] = "0123456789abcdef";
    const char text[] = {'\\', 'x', digits[c >> 4], digits[c & 15]};
    m_sink->sputn(text, sizeof text);
}

void TerminalFilter::settle()
{
    if (m_pending == '\r') {
        escape('\r');
    } else if (m_pending == 0xC2) {
        m_sink->sputc(static_cast<char>(0xC2));
    }
    m_pending = -1;
}

void TerminalFilter::emit(unsigned char c)
{
    if (m_pending == '\r') {
        m_pending = -1;
        if (c == '\n') {
            m_sink->sputc('\r');
            m_sink->sputc('\n');
            return;
        }
        escape('\r');
    } else if (m_pending == 0xC2) {
        m_pending = -1;
        if (c >= 0x80 && c <= 0x9F) { // U+0080..U+009F: the C1 controls (CSI, OSC, ...)
            static constexpr char digits[] = "0123456789abcdef";
            const char text[] = {'\\', 'u', '0', '0', digits[c >> 4], digits[c & 15]};
            m_sink->sputn(text, sizeof text);
            return;
        }
        m_sink->sputc(static_cast<char>(0xC2));
    }
    if (c == '\r' || c == 0xC2) {
        m_pending = c;
    } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
        escape(c);
    } else {
        m_sink->sputc(static_cast<char>(c));
    }
}

TerminalFilter::int_type TerminalFilter::overflow(int_type c)
{
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
        emit(static_cast<unsigned char>(traits_type::to_char_type(c)));
    }
    return traits_type::not_eof(c);
}

int TerminalFilter::sync()
{
    return m_sink->pubsync();
}

void TerminalFilter::write_raw(std::string_view control)
{
    settle();
    m_sink->sputn(control.data(), static_cast<std::streamsize>(control.size()));
}

void write_control(std::ostream& out, std::string_view control)
{
    out.flush();
    if (auto* filter = dynamic_cast<TerminalFilter*>(out.rdbuf())) {
        filter->write_raw(control);
    } else {
        out << control;
    }
}

std::string terminal_safe(std::string_view text)
{
    std::ostringstream sink;
    {
        TerminalFilter filter(sink.rdbuf());
        std::ostream out(&filter);
        out << text;
        out.flush();
    }
    return sink.str();
}

} // namespace credenza::cli
