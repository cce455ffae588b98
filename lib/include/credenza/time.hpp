#pragma once
// Timestamps as stored in the database: UTC, ISO 8601, second precision ("2026-11-23T09:15:00Z"),
// so that text order is time order.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace credenza {

using TimePoint = std::chrono::system_clock::time_point;

std::string iso_time(TimePoint time);
std::optional<TimePoint> parse_iso_time(std::string_view text);
inline std::string iso_now()
{
    return iso_time(std::chrono::system_clock::now());
}

} // namespace credenza
