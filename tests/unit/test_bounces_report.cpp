// The delivery report parser: samples written for the tests after RFC 3464 and the published
// shapes of Postfix, Exim, Exchange / Microsoft 365 and Gmail (tests/data/bounces).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <credenza/bounces/report.hpp>

#include "support.hpp"

namespace credenza::bounces {

namespace {

constexpr const char* k_id = "<0123456789abcdef0123456789abcdef@itisvallauri.edu.it>";
constexpr const char* k_to = "elena.pieta@libero.it";
constexpr const char* k_verp = "segreteria+L0123456789abcdef0123456789abcdef@itisvallauri.edu.it";

std::string replace_all(std::string text, const std::string& from, const std::string& to)
{
    for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) {
        text.replace(at, from.size(), to);
    }
    return text;
}

std::string sample(const std::string& name, bool crlf = false)
{
    std::ifstream in(testing::test_data("bounces/" + name), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    std::string text = replace_all(replace_all(replace_all(content.str(), "@ID@", k_id), "@TO@", k_to), "@VERP@", k_verp);
    return crlf ? replace_all(text, "\n", "\r\n") : text;
}

bool names_letter(const Report& report)
{
    return std::find(report.message_ids.begin(), report.message_ids.end(), k_id) != report.message_ids.end();
}

} // namespace

TEST_CASE("bounces: a standard RFC 3464 report is a hard failure naming the original's Message-ID")
{
    for (const bool crlf : {false, true}) {
        const auto report = parse_report(sample("standard.eml", crlf));
        CHECK(report.kind == ReportKind::failed);
        CHECK(report.hard());
        CHECK(report.status == "5.1.1");
        CHECK(report.recipient == k_to);
        CHECK(report.diagnostic.find("User unknown") != std::string::npos);
        CHECK(names_letter(report));
        CHECK(report.report_id == "<dsn-standard-1@mx.example.net>");
        CHECK(std::string(status_reason(report.status)) == "mailbox does not exist");
    }
}

TEST_CASE("bounces: Postfix's report says mailbox full, and nothing of the returned letter's text is kept")
{
    const auto report = parse_report(sample("postfix.eml"));
    CHECK(report.hard());
    CHECK(report.status == "5.2.2");
    CHECK(std::string(status_reason(report.status)) == "mailbox full");
    CHECK(names_letter(report));
    for (const auto& field : {report.status, report.diagnostic, report.recipient, report.report_id}) {
        CHECK(field.find("SAMPLE-NOT-A-SECRET") == std::string::npos);
    }
}

TEST_CASE("bounces: Exim's plain-text bounce and Exchange's NDR are read from their text")
{
    const auto exim = parse_report(sample("exim.eml"));
    CHECK(exim.hard());
    CHECK(exim.status == "5.1.1");
    CHECK(exim.recipient == k_to);
    CHECK(names_letter(exim));
    CHECK(exim.diagnostic.find("SAMPLE") == std::string::npos);

    const auto exchange = parse_report(sample("exchange.eml"));
    CHECK(exchange.hard());
    CHECK(exchange.status == "5.1.10");
    CHECK(std::string(status_reason(exchange.status)) == "mailbox does not exist");
    CHECK(exchange.recipient == k_to);
    CHECK(names_letter(exchange));
}

TEST_CASE("bounces: Gmail's report is matched by the VERP address it was sent to")
{
    const auto report = parse_report(sample("gmail.eml"));
    CHECK(report.hard());
    CHECK(report.status == "5.1.1");
    REQUIRE(report.verp_tokens.size() == 1);
    CHECK(report.verp_tokens.front() == "0123456789abcdef0123456789abcdef");
    CHECK(message_id_token(k_id) == report.verp_tokens.front());
    CHECK(verp_address("segreteria@itisvallauri.edu.it", report.verp_tokens.front()) == k_verp);
}

TEST_CASE("bounces: a delay is not a failure, an auto-reply is not a report, a broken report is malformed")
{
    const auto delayed = parse_report(sample("delayed.eml"));
    CHECK(delayed.kind == ReportKind::delayed);
    CHECK(delayed.status == "4.4.7");
    CHECK_FALSE(delayed.hard());
    CHECK(names_letter(delayed));

    CHECK(parse_report(sample("autoreply.eml")).kind == ReportKind::auto_reply);
    CHECK(parse_report(sample("malformed.eml")).kind == ReportKind::malformed);
    CHECK(parse_report("no header here, only text\n\nand a body").kind == ReportKind::malformed);
    CHECK(parse_report("From: a@b.it\nSubject: hello\n\nnot a report\n").kind == ReportKind::not_report);
}

TEST_CASE("bounces: a final 4.x.x failure is soft, and another system's report names no letter of ours")
{
    const auto soft = parse_report(replace_all(sample("standard.eml"), "5.1.1", "4.2.2"));
    CHECK(soft.kind == ReportKind::failed);
    CHECK_FALSE(soft.hard());
    CHECK(soft.status == "4.2.2");

    const auto other = parse_report(sample("other_system.eml"));
    CHECK(other.hard());
    CHECK_FALSE(names_letter(other));
    CHECK(other.message_ids == std::vector<std::string>{"<circolare-42.7f3a@newsletter.itisvallauri.edu.it>"});
}

} // namespace credenza::bounces
