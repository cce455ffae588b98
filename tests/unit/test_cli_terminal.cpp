#include <doctest/doctest.h>

#include <sstream>

#include "cli/terminal.hpp"

using namespace credenza::cli;

TEST_CASE("cli terminal: control characters become visible escapes, text, accents, tabs and line ends stay")
{
    CHECK(terminal_safe("Nicolò D'Angelo\t1A\n") == "Nicolò D'Angelo\t1A\n");
    CHECK(terminal_safe("\x1b]0;pwned\x07") == "\\x1b]0;pwned\\x07");
    CHECK(terminal_safe("a\x7f" "b\x01") == "a\\x7fb\\x01");
    // U+009B (CSI) and the other C1 controls, as UTF-8.
    CHECK(terminal_safe("x\xc2\x9b" "2J") == "x\\u009b2J");
    CHECK(terminal_safe("\xc2\xa0") == "\xc2\xa0"); // a no-break space is text
    // A carriage return only as part of a line end: alone it could overwrite what was shown.
    CHECK(terminal_safe("a;b\r\n") == "a;b\r\n");
    CHECK(terminal_safe("fake\rreal") == "fake\\x0dreal");
    CHECK(terminal_safe("end\r") == "end\\x0d");
}

TEST_CASE("cli terminal: the program's own control sequences pass through write_control")
{
    std::ostringstream sink;
    {
        TerminalFilter filter(sink.rdbuf());
        std::ostream out(&filter);
        write_control(out, "\x1b[1m");
        out << "Header\x1b[31m";
        write_control(out, "\x1b[0m");
        write_control(out, "\r");
        out << "[##] 1/2\n";
    }
    CHECK(sink.str() == "\x1b[1mHeader\\x1b[31m\x1b[0m\r[##] 1/2\n");
}
