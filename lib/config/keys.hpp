#pragma once
// The table of settings keys shared by the file and the environment readers (private to lib/config).

#include <credenza/config/settings.hpp>

#include <boost/program_options/options_description.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace credenza::config::detail {

using Target = std::variant<std::string*, int*, bool*>;

struct Range
{
    int min;
    int max;
};

struct Key
{
    std::string_view name;                  // as in the file: "db", "smtp.connections"
    Target (*target)(Settings&);            // where the value goes; its type is the key's type
    std::optional<Range> range = {};        // numbers only
    std::vector<std::string_view> choices = {}; // text only; empty = any text
};

// Where a value came from, for messages: "credenza.conf:3" and "'smtp.url'", or
// "environment" and "CREDENZA_SMTP_URL".
struct Place
{
    std::string where;
    std::string label;
};

const std::vector<Key>& keys();
const Key* find_key(std::string_view name);

// For messages about a misspelt key: whether "smtp" is a section of some key, and the known key
// (or section) closest to a name by edit distance; "" when none is close enough to be a guess.
bool is_section(std::string_view section);
std::string closest_key(std::string_view name);
std::string closest_section(std::string_view section);

// One typed Boost.Program_options value per key, so Boost does the conversions.
const boost::program_options::options_description& options_description();

// Converts `raw` through Boost and checks it, then stores it in `settings`.
// Throws Error(config) naming `place`.
void assign(Settings& settings, const Key& key, const std::string& raw, const Place& place);

} // namespace credenza::config::detail
