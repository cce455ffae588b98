#include <credenza/i18n.hpp>

#include <clocale>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include <libintl.h>

#include "i18n/gettext.hpp"

#ifndef CREDENZA_LOCALEDIR
#define CREDENZA_LOCALEDIR "/usr/share/locale"
#endif

namespace credenza::i18n {

namespace {

std::mutex g_binding_mutex;
std::filesystem::path g_catalog_dir = CREDENZA_LOCALEDIR;
bool g_bound = false;

// Binds the text domain once, lazily: a front end linking the library gets translations without a
// call of its own, and dgettext below never depends on the program's own textdomain().
void bind() noexcept
{
    const std::lock_guard lock(g_binding_mutex);
    if (g_bound) {
        return;
    }
    ::bindtextdomain(text_domain, g_catalog_dir.c_str());
    // Translations are always handed out in UTF-8, also where LC_CTYPE is the C locale (cron).
    ::bind_textdomain_codeset(text_domain, "UTF-8");
    g_bound = true;
}

bool is_c_locale(const char* name)
{
    return name == nullptr || std::strcmp(name, "C") == 0 || std::strcmp(name, "POSIX") == 0;
}

} // namespace

const char* translate(const char* message) noexcept
{
    bind();
    return ::dgettext(text_domain, message);
}

const char* translate_in(const char* context, const char* message) noexcept
{
    bind();
    // GNU gettext's pgettext: the message id is "context\004message".
    std::string key;
    try {
        key = std::string(context) + '\004' + message;
    } catch (...) {
        return message;
    }
    const char* found = ::dgettext(text_domain, key.c_str());
    // dgettext returns its argument when there is no translation: never hand back our temporary.
    return found == key.c_str() ? message : found;
}

const char* translate_plural(const char* singular, const char* plural, unsigned long count) noexcept
{
    bind();
    return ::dngettext(text_domain, singular, plural, count);
}

void use_environment() noexcept
{
    static_cast<void>(std::setlocale(LC_MESSAGES, ""));
    bind();
}

void use_language(const std::string& language)
{
    if (language.empty()) {
        return;
    }
    // LANGUAGE has priority over LC_MESSAGES in GNU gettext, except under the C locale, where it is
    // ignored: C.UTF-8 (always present in glibc) lifts that without needing a generated locale.
    ::setenv("LANGUAGE", language.c_str(), 1);
    if (is_c_locale(std::setlocale(LC_MESSAGES, nullptr))) {
        static_cast<void>(std::setlocale(LC_MESSAGES, "C.UTF-8"));
    }
    // A change of LANGUAGE is seen by the next lookup only after the catalogs are re-selected.
    const std::lock_guard lock(g_binding_mutex);
    ::textdomain(::textdomain(nullptr));
}

std::string language()
{
    // TRANSLATORS: the code of the language of this catalog ("it" in it.po); dates follow it.
    const std::string code = _("en");
    return code == "it" ? "it" : "en";
}

void set_catalog_dir(const std::filesystem::path& dir)
{
    const std::lock_guard lock(g_binding_mutex);
    g_catalog_dir = dir;
    g_bound = false;
}

} // namespace credenza::i18n
