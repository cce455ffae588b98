#include "cli/prompt.hpp"

#include <credenza/i18n.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>

using credenza::cli::answers_yes;

TEST_CASE("cli prompt: an Italian prompt takes s, si and sì, in any case, and y and yes too")
{
    for (const char* answer : {"s", "S", "si", "Si", "SI", "sì", "Sì", "SÌ", " s ", "s\r", "y", "Y", "yes", "YES"}) {
        CAPTURE(answer);
        CHECK(answers_yes(answer, "it"));
    }
}

TEST_CASE("cli prompt: no, an empty line and anything else say no, in both languages")
{
    for (const char* language : {"it", "en"}) {
        for (const char* answer : {"", "n", "N", "no", "No", "non so", "ss", "sìì", "yess", "ok", "1"}) {
            CAPTURE(language);
            CAPTURE(answer);
            CHECK_FALSE(answers_yes(answer, language));
        }
    }
}

TEST_CASE("cli prompt: an English prompt takes y and yes, not the Italian s")
{
    CHECK(answers_yes("y", "en"));
    CHECK(answers_yes("yes", "en"));
    CHECK_FALSE(answers_yes("s", "en"));
}

TEST_CASE("cli prompt: the question shows [s/N] in Italian, takes 's', and [y/N] in English")
{
    credenza::i18n::set_catalog_dir(CREDENZA_TEST_LOCALE);
    {
        credenza::i18n::use_language("it");
        std::ostringstream err;
        std::istringstream in("s\n");
        CHECK(credenza::cli::ask_yes_no(err, in, "reimpostare?"));
        CHECK(err.str() == "reimpostare? [s/N] ");
        credenza::i18n::use_language("en");
    }
    std::ostringstream err;
    std::istringstream in("s\n");
    CHECK_FALSE(credenza::cli::ask_yes_no(err, in, "reset?"));
    CHECK(err.str() == "reset? [y/N] ");
    std::istringstream closed("");
    CHECK_FALSE(credenza::cli::ask_yes_no(err, closed, "reset?"));
}
