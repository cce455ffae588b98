#include <doctest/doctest.h>

#include "cli/exit_codes.hpp"
#include "cli/messages.hpp"

using namespace credenza;
using namespace credenza::cli;

TEST_CASE("cli messages: an error with a hint is printed with what to run next")
{
    const Error error(ErrorCode::no_input, "database 'x.db' does not exist", Hint::initialise);
    CHECK(error_message(error) == "database 'x.db' does not exist: create it with 'credenza init'");
    CHECK(exit_code_for(error.code()) == k_exit_no_input);
}

TEST_CASE("cli messages: an error without a hint is printed as the library said it")
{
    CHECK(error_message(Error(ErrorCode::io, "cannot write 'a'")) == "cannot write 'a'");
}

TEST_CASE("cli messages: every hint has its words")
{
    for (const auto hint : {Hint::initialise, Hint::confirm, Hint::give_reason, Hint::reset_pin_too,
                            Hint::enable_account, Hint::set_domain, Hint::wait_for_send, Hint::check_school_year,
                            Hint::whole_enrolment, Hint::map_column}) {
        CHECK_FALSE(hint_text(hint).empty());
    }
    CHECK(hint_text(Hint::none).empty());
}

TEST_CASE("cli messages: a refused verification says why and exits 77; a wrong secret exits 1 and says nothing")
{
    using accounts::VerifyStatus;
    CHECK(refusal_message(VerifyStatus::invalid, "FZK", false, false).empty());
    CHECK(exit_code_for(VerifyStatus::invalid) == k_exit_failed_check);
    CHECK(exit_code_for(VerifyStatus::valid) == k_exit_ok);
    for (const auto status : {VerifyStatus::locked, VerifyStatus::throttled, VerifyStatus::disabled,
                              VerifyStatus::spid, VerifyStatus::expired}) {
        CHECK(exit_code_for(status) == k_exit_permission);
        CHECK(refusal_message(status, "FZK", false, false).find("'FZK'") != std::string::npos);
    }
    CHECK(refusal_message(VerifyStatus::throttled, "FZK", false, false, "2026-12-01T10:00:00Z") ==
          "too many wrong passwords for 'FZK': try again after 2026-12-01T10:00:00Z");
    CHECK(refusal_message(VerifyStatus::locked, "FZK", true, true) ==
          "the PIN of 'FZK' is locked: a recovery letter or an administrator's reset lifts it");
    CHECK(refusal_message(VerifyStatus::throttled, "FZK", true, false, "2026-12-01T10:00:00Z") ==
          "too many wrong PINs for 'FZK': try again after 2026-12-01T10:00:00Z");
}
