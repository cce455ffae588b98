#include <credenza/i18n.hpp>

#include <doctest/doctest.h>

#include <string>

namespace i18n = credenza::i18n;

namespace {

// Each case fixes a language and gives the process back in English (cases share one process when
// the unit binary runs whole).
struct Italian {
    Italian()
    {
        i18n::set_catalog_dir(CREDENZA_TEST_LOCALE);
        i18n::use_language("it");
    }
    ~Italian() { i18n::use_language("en"); }
    Italian(const Italian&) = delete;
    Italian& operator=(const Italian&) = delete;
};

} // namespace

TEST_CASE("i18n: the built Italian catalog is found and used, English when fixed to English")
{
    {
        const Italian italian;
        CHECK(i18n::language() == "it");
        CHECK(std::string(i18n::translate("en")) == "it");
    }
    CHECK(i18n::language() == "en");
    CHECK(std::string(i18n::translate("en")) == "en");
}

TEST_CASE("i18n: a message without a translation is the English message")
{
    const Italian italian;
    const char* message = "a message no catalog has 7f3a";
    CHECK(i18n::translate(message) == message);
    CHECK(i18n::format("{} of {}", 2, 3) == "2 of 3");
}

TEST_CASE("i18n: a word is translated in its context (msgctxt), the same word elsewhere is not")
{
    const Italian italian;
    CHECK(std::string(i18n::translate_in("value", "sent")) == "inviata");
    CHECK(std::string(i18n::translate_in("column", "sent")) == "inviate");
    CHECK(std::string(i18n::translate_in("no such context", "sent")) == "sent");
}
