#include <credenza/time.hpp>

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
                            Hint::whole_enrolment, Hint::map_column, Hint::fix_sender, Hint::no_database_here}) {
        CHECK_FALSE(hint_text(hint).empty());
    }
    CHECK(hint_text(Hint::none).empty());
}

TEST_CASE("cli messages: a refused verification says why and exits 77, a wrong secret exits 1 and says nothing")
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
    // The retry time in the school's zone (here UTC), to the second.
    credenza::use_time_zone("UTC");
    CHECK(refusal_message(VerifyStatus::throttled, "FZK", false, false, "2026-12-01T10:00:00Z") ==
          "too many wrong passwords for 'FZK': try again after 2026-12-01 10:00:00");
    CHECK(refusal_message(VerifyStatus::locked, "FZK", true, true) ==
          "the PIN of 'FZK' is locked: a recovery letter or an administrator's reset lifts it");
    CHECK(refusal_message(VerifyStatus::throttled, "FZK", true, false, "2026-12-01T10:00:00Z") ==
          "too many wrong PINs for 'FZK': try again after 2026-12-01 10:00:00");
}

TEST_CASE("cli messages: every setting the mail server can refuse is named in its fix")
{
    using credenza::cli::setting_fix;
    CHECK(setting_fix("smtp.user").find("[smtp] user") != std::string::npos);
    CHECK(setting_fix("smtp.ca_file").find("[smtp] ca_file") != std::string::npos);
    CHECK(setting_fix("smtp.url").find("[smtp] url") != std::string::npos);
    CHECK(setting_fix("smtp.tls").find("[smtp] tls") != std::string::npos);
    CHECK(setting_fix("mail.from").find("[mail] from") != std::string::npos);
}

TEST_CASE("cli messages: a send where all went well has no alert, one that needs a person has one line")
{
    using credenza::cli::send_alert;
    credenza::dispatch::SendReport report;
    report.sent = 3;
    report.deferred = 1; // a fresh deferral needs nobody
    CHECK(send_alert(report).empty());
    report.failed = 2;
    report.overdue = 1;
    const auto alert = send_alert(report);
    CHECK(alert == "2 letters refused for good, 1 letter still waiting after [mail] alert_after_hours: see "
                   "'credenza report problems'");
    CHECK(alert.find('\n') == std::string::npos);
    report.misconfigured = "smtp.user";
    report.pause_reply = "535 5.7.8 Authentication credentials invalid";
    CHECK(send_alert(report).find("535 5.7.8") != std::string::npos);
}
