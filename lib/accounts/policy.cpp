#include <credenza/accounts/policy.hpp>

#include <algorithm>
#include <functional>
#include <iterator>
#include <unordered_set>
#include <vector>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <fmt/format.h>
#include <sodium.h>

#include <credenza/embedded.hpp>
#include <credenza/error.hpp>
#include <credenza/util/text.hpp>
#include "i18n/gettext.hpp"

namespace credenza::accounts {

namespace {

constexpr std::size_t k_max_length = 128;
constexpr std::size_t k_min_personal_letters = 3;
// "abababababab" or "abcdabcdabcd": a unit this short repeated is no harder to guess than the unit.
constexpr std::size_t k_longest_repeated_unit = 4;
// A shorter base left after stripping trailing digits is too short to call a run or a pattern.
constexpr std::size_t k_min_stripped_base = 6;

// Runs that people type, walked up or down; each wraps around ("7890123", "opqwerty").
constexpr std::u32string_view k_runs[] = {
    U"0123456789", U"abcdefghijklmnopqrstuvwxyz", U"qwertyuiop", U"asdfghjkl", U"zxcvbnm",
};

// Copies of the candidate are secrets too: wipe them before their memory is freed.
// Callers reserve enough capacity up front so that no reallocation leaves a copy behind.
template <typename Text>
struct Wiped
{
    Text value;

    Wiped() = default;
    Wiped(const Wiped&) = delete;
    Wiped& operator=(const Wiped&) = delete;
    ~Wiped() { sodium_memzero(value.data(), value.capacity() * sizeof(typename Text::value_type)); }
};

bool is_control(char32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

bool is_apostrophe(char32_t c)
{
    return c == U'\'' || c == U'`' || c == 0x00B4 || c == 0x02BC || c == 0x2018 || c == 0x2019;
}

// Lower case, accents off Latin letters, apostrophes gone: "D'Angelo" and "dangelo" compare equal.
void fold(std::u32string_view text, std::u32string& folded)
{
    // A folded letter is at most two ASCII letters ("ae", "ss", "th").
    folded.reserve(folded.size() + 2 * text.size());
    for (const char32_t c : text) {
        if (is_apostrophe(c)) {
            continue;
        }
        const std::string_view ascii = util::fold_accent(c);
        if (ascii.empty()) {
            folded.push_back(util::ascii_lower(c));
        }
        for (const char letter : ascii) {
            folded.push_back(static_cast<char32_t>(letter));
        }
    }
}

bool is_separator(char32_t c)
{
    return c < 0x80 && !((c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9'));
}

// The pieces of a folded name worth refusing: every part of 3 letters or more, and the parts joined
// ("Maria Luisa" gives "maria", "luisa" and "marialuisa"; "De Luca" gives "luca" and "deluca").
std::vector<std::u32string> personal_parts(std::string_view name)
{
    std::vector<std::u32string> parts;
    std::u32string decoded;
    if (!util::append_decoded_utf8(name, decoded)) {
        return parts;
    }
    std::u32string folded;
    fold(decoded, folded);
    std::u32string joined;
    std::u32string part;
    const auto finish_part = [&] {
        if (part.size() >= k_min_personal_letters) {
            parts.push_back(part);
        }
        joined += part;
        part.clear();
    };
    for (const char32_t c : folded) {
        if (is_separator(c)) {
            finish_part();
        } else {
            part.push_back(c);
        }
    }
    finish_part();
    if (joined.size() >= k_min_personal_letters && std::find(parts.begin(), parts.end(), joined) == parts.end()) {
        parts.push_back(joined);
    }
    return parts;
}

bool contains_any(std::u32string_view folded_candidate, const std::vector<std::u32string>& needles)
{
    return std::any_of(needles.begin(), needles.end(), [&](const std::u32string& needle) {
        return folded_candidate.find(needle) != std::u32string_view::npos;
    });
}

// ASCII digits, punctuation and spaces: what people append to a word to pass a composition rule.
bool is_strippable(char c)
{
    return (c >= ' ' && c <= '/') || (c >= '0' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

// "juventus2024!" -> "juventus"; "" when nothing but digits and punctuation.
template <typename Text>
Text strip_trailing(Text text)
{
    std::size_t end = text.size();
    while (end > 0 && text[end - 1] < 0x80 && is_strippable(static_cast<char>(text[end - 1]))) {
        --end;
    }
    return text.substr(0, end);
}

template <typename Text>
Text strip_leading(Text text)
{
    std::size_t begin = 0;
    while (begin < text.size() && text[begin] < 0x80 && is_strippable(static_cast<char>(text[begin]))) {
        ++begin;
    }
    return text.substr(begin);
}

// Repeats a unit of `period` code points throughout ("abababab" has period 2).
bool has_period(std::u32string_view text, std::size_t period)
{
    if (text.size() < 2 * period) {
        return false;
    }
    for (std::size_t i = period; i < text.size(); ++i) {
        if (text[i] != text[i - period]) {
            return false;
        }
    }
    return true;
}

// Every next code point is the next (or every one the previous) of one run, wrapping around.
bool is_straight_run(std::u32string_view text)
{
    if (text.size() < 2) {
        return false;
    }
    for (const std::u32string_view run : k_runs) {
        for (const std::size_t step : {std::size_t{1}, run.size() - 1}) {
            bool straight = true;
            for (std::size_t i = 1; i < text.size() && straight; ++i) {
                const std::size_t previous = run.find(text[i - 1]);
                const std::size_t current = run.find(text[i]);
                straight = previous != std::u32string_view::npos && current != std::u32string_view::npos &&
                           current == (previous + step) % run.size();
            }
            if (straight) {
                return true;
            }
        }
    }
    return false;
}

std::string shape_problem(std::u32string_view lower)
{
    if (has_period(lower, 1)) {
        return _("must not be one character repeated");
    }
    for (std::size_t period = 2; period <= k_longest_repeated_unit; ++period) {
        if (has_period(lower, period)) {
            return _("must not be a short pattern repeated");
        }
    }
    if (is_straight_run(lower)) {
        return _("must not be a straight run of keys, letters or digits");
    }
    return "";
}

struct TextHash
{
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

using Blocklist = std::unordered_set<std::string, TextHash, std::equal_to<>>;

Blocklist parse_blocklist(std::string_view text)
{
    Blocklist entries;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos || line[first] == '#') {
            continue;
        }
        line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
        std::string entry(line);
        std::transform(entry.begin(), entry.end(), entry.begin(),
                       [](char c) { return util::ascii_lower(c); });
        entries.insert(std::move(entry));
    }
    return entries;
}

const Blocklist& blocklist()
{
    static const Blocklist entries = [] {
        const auto text = embedded_file("common_passwords.txt");
        if (!text) {
            throw Error(ErrorCode::internal, _("missing embedded file 'common_passwords.txt'"));
        }
        return parse_blocklist(*text);
    }();
    return entries;
}

// A general word list read once per process and path; Error(config) when it cannot be read.
const Blocklist& general_blocklist(const std::string& path)
{
    static std::mutex guard;
    static std::map<std::string, Blocklist> loaded;
    const std::lock_guard<std::mutex> lock(guard);
    if (const auto found = loaded.find(path); found != loaded.end()) {
        return found->second;
    }
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    if (!file || text.str().empty()) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("[policy] password_blocklist '{}' cannot be read: install Debian's cracklib-runtime, "
                                "or name another word list"),
                                path));
    }
    return loaded.emplace(path, parse_blocklist(text.str())).first->second;
}

bool listed(const Blocklist& entries, std::string_view lower)
{
    const std::string_view trailing_stripped = strip_trailing(lower);
    const std::string_view both_stripped = strip_leading(trailing_stripped);
    return entries.contains(lower) || (!trailing_stripped.empty() && entries.contains(trailing_stripped)) ||
           (!both_stripped.empty() && entries.contains(both_stripped));
}

} // namespace

std::string password_problem(std::string_view candidate, const PasswordContext& context)
{
    Wiped<std::u32string> code_points;
    if (!util::append_decoded_utf8(candidate, code_points.value)) {
        return _("must be valid UTF-8 text");
    }

    if (std::any_of(code_points.value.begin(), code_points.value.end(), is_control)) {
        return _("must not contain control characters");
    }
    if (code_points.value.size() < context.min_length) {
        return credenza::i18n::format(_fmt("must be at least {} characters"), context.min_length);
    }
    if (code_points.value.size() > k_max_length) {
        return credenza::i18n::format(_fmt("must be at most {} characters"), k_max_length);
    }

    Wiped<std::u32string> lower_points;
    lower_points.value.reserve(code_points.value.size());
    std::transform(code_points.value.begin(), code_points.value.end(), std::back_inserter(lower_points.value),
                   [](char32_t c) { return util::ascii_lower(c); });
    if (std::string problem = shape_problem(lower_points.value); !problem.empty()) {
        return problem;
    }
    const std::u32string_view base = strip_trailing(std::u32string_view(lower_points.value));
    if (base.size() >= k_min_stripped_base) {
        if (std::string problem = shape_problem(base); !problem.empty()) {
            return problem;
        }
    }

    Wiped<std::string> lower;
    lower.value.assign(candidate);
    std::transform(lower.value.begin(), lower.value.end(), lower.value.begin(),
                   [](char c) { return util::ascii_lower(c); });
    if (listed(blocklist(), lower.value)) {
        return _("is one of the most common passwords");
    }
    if (!context.general_blocklist.empty() && listed(general_blocklist(context.general_blocklist), lower.value)) {
        return _("is a dictionary word or a known password");
    }

    Wiped<std::u32string> folded;
    fold(code_points.value, folded.value);
    if (contains_any(folded.value, personal_parts(context.user_code))) {
        return _("must not contain your user code");
    }
    if (contains_any(folded.value, personal_parts(context.tax_code))) {
        return _("must not contain your codice fiscale");
    }
    if (contains_any(folded.value, personal_parts(context.name))) {
        return _("must not contain your name");
    }
    if (contains_any(folded.value, personal_parts(context.surname))) {
        return _("must not contain your surname");
    }
    return "";
}

std::string pin_problem(std::string_view candidate, std::size_t length)
{
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!std::all_of(candidate.begin(), candidate.end(), is_digit)) {
        return _("must contain digits only");
    }
    if (candidate.size() != length) {
        return credenza::i18n::format(_fmt("must be exactly {} digits"), length);
    }
    if (candidate.size() < 2) {
        return "";
    }
    if (std::all_of(candidate.begin(), candidate.end(), [&](char c) { return c == candidate.front(); })) {
        return _("must not be one digit repeated");
    }
    for (const int step : {1, 9}) {
        bool straight = true;
        for (std::size_t i = 1; i < candidate.size() && straight; ++i) {
            straight = (candidate[i - 1] - '0' + step) % 10 == candidate[i] - '0';
        }
        if (straight) {
            return _("must not be a straight run of digits");
        }
    }
    return "";
}

} // namespace credenza::accounts
