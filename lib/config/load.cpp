// load_settings(): built-in defaults, then the config file, then the CREDENZA_* environment.

#include "keys.hpp"

#include <credenza/error.hpp>
#include <credenza/mail/address.hpp>
#include <credenza/mail/transport.hpp>
#include <credenza/util/text.hpp>

#include <boost/program_options/errors.hpp>
#include <boost/program_options/parsers.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include "i18n/gettext.hpp"

extern char** environ; // POSIX; <unistd.h> declares it only with _GNU_SOURCE

namespace credenza::config {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;
using detail::Place;
using Places = std::map<std::string, Place, std::less<>>;

constexpr std::string_view k_config_variable = "CREDENZA_CONFIG";
// The SMTP secret is read by the mail module straight from the environment, never kept in Settings.
constexpr std::string_view k_smtp_password_variable = "CREDENZA_SMTP_PASSWORD";

Error unreadable(const fs::path& path, int error_number)
{
    return Error(ErrorCode::config,
                 credenza::i18n::format(_fmt("cannot read config file '{}': {}"), path.string(), std::strerror(error_number)));
}

std::string read_config_file(const fs::path& path)
{
    std::error_code ignored;
    if (fs::is_directory(path, ignored)) {
        throw unreadable(path, EISDIR);
    }
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw unreadable(path, errno != 0 ? errno : ENOENT);
    }
    std::string text(std::istreambuf_iterator<char>(in), {});
    if (in.bad()) {
        throw unreadable(path, errno != 0 ? errno : EIO);
    }
    // Windows editors start UTF-8 files with a byte order mark; Boost would take it for part of a key.
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.erase(0, 3);
    }
    return text;
}

// --config, else $CREDENZA_CONFIG (both must be readable), else the default when it exists.
std::optional<fs::path> choose_config_file(const LoadOptions& options)
{
    if (options.config_file) {
        return options.config_file;
    }
    if (const char* named = options.getenv(k_config_variable.data()); named != nullptr && *named != '\0') {
        return fs::path(named);
    }
    std::error_code error;
    // When existence cannot be checked (a directory we may not search), reading says why.
    if (fs::exists(options.default_config, error) || error) {
        return options.default_config;
    }
    return std::nullopt;
}

// Boost's parse_config_file keeps no line numbers. This scan follows the same rules ('#' starts a
// comment, "[section]" prefixes the keys after it with "section.", "key = value") to say where each
// key is, and rejects what Boost would reject, with a line number and without echoing the line.
// Returns the line of each key: "smtp.url" -> 4.
std::map<std::string, int> scan_lines(const std::string& text, const std::string& path)
{
    std::map<std::string, int> lines;
    std::istringstream in(text);
    std::string section;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        const auto content = util::trim(std::string_view(line).substr(0, line.find('#')), util::k_whitespace);
        if (content.empty()) {
            continue;
        }
        if (content.front() == '[' && content.back() == ']') {
            section = content.substr(1, content.size() - 2) + ".";
            continue;
        }
        const auto equals = content.find('=');
        if (equals == std::string::npos) {
            throw Error(ErrorCode::config, credenza::i18n::format(_fmt("{}:{}: expected '[section]' or 'key = value'"), path, number));
        }
        const auto key = section + util::trim(std::string_view(content).substr(0, equals), util::k_whitespace);
        const auto [previous, inserted] = lines.emplace(key, number);
        if (!inserted) {
            throw Error(ErrorCode::config, credenza::i18n::format(_fmt("{}:{}: '{}' is set twice (first on line {})"), path, number,
                                                       key, previous->second));
        }
    }
    return lines;
}

// Quotes are not INI syntax for Boost, but people write name = "Liceo Galilei".
std::string unquoted(const std::string& value)
{
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        return value.substr(1, value.size() - 2);
    }
    return value;
}

po::parsed_options parse(const std::string& text, const std::string& path)
{
    std::istringstream in(text);
    try {
        // Unknown keys come back marked unregistered, so the message can name their line.
        return po::parse_config_file(in, detail::options_description(), /*allow_unregistered=*/true);
    } catch (const po::error&) {
        // scan_lines() rejects what Boost rejects first; this is a safety net, and echoes no line.
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("cannot parse config file '{}'"), path));
    }
}

// "unknown key 'smtp.pasword': did you mean 'smtp.password_file'?" or "unknown section '[stmp]'".
Error unknown_key(const std::string& where, const std::string& name)
{
    if (name == "smtp.password") {
        return Error(ErrorCode::config,
                     credenza::i18n::format(_fmt("{}: unknown key 'smtp.password': put the password in a 0600 file named by "
                                 "'smtp.password_file', or in CREDENZA_SMTP_PASSWORD"),
                                 where));
    }
    const auto dot = name.find('.');
    if (dot != std::string::npos && !detail::is_section(name.substr(0, dot))) {
        const auto section = name.substr(0, dot);
        const auto closest = detail::closest_section(section);
        return Error(ErrorCode::config,
                     credenza::i18n::format(_fmt("{}: unknown section '[{}]'{}"), where, section,
                                 closest.empty() ? std::string() : credenza::i18n::format(_fmt(": did you mean '[{}]'?"), closest)));
    }
    const auto closest = detail::closest_key(name);
    return Error(ErrorCode::config,
                 credenza::i18n::format(_fmt("{}: unknown key '{}'{}"), where, name,
                             closest.empty() ? std::string() : credenza::i18n::format(_fmt(": did you mean '{}'?"), closest)));
}

void apply_config_file(Settings& settings, const fs::path& file, Places& places)
{
    const auto path = file.string();
    const auto text = read_config_file(file);
    const auto lines = scan_lines(text, path);

    for (const auto& option : parse(text, path).options) {
        const auto line = lines.find(option.string_key);
        const auto where = line == lines.end() ? path : fmt::format("{}:{}", path, line->second);
        const auto* key = detail::find_key(option.string_key);
        if (option.unregistered || key == nullptr) {
            throw unknown_key(where, option.string_key);
        }
        const auto value = option.value.empty() ? std::string() : option.value.front();
        Place place{where, fmt::format("'{}'", key->name)};
        detail::assign(settings, *key, unquoted(value), place);
        places.insert_or_assign(std::string(key->name), std::move(place));
    }
}

// Boost's parse_environment() reads `environ` itself; the getenv seam of LoadOptions lets tests use a
// fake environment instead, so the variables are looked up here and converted by the same assign().
void apply_environment(Settings& settings, const LoadOptions& options, Places& places)
{
    std::set<std::string, std::less<>> known = {std::string(k_config_variable),
                                                std::string(k_smtp_password_variable)};
    for (const auto& key : detail::keys()) {
        known.insert(environment_name(std::string(key.name)));
    }
    for (const auto& name : options.environment_names()) {
        if (name.starts_with("CREDENZA_") && !known.contains(name) && options.getenv(name.c_str()) != nullptr) {
            throw Error(ErrorCode::config, credenza::i18n::format(_fmt("unknown environment variable '{}'"), name));
        }
    }

    for (const auto& key : detail::keys()) {
        const auto name = environment_name(std::string(key.name));
        if (const char* value = options.getenv(name.c_str()); value != nullptr) {
            Place place{"environment", name};
            detail::assign(settings, key, value, place);
            places.insert_or_assign(std::string(key.name), std::move(place));
        }
    }
}

Place place_of(const Places& places, std::string_view key)
{
    const auto found = places.find(key);
    return found != places.end() ? found->second : Place{"settings", fmt::format("'{}'", key)};
}

// Checks that need more than one key, once the file and the environment are both read.
void check_together(const Settings& settings, const Places& places, const LoadOptions& options)
{
    if (!settings.mail.from.empty()) {
        const auto parsed = mail::parse_sender(settings.mail.from);
        if (!parsed.problem.empty()) {
            const auto place = place_of(places, "mail.from");
            throw Error(ErrorCode::config,
                        credenza::i18n::format(_fmt("{}: bad value for {}: {} (write 'address@domain' or "
                                    "'Name <address@domain>')"),
                                    place.where, place.label, parsed.problem));
        }
    }
    if (settings.smtp.tls == "none" && places.contains("smtp.tls")) {
        const auto place = place_of(places, "smtp.tls");
        const auto host = mail::url_host(settings.smtp.url);
        const char* password = options.getenv("CREDENZA_SMTP_PASSWORD");
        const bool has_password = !settings.smtp.user.empty() || !settings.smtp.password_file.empty()
                               || (password != nullptr && *password != '\0');
        if (!settings.smtp.url.empty() && !mail::is_loopback_host(host)) {
            throw Error(ErrorCode::config,
                        credenza::i18n::format(_fmt("{}: {} = none sends letters in clear: it is allowed only for a server on this "
                                    "machine (127.0.0.1 or localhost); use 'starttls' or 'implicit'"),
                                    place.where, place.label));
        }
        if (has_password) {
            throw Error(ErrorCode::config,
                        credenza::i18n::format(_fmt("{}: {} = none would send the SMTP password in clear: use 'starttls' or "
                                    "'implicit', or remove 'smtp.user' and the password"),
                                    place.where, place.label));
        }
    }
}

} // namespace

std::vector<std::string> process_environment_names()
{
    std::vector<std::string> names;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view variable(*entry);
        names.emplace_back(variable.substr(0, variable.find('=')));
    }
    return names;
}

Settings load_settings(const LoadOptions& options)
{
    Settings settings;
    Places places;
    settings.config_file = choose_config_file(options);
    if (settings.config_file) {
        apply_config_file(settings, *settings.config_file, places);
    }
    apply_environment(settings, options, places);
    check_together(settings, places, options);
    return settings;
}

} // namespace credenza::config
