#pragma once
// Reading a secret: from the terminal without echo, or one line of standard input
// when it is not a terminal (a web front end, a test, a pipe). Never from argv.

#include <credenza/credentials/secret.hpp>

#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace credenza::cli {

// Error(bad_input) at end of input.
credentials::Secret read_secret(const char* prompt);

bool stdin_is_terminal();

// The one sanitiser of everything this program shows on a terminal. Installed by main() on
// stdout and stderr when they are terminals, it writes every control character (C0 but line
// feed and tab, DEL, the C1 controls U+0080..U+009F) as a visible escape "\x1b", so that no
// value read from a file or a database (a class, a codice fiscale, a column name, an error)
// can move the cursor, retitle the window or hide text. A carriage return is let through only
// as part of a "\r\n" line end. The program's own control sequences go through
// write_control().
class TerminalFilter : public std::streambuf
{
public:
    explicit TerminalFilter(std::streambuf* sink) : m_sink(sink) {}
    ~TerminalFilter() override;
    TerminalFilter(const TerminalFilter&) = delete;
    TerminalFilter& operator=(const TerminalFilter&) = delete;

    void write_raw(std::string_view control);

protected:
    int_type overflow(int_type c) override;
    int sync() override;

private:
    void emit(unsigned char c);
    void escape(unsigned char c);
    void settle();

    std::streambuf* m_sink;
    int m_pending = -1; // a '\r' or a UTF-8 lead byte 0xC2 waiting for the next byte
};

// Writes the program's own terminal control sequence (bold, a carriage return that redraws a
// progress line) past the filter; to a stream without one it is written as is.
void write_control(std::ostream& out, std::string_view control);

// The sanitised form of `text`, as the filter writes it: for values shown elsewhere.
std::string terminal_safe(std::string_view text);

} // namespace credenza::cli
