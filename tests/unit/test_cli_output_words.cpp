#include "cli/output/words.hpp"

#include <credenza/i18n.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <string>

namespace output = credenza::cli::output;
using credenza::Value;

namespace {

struct ItalianInRome {
    ItalianInRome()
    {
        credenza::i18n::set_catalog_dir(CREDENZA_TEST_LOCALE);
        credenza::i18n::use_language("it");
        ::setenv("TZ", "Europe/Rome", 1);
        ::tzset();
    }
    ~ItalianInRome()
    {
        credenza::i18n::use_language("en");
        ::unsetenv("TZ");
        ::tzset();
    }
    ItalianInRome(const ItalianInRome&) = delete;
    ItalianInRome& operator=(const ItalianInRome&) = delete;
};

} // namespace

TEST_CASE("cli output words: English headings are the keys in words, terminal headings stay the keys")
{
    credenza::i18n::use_language("en");
    CHECK(output::words_of("family_accounts_without_address") == "family accounts without address");
    CHECK(output::short_heading("user_code") == "user_code");
    CHECK(output::person_text(Value(true), "adult") == "yes");
    CHECK(output::person_text(Value(std::string("family")), "kind") == "family");
}

TEST_CASE("cli output words: Italian headings, yes/no and stored words, the school's time in DD/MM/YYYY HH:MM")
{
    const ItalianInRome italian;
    CHECK(output::words_of("family_accounts_without_address") == "account famiglia senza indirizzo");
    CHECK(output::short_heading("user_code") == "codice utente");
    CHECK(output::person_text(Value(true), "adult") == "sì");
    CHECK(output::person_text(Value(false), "adult") == "no");
    CHECK(output::person_text(Value(std::string("family")), "kind") == "famiglia");
    CHECK(output::person_text(Value(std::string("sent")), "state") == "inviata");
    // A stored word in a column of data (a surname "Reset") is data: never translated.
    CHECK(output::person_text(Value(std::string("reset")), "surname") == "reset");
    CHECK(output::person_text(Value(std::string("2026-12-01T19:07:10Z")), "at") == "01/12/2026 20:07");
    CHECK(output::person_text(Value(std::string("2026-07-01T19:07:10Z")), "at") == "01/07/2026 21:07");
    CHECK(output::person_text(Value(42LL), "pupils") == "42");
}
