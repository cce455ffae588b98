#pragma once
// Messages in the reader's language, with GNU gettext (text domain "credenza"). The source messages
// are English; po/ holds the translations, compiled into catalogs installed under the locale folder.
// The language follows LANGUAGE, LC_ALL, LC_MESSAGES and LANG as in every gettext program, unless a
// front end fixes it (use_language: the CLI does for [ui] language). Letters are not translated here:
// they follow the school's [mail] language whatever the reader's.

#include <filesystem>
#include <string>

#include <fmt/format.h>

namespace credenza::i18n {

inline constexpr const char* text_domain = "credenza";

// The translation of a marked message in the current language, or the message itself. Never null.
const char* translate(const char* message) noexcept;
// The translation of `message` in a context (msgctxt), or the message itself. Never null.
const char* translate_in(const char* context, const char* message) noexcept;
// The same for a message with a count: `singular` and `plural` are the English forms.
const char* translate_plural(const char* singular, const char* plural, unsigned long count) noexcept;

// Takes the language from the environment, as gettext programs do (LC_MESSAGES only: numbers and
// the character classes stay those of the C locale, so no parsing changes with the language).
void use_environment() noexcept;
// Fixes the language whatever the environment says: "it", "en" (or "" to follow the environment).
void use_language(const std::string& language);
// "it" when messages are read in Italian, "en" otherwise: for dates, and the answers a prompt takes.
std::string language();

// Where the compiled catalogs are (LOCALE/LANG/LC_MESSAGES/credenza.mo); by default the installed
// locale folder. Takes effect for the messages translated after it.
void set_catalog_dir(const std::filesystem::path& dir);

// fmt::format with a translated format string. A translation whose fields do not fit the arguments
// (a slip in the catalog) must not stop a command: the English message is used instead.
template <typename... Args>
std::string format(const char* message, Args&&... args)
{
    try {
        return fmt::vformat(translate(message), fmt::make_format_args(args...));
    } catch (const fmt::format_error&) {
        return fmt::vformat(message, fmt::make_format_args(args...));
    }
}

} // namespace credenza::i18n
