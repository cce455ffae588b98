#include <doctest/doctest.h>

#include <credenza/kinds.hpp>

using namespace credenza;

TEST_CASE("kinds: every state reads back as itself from its stored word")
{
    for (const auto state : {LetterState::queued, LetterState::sending, LetterState::sent, LetterState::deferred,
                             LetterState::failed, LetterState::cancelled}) {
        CHECK(parse<LetterState>(to_string(state)) == state);
    }
    for (const auto by : {DisabledBy::none, DisabledBy::import, DisabledBy::admin}) {
        CHECK(parse<DisabledBy>(to_string(by)) == by);
    }
    CHECK(to_string(LoginMethod::spid_cie) == "spid_cie");
    CHECK(to_string(AccountKind::family) == "family");
}

TEST_CASE("kinds: a word the schema does not allow is no state")
{
    CHECK_FALSE(parse<LetterState>("Sent").has_value());
    CHECK_FALSE(parse<AccountKind>("teacher").has_value());
    CHECK_FALSE(parse<LetterPurpose>("").has_value());
}
