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
