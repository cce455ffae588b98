#include "cli/prompt.hpp"

#include <algorithm>
#include <array>
#include <istream>
#include <ostream>

#include <credenza/i18n.hpp>

#include "lib/i18n/gettext.hpp"

namespace credenza::cli {

namespace {

std::string normalised(std::string_view answer)
{
    const auto first = answer.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = answer.find_last_not_of(" \t\r\n");
    std::string text(answer.substr(first, last - first + 1));
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    return text;
}

} // namespace

bool answers_yes(std::string_view answer, std::string_view language)
{
    const std::string text = normalised(answer);
    static constexpr std::array<std::string_view, 2> everywhere = {"y", "yes"};
    // "sì", and "SÌ" lowered above but for its capital Ì (U+00CC), two bytes the loop leaves alone.
    static constexpr std::array<std::string_view, 4> italian = {"s", "si", "s\xC3\xAC", "s\xC3\x8C"};
    if (std::find(everywhere.begin(), everywhere.end(), text) != everywhere.end()) {
        return true;
    }
    return language == "it" && std::find(italian.begin(), italian.end(), text) != italian.end();
}

std::string yes_no_choices()
{
    // TRANSLATORS: the choices of a yes/no question, the capital one the default; the answers taken
    // are fixed in cli/prompt.cpp (Italian: s, sì, si; y and yes in every language).
    return _("[y/N]");
}

bool ask_yes_no(std::ostream& err, std::istream& in, const std::string& question)
{
    err << question << ' ' << yes_no_choices() << ' ' << std::flush;
    std::string answer;
    if (!std::getline(in, answer)) {
        return false;
    }
    return answers_yes(answer, i18n::language());
}

} // namespace credenza::cli
