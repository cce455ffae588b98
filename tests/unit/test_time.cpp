#include <credenza/time.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

using credenza::local_time;
using credenza::TimeStyle;

namespace {

// Sets the process's zone for one case and gives the previous one back.
class Zone
{
public:
    explicit Zone(const char* name)
    {
        if (const char* old = std::getenv("TZ")) {
            m_saved = old;
        }
        ::setenv("TZ", name, 1);
        ::tzset();
    }
    ~Zone()
    {
        if (m_saved) {
            ::setenv("TZ", m_saved->c_str(), 1);
        } else {
            ::unsetenv("TZ");
        }
        ::tzset();
    }
    Zone(const Zone&) = delete;
    Zone& operator=(const Zone&) = delete;

private:
    std::optional<std::string> m_saved;
};

} // namespace

TEST_CASE("time: a winter time in Rome is UTC+1, in Italian, English and ISO with the offset")
{
    const Zone rome("Europe/Rome");
    const std::string stored = "2026-12-01T19:07:10Z";
    CHECK(local_time(stored, TimeStyle::italian) == "01/12/2026 20:07");
    CHECK(local_time(stored, TimeStyle::english) == "2026-12-01 20:07");
    CHECK(local_time(stored, TimeStyle::iso) == "2026-12-01T20:07:10+01:00");
}

TEST_CASE("time: a summer time in Rome is UTC+2 (CEST), also across midnight")
{
    const Zone rome("Europe/Rome");
    CHECK(local_time("2026-07-15T19:07:10Z", TimeStyle::italian) == "15/07/2026 21:07");
    CHECK(local_time("2026-07-15T19:07:10Z", TimeStyle::iso) == "2026-07-15T21:07:10+02:00");
    CHECK(local_time("2026-07-15T22:30:00Z", TimeStyle::italian) == "16/07/2026 00:30");
}

TEST_CASE("time: in UTC the ISO form says +00:00, and the reader's style follows the language")
{
    const Zone utc("UTC");
    CHECK(local_time("2026-12-01T19:07:10Z", TimeStyle::iso) == "2026-12-01T19:07:10+00:00");
    CHECK(credenza::reader_style("it") == TimeStyle::italian);
    CHECK(credenza::reader_style("en") == TimeStyle::english);
}

TEST_CASE("time: text that is not a stored time is left as it is")
{
    const Zone rome("Europe/Rome");
    CHECK(local_time("2008-05-01", TimeStyle::italian) == "2008-05-01");
    CHECK(local_time("", TimeStyle::italian).empty());
    CHECK(local_time("Rossi", TimeStyle::iso) == "Rossi");
    CHECK(local_time("2026-12-01T19:07:10+01:00", TimeStyle::italian) == "2026-12-01T19:07:10+01:00");
}

TEST_CASE("time: time zone names are those of the tz database, and nothing else")
{
    CHECK(credenza::is_time_zone("Europe/Rome"));
    CHECK(credenza::is_time_zone("UTC"));
    CHECK_FALSE(credenza::is_time_zone("Europe"));
    CHECK_FALSE(credenza::is_time_zone("Europe/Roma"));
    CHECK_FALSE(credenza::is_time_zone(""));
    CHECK_FALSE(credenza::is_time_zone("../../../etc/passwd"));
    CHECK_FALSE(credenza::is_time_zone("/usr/share/zoneinfo/Europe/Rome"));
    CHECK_FALSE(credenza::is_time_zone("CET-1CEST"));
}

TEST_CASE("time: a stored date reads DD/MM/YYYY in Italian and stays as it is otherwise")
{
    CHECK(credenza::local_date("2011-03-14", TimeStyle::italian) == "14/03/2011");
    CHECK(credenza::local_date("2011-03-14", TimeStyle::english) == "2011-03-14");
    CHECK(credenza::local_date("2011-03-14", TimeStyle::iso) == "2011-03-14");
    CHECK(credenza::local_date("1A", TimeStyle::italian) == "1A");
    CHECK(credenza::local_date("2011/03/14", TimeStyle::italian) == "2011/03/14");
    CHECK(credenza::local_date("20x1-03-14", TimeStyle::italian) == "20x1-03-14");
}

TEST_CASE("time: a date or time typed by a person is read in the school's zone, winter and summer")
{
    const Zone rome("Europe/Rome");
    const auto stored = [](std::string_view text) {
        const auto time = credenza::parse_local_time(text);
        return time ? credenza::iso_time(*time) : std::string("none");
    };
    // The start of the day in Rome is 23:00 UTC the day before in winter, 22:00 in summer.
    CHECK(stored("2026-12-01") == "2026-11-30T23:00:00Z");
    CHECK(stored("01/12/2026") == "2026-11-30T23:00:00Z");
    CHECK(stored("2026-07-15") == "2026-07-14T22:00:00Z");
    CHECK(stored("2026-12-01 08:30") == "2026-12-01T07:30:00Z");
    CHECK(stored("2026-12-01T08:30:15") == "2026-12-01T07:30:15Z");
    CHECK(stored("01/12/2026 08:30") == "2026-12-01T07:30:00Z"); // as the Italian listings print it
    CHECK(stored("01/12/2026 08:30:15") == "2026-12-01T07:30:15Z");
    // A stored time is UTC already.
    CHECK(stored("2026-12-01T08:30:15Z") == "2026-12-01T08:30:15Z");
}

TEST_CASE("time: a typed date that is not in the calendar, or another shape, names no time")
{
    const Zone rome("Europe/Rome");
    for (const char* text : {"", "yesterday", "2026-02-30", "31/04/2026", "2026-13-01", "2026-12-01 24:00",
                             "2026-12-01 08:60", "2026-12-1", "1/12/2026", "12/01/26", "2026-12-01 8:30",
                             "2026-12-01T08:30Z", " 2026-12-01", "01/12/2026 8:30", "01/12/2026T08:30"}) {
        CAPTURE(text);
        CHECK_FALSE(credenza::parse_local_time(text));
    }
    CHECK(credenza::parse_local_time("29/02/2028")); // a leap year
}
