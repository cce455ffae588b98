#include <credenza/time.hpp>

#include <cstdio>
#include <ctime>

namespace credenza {

std::string iso_time(TimePoint time)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::optional<TimePoint> parse_iso_time(std::string_view text)
{
    if (text.size() != 20 || text[19] != 'Z') {
        return std::nullopt;
    }
    std::tm utc{};
    const std::string copy(text);
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &year, &month, &day, &hour, &minute, &second) != 6) {
        return std::nullopt;
    }
    utc.tm_year = year - 1900;
    utc.tm_mon = month - 1;
    utc.tm_mday = day;
    utc.tm_hour = hour;
    utc.tm_min = minute;
    utc.tm_sec = second;
    return std::chrono::system_clock::from_time_t(timegm(&utc));
}

namespace {

class SystemClock final : public Clock
{
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

} // namespace

const Clock& system_clock()
{
    static const SystemClock clock;
    return clock;
}

} // namespace credenza

#include <cstdlib>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

namespace credenza {

bool is_time_zone(std::string_view name)
{
    if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos ||
        name.find_first_of(" \t\n\r:,") != std::string_view::npos) {
        return false;
    }
    const char* dir = std::getenv("TZDIR");
    const std::string path = std::string(dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo") + "/" +
                             std::string(name);
    // A zone file starts with the magic "TZif" (RFC 8536); a folder such as "Europe" is no zone.
    std::ifstream file(path, std::ios::binary);
    char magic[4] = {};
    return file.read(magic, sizeof magic) && std::memcmp(magic, "TZif", sizeof magic) == 0;
}

void use_time_zone(const std::string& name)
{
    if (name.empty()) {
        return;
    }
    ::setenv("TZ", name.c_str(), 1);
    ::tzset();
}

TimeStyle reader_style(std::string_view language)
{
    return language == "it" ? TimeStyle::italian : TimeStyle::english;
}

std::string local_time(TimePoint time, TimeStyle style, bool with_seconds)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[40];
    switch (style) {
    case TimeStyle::italian:
        std::strftime(text, sizeof text, with_seconds ? "%d/%m/%Y %H:%M:%S" : "%d/%m/%Y %H:%M", &local);
        return text;
    case TimeStyle::english:
        std::strftime(text, sizeof text, with_seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &local);
        return text;
    case TimeStyle::iso: {
        const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S%z", &local);
        // %z gives "+0100"; ISO 8601 in JSON is read best as "+01:00". Built with fmt: GCC 12 at -O3
        // takes a string insert for an overflowing memcpy.
        if (length < 5) {
            return text;
        }
        const std::string_view iso(text, length);
        return fmt::format("{}:{}", iso.substr(0, length - 2), iso.substr(length - 2));
    }
    }
    return iso_time(time);
}

std::string local_time(std::string_view stored, TimeStyle style, bool with_seconds)
{
    const auto time = parse_iso_time(stored);
    return time ? local_time(*time, style, with_seconds) : std::string(stored);
}

std::string local_date(std::string_view stored, TimeStyle style)
{
    const auto digits = [&](std::size_t from, std::size_t count) {
        for (std::size_t i = from; i < from + count; ++i) {
            if (stored[i] < '0' || stored[i] > '9') {
                return false;
            }
        }
        return true;
    };
    const bool date = stored.size() == 10 && stored[4] == '-' && stored[7] == '-' && digits(0, 4) && digits(5, 2) &&
                      digits(8, 2);
    if (!date || style != TimeStyle::italian) {
        return std::string(stored);
    }
    return fmt::format("{}/{}/{}", stored.substr(8, 2), stored.substr(5, 2), stored.substr(0, 4));
}

std::optional<TimePoint> parse_local_time(std::string_view text)
{
    if (text.size() == 20 && text.back() == 'Z') {
        return parse_iso_time(text);
    }
    // Each form as a pattern: 'd' a digit, anything else itself.
    const auto shaped = [&](std::string_view pattern) {
        if (text.size() != pattern.size()) {
            return false;
        }
        for (std::size_t i = 0; i < text.size(); ++i) {
            const bool digit = text[i] >= '0' && text[i] <= '9';
            if (pattern[i] == 'd' ? !digit : text[i] != pattern[i]) {
                return false;
            }
        }
        return true;
    };
    const auto number = [&](std::size_t from, std::size_t count) {
        int value = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    std::tm local{};
    int year = 0;
    // The Italian form, as the Italian listings print it: "03/12/2026" or "03/12/2026 04:38".
    const bool it_minutes = shaped("dd/dd/dddd dd:dd");
    const bool it_seconds = shaped("dd/dd/dddd dd:dd:dd");
    if (shaped("dd/dd/dddd") || it_minutes || it_seconds) {
        local.tm_mday = number(0, 2);
        local.tm_mon = number(3, 2) - 1;
        year = number(6, 4);
        if (it_minutes || it_seconds) {
            local.tm_hour = number(11, 2);
            local.tm_min = number(14, 2);
        }
        if (it_seconds) {
            local.tm_sec = number(17, 2);
        }
    } else {
        const bool date = shaped("dddd-dd-dd");
        const bool minutes = shaped("dddd-dd-dd dd:dd") || shaped("dddd-dd-ddTdd:dd");
        const bool seconds = shaped("dddd-dd-dd dd:dd:dd") || shaped("dddd-dd-ddTdd:dd:dd");
        if (!date && !minutes && !seconds) {
            return std::nullopt;
        }
        year = number(0, 4);
        local.tm_mon = number(5, 2) - 1;
        local.tm_mday = number(8, 2);
        if (minutes || seconds) {
            local.tm_hour = number(11, 2);
            local.tm_min = number(14, 2);
        }
        if (seconds) {
            local.tm_sec = number(17, 2);
        }
    }
    local.tm_year = year - 1900;
    local.tm_isdst = -1; // the zone says whether summer time was in force
    const std::tm asked = local;
    const std::time_t seconds = std::mktime(&local);
    // mktime moves 31/02 to March and 25:00 to the next day: such a text names no time.
    if (seconds == static_cast<std::time_t>(-1) || local.tm_year != asked.tm_year || local.tm_mon != asked.tm_mon ||
        local.tm_mday != asked.tm_mday || asked.tm_hour > 23 || asked.tm_min > 59 || asked.tm_sec > 59) {
        return std::nullopt;
    }
    return std::chrono::system_clock::from_time_t(seconds);
}

} // namespace credenza
