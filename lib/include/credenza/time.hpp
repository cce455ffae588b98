#pragma once
// Timestamps as stored in the database: UTC, ISO 8601, second precision ("2026-11-23T09:15:00Z"),
// so that text order is time order. The library reads the time only through a Clock that its
// caller gives it, so tests set the time instead of back-dating rows.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace credenza {

using TimePoint = std::chrono::system_clock::time_point;

std::string iso_time(TimePoint time);
std::optional<TimePoint> parse_iso_time(std::string_view text);

class Clock
{
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    std::string iso_now() const { return iso_time(now()); }
};

// The wall clock: what every front end uses outside of tests.
const Clock& system_clock();

// A clock that stands still until told otherwise (unit tests).
class FixedClock final : public Clock
{
public:
    explicit FixedClock(TimePoint start) : m_now(start) {}
    TimePoint now() const override { return m_now; }
    void set(TimePoint time) { m_now = time; }
    void advance(std::chrono::seconds by) { m_now += by; }

private:
    TimePoint m_now;
};

inline std::string iso_now()
{
    return system_clock().iso_now();
}

} // namespace credenza

namespace credenza {

// Times as people read them: in the school's time zone ([school] timezone, else the system's).
// The zone is the process's (TZ), as for every C program; a front end sets it once at start.

// Whether `name` is a zone of the system's tz database ("Europe/Rome", "UTC").
bool is_time_zone(std::string_view name);
// Makes `name` the zone of every local time this process shows; "" leaves the system's.
void use_time_zone(const std::string& name);

enum class TimeStyle {
    english, // "2026-12-01 20:07"
    italian, // "01/12/2026 20:07"
    iso,     // "2026-12-01T20:07:10+01:00": ISO 8601 with the offset, for programs (JSON)
};

// The style for a reader of `language` ("it" or "en").
TimeStyle reader_style(std::string_view language);
// `with_seconds` where a person must wait for the time to the second (a retry after 30 s).
std::string local_time(TimePoint time, TimeStyle style, bool with_seconds = false);
// A stored time ("2026-12-01T19:07:10Z") in `style`, in the local zone; any other text unchanged.
std::string local_time(std::string_view stored, TimeStyle style, bool with_seconds = false);
// A stored date ("2011-03-14", a birth date) in `style`: "14/03/2011" in Italian; any other text unchanged.
std::string local_date(std::string_view stored, TimeStyle style);
// A date or time as a person types it, in the local zone: "2026-12-01" or "01/12/2026" (the start
// of that day), "2026-12-01 08:30", "2026-12-01T08:30" or "01/12/2026 08:30" (seconds optional); a stored time
// ("2026-12-01T07:30:00Z") is UTC. Nothing else, and no day that is not in the calendar.
std::optional<TimePoint> parse_local_time(std::string_view text);

} // namespace credenza
