#include <fstream>
#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <functional>
#include <map>
#include <mutex>
#include <regex>

#include <credenza/accounts/verify.hpp>
#include <credenza/dispatch/issue.hpp>
#include <credenza/dispatch/send.hpp>
#include <credenza/time.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;

namespace {

// Records what it is given; answers per recipient as told (default: 250).
class FakeTransport final : public mail::Transport
{
public:
    struct Shared
    {
        std::mutex mutex;
        std::vector<std::pair<std::string, std::string>> messages; // recipient, message
        std::map<std::string, mail::Delivery> answers;             // by recipient
        std::string throw_for;                                     // recipient whose delivery throws
        mail::Delivery probe{mail::Outcome::sent, 250, "250 2.1.0 Ok", ""}; // the answer to probe()
        std::vector<std::string> probed;                           // senders probed
        std::function<void(std::string_view)> on_deliver;          // called with each message first
    };

    explicit FakeTransport(Shared& shared) : m_shared(shared) {}

    mail::Delivery deliver(const mail::Envelope& envelope, std::string_view message) override
    {
        std::lock_guard lock(m_shared.mutex);
        if (m_shared.on_deliver) {
            m_shared.on_deliver(message);
        }
        if (envelope.to == m_shared.throw_for) {
            throw Error(ErrorCode::io, "disk full");
        }
        if (auto found = m_shared.answers.find(envelope.to); found != m_shared.answers.end()) {
            return found->second;
        }
        m_shared.messages.emplace_back(envelope.to, std::string(message));
        return {mail::Outcome::sent, 250, "250 2.0.0 Ok: queued as TEST", ""};
    }

    mail::Delivery probe(std::string_view sender) override
    {
        std::lock_guard lock(m_shared.mutex);
        m_shared.probed.emplace_back(sender);
        return m_shared.probe;
    }

private:
    Shared& m_shared;
};

struct Mailed
{
    std::string user_code;
    std::string password;
    std::string pin;
};

Mailed read_letter(const std::string& message)
{
    Mailed mailed;
    std::smatch match;
    if (std::regex_search(message, match, std::regex("Codice utente: ([A-Z0-9-]+)\r\n"))) {
        mailed.user_code = match[1];
    }
    if (std::regex_search(message, match, std::regex("Password: ([A-Za-z0-9]+)\r\n"))) {
        mailed.password = match[1];
    }
    if (std::regex_search(message, match, std::regex("PIN: ([0-9]+)\r\n"))) {
        mailed.pin = match[1];
    }
    return mailed;
}

struct Run
{
    School school;
    FakeTransport::Shared shared;
    credentials::Generator generator;
    // Starts at the real time so that the mailed passwords have not expired for verify_secret.
    FixedClock clock{std::chrono::floor<std::chrono::seconds>(system_clock().now())};

    dispatch::IssueReport issue() { return dispatch::issue_letters(*school.db, clock, {}); }

    dispatch::SendReport send(dispatch::SendOptions options = {})
    {
        options.jobs = 2;
        const auto hasher = school.hasher();
        return dispatch::send_letters(*school.db, clock, school.school, hasher, generator,
                                      [this] { return std::make_unique<FakeTransport>(shared); }, options);
    }

    int letters(const std::string& state)
    {
        return school.db->connection().get<int>("SELECT count(*) FROM letter WHERE state = ?", state);
    }
};

} // namespace

TEST_CASE("send: every queued letter is delivered and its credentials log in")
{
    Run run;
    const auto issued = run.issue();
    REQUIRE(issued.queued > 0);
    const auto report = run.send();
    CHECK(report.sent == issued.queued);
    CHECK(run.letters("sent") == issued.queued);
    REQUIRE(run.shared.messages.size() == static_cast<std::size_t>(issued.queued));

    const auto hasher = run.school.hasher();
    int families = 0;
    for (const auto& [recipient, message] : run.shared.messages) {
        const Mailed mailed = read_letter(message);
        REQUIRE_FALSE(mailed.user_code.empty());
        CHECK(mailed.password.size() == 12);
        const auto password_check =
            accounts::verify_secret(*run.school.db, system_clock(), hasher, run.school.settings.policy,
                                    mailed.user_code, credentials::Purpose::password, mailed.password, "test");
        CHECK(password_check.status == accounts::VerifyStatus::valid);
        CHECK(password_check.must_change_password);
        if (mailed.user_code.front() == 'F') {
            ++families;
            REQUIRE(mailed.pin.size() == 6);
            CHECK(accounts::verify_secret(*run.school.db, system_clock(), hasher, run.school.settings.policy,
                                          mailed.user_code, credentials::Purpose::pin, mailed.pin, "test")
                      .status == accounts::VerifyStatus::valid);
        } else {
            CHECK(mailed.pin.empty()); // a student letter has no PIN line
        }
    }
    CHECK(families > 0);
}

TEST_CASE("send: no plaintext secret reaches the database")
{
    Run run;
    run.issue();
    run.send();
    const auto mailed = read_letter(run.shared.messages.front().second);
    CHECK(run.school.db->connection().get<int>("SELECT count(*) FROM account WHERE password_hash LIKE ?",
                                  "%" + mailed.password + "%") == 0);
    CHECK(run.school.db->connection().get<int>("SELECT count(*) FROM letter WHERE last_reply LIKE ?", "%" + mailed.password + "%") ==
          0);
    CHECK(run.school.db->connection().get<int>("SELECT count(*) FROM audit WHERE detail LIKE ?", "%" + mailed.password + "%") == 0);
}

TEST_CASE("send: a 4xx defers with a backoff, a 5xx fails for good, the rest go out")
{
    Run run;
    run.issue();
    const std::string deferred = "laura.bianchi@example.it";
    const std::string failed = "luca.rinaldi@outlook.it";
    run.shared.answers[deferred] = {mail::Outcome::deferred, 451, "451 4.3.0 try later", ""};
    run.shared.answers[failed] = {mail::Outcome::failed, 550, "550 5.1.1 no such user", ""};
    const auto report = run.send();
    CHECK(report.deferred == 1);
    CHECK(report.failed == 1);
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures.front().recipient == failed);
    CHECK(report.failures.front().code == 550);
    CHECK(run.letters("deferred") == 1);
    CHECK(run.letters("failed") == 1);
    CHECK(run.school.db->connection().get<int>("SELECT count(*) FROM letter WHERE state = 'deferred' AND next_attempt_at > ?",
                                  iso_time(run.clock.now())) == 1);

    // Not due yet: a plain second run sends nothing; --retry-now delivers it.
    run.shared.answers.clear();
    CHECK(run.send().sent == 0);
    dispatch::SendOptions retry;
    retry.retry_now = true;
    const auto second = run.send(retry);
    CHECK(second.sent == 1);
    CHECK(run.letters("deferred") == 0);
    CHECK(run.letters("failed") == 1); // a permanent failure is not retried
}

TEST_CASE("send: a provider limit pauses the batch and leaves the rest queued, uncounted")
{
    Run run;
    const auto issued = run.issue();
    run.shared.answers["laura.bianchi@example.it"] = {mail::Outcome::paused, 550, "550 5.4.5 Daily sending quota", ""};
    const auto report = run.send();
    CHECK(report.paused);
    CHECK(report.sent + report.not_started == issued.queued);
    CHECK(report.not_started >= 1);
    CHECK(run.letters("queued") + run.letters("sent") == issued.queued);
    CHECK(run.school.db->connection().get<int>("SELECT max(attempts) FROM letter WHERE state = 'queued'") == 0);
}

TEST_CASE("send: a setting the server refuses before any claim stops the run, no letter is touched")
{
    Run run;
    const auto issued = run.issue();
    run.shared.probe = {mail::Outcome::misconfigured, 535, "535 5.7.8 Authentication credentials invalid",
                        "smtp.user"};
    const auto report = run.send();
    CHECK(report.misconfigured == "smtp.user");
    CHECK(report.pause_reply == "535 5.7.8 Authentication credentials invalid");
    CHECK(report.sent == 0);
    CHECK(report.not_started == issued.queued);
    CHECK(run.shared.messages.empty());
    CHECK(run.letters("queued") == issued.queued);
    CHECK(run.school.db->connection().get<int>("SELECT max(attempts) FROM letter") == 0);
    CHECK(run.school.db->connection().get<int>("SELECT count(*) FROM letter WHERE next_attempt_at IS NOT NULL") == 0);
    // Fixed: the next run sends everything at once.
    run.shared.probe = {mail::Outcome::sent, 250, "250 2.1.0 Ok", ""};
    CHECK(run.send().sent == issued.queued);
}

TEST_CASE("send: a setting refused in the middle of a run requeues the letter due at once, its attempt not counted")
{
    Run run;
    const auto issued = run.issue();
    run.shared.answers["laura.bianchi@example.it"] = {mail::Outcome::misconfigured, 553,
                                                      "553 5.7.1 Sender address rejected", "mail.from"};
    const auto report = run.send();
    CHECK(report.misconfigured == "mail.from");
    CHECK(run.letters("failed") == 0);
    CHECK(run.letters("deferred") == 0);
    CHECK(run.letters("sent") + run.letters("queued") == issued.queued);
    const auto now = credenza::iso_time(run.clock.now());
    CHECK(run.school.db->connection().get<int>(
              "SELECT count(*) FROM letter WHERE state = 'queued' AND (attempts > 0 OR next_attempt_at > ?)", now) == 0);
}

TEST_CASE("send: the envelope sender is the address of a display-name sender, probed before any claim")
{
    Run run;
    run.issue();
    run.school.school.mail_from = "Segreteria «Vallauri» <segreteria@itisvallauri.edu.it>";
    const auto report = run.send();
    CHECK(report.sent > 0);
    REQUIRE(run.shared.probed.size() == 1);
    CHECK(run.shared.probed.front() == "segreteria@itisvallauri.edu.it");
    REQUIRE(!run.shared.messages.empty());
    const auto& message = run.shared.messages.front().second;
    CHECK(message.find("From: =?UTF-8?") != std::string::npos);
    CHECK(message.find("<segreteria@itisvallauri.edu.it>") != std::string::npos);
}

TEST_CASE("send: the daily cap leaves the rest for tomorrow")
{
    Run run;
    const auto issued = run.issue();
    dispatch::SendOptions options;
    options.daily_cap = 5;
    const auto report = run.send(options);
    CHECK(report.sent == 5);
    CHECK(report.left_for_tomorrow == issued.queued - 5);
    CHECK(run.send(options).sent == 0); // still within the same 24 hours
}

TEST_CASE("send: a letter left in 'sending' by a crash is retried at once with new secrets")
{
    Run run;
    run.issue();
    dispatch::SendOptions one;
    one.limit = 1;
    run.send(one);
    REQUIRE(run.shared.messages.size() == 1);
    const Mailed first = read_letter(run.shared.messages.front().second);
    // As if the process died after committing the hashes: the letter is still 'sending'.
    run.school.db->connection().execute("UPDATE letter SET state = 'sending', next_attempt_at = NULL WHERE state = 'sent'");
    const auto report = run.send();
    CHECK(report.recovered == 1);
    CHECK(run.letters("sending") == 0);
    // The same account got a second letter; only the last one's password works.
    std::vector<Mailed> for_account;
    for (const auto& [recipient, message] : run.shared.messages) {
        const Mailed mailed = read_letter(message);
        if (mailed.user_code == first.user_code) {
            for_account.push_back(mailed);
        }
    }
    REQUIRE(for_account.size() == 2);
    const auto hasher = run.school.hasher();
    auto check = [&](const std::string& password) {
        return accounts::verify_secret(*run.school.db, system_clock(), hasher, run.school.settings.policy,
                                       first.user_code, credentials::Purpose::password, password, "test")
            .status;
    };
    CHECK(check(for_account.front().password) == accounts::VerifyStatus::invalid);
    CHECK(check(for_account.back().password) == accounts::VerifyStatus::valid);
}

TEST_CASE("send: a transport that throws stops the run, the claimed letter is retried by the next")
{
    Run run;
    run.issue();
    run.shared.throw_for = "laura.bianchi@example.it";
    CHECK_THROWS_AS(run.send(), Error);
    CHECK(run.letters("sending") == 1);
    run.shared.throw_for.clear();
    const auto report = run.send();
    CHECK(report.recovered == 1);
    CHECK(run.letters("sending") == 0);
    CHECK(run.letters("queued") + run.letters("deferred") == 0);
}

TEST_CASE("send: a letter of a disabled account is cancelled, not sent")
{
    Run run;
    run.issue();
    run.school.db->connection().execute("UPDATE account SET status = 'disabled' WHERE id = (SELECT account_id FROM letter LIMIT 1)");
    const auto report = run.send();
    CHECK(report.cancelled == 1);
    CHECK(run.letters("cancelled") == 1);
}

TEST_CASE("send: a dry run touches nothing")
{
    Run run;
    const auto issued = run.issue();
    dispatch::SendOptions options;
    options.dry_run = true;
    const auto report = run.send(options);
    CHECK(report.due == issued.queued);
    CHECK(report.sent == 0);
    CHECK(run.letters("queued") == issued.queued);
    CHECK(run.shared.messages.empty());
    CHECK(run.school.db->connection().get<int>("SELECT count(*) FROM account WHERE password_hash IS NOT NULL") == 0);
}

TEST_CASE("send: a second send on the same database is refused while the first holds the lock")
{
    credenza::testing::TempDir dir;
    std::ofstream(dir / "a.db").put('x');
    dispatch::SendLock first(dir / "a.db");
    try {
        dispatch::SendLock second(dir / "a.db");
        FAIL("expected the lock to be refused");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::temporary);
    }
}

TEST_CASE("send: backoff starts at 5 minutes, doubles, and stops at 6 hours")
{
    using namespace std::chrono_literals;
    CHECK(dispatch::backoff(1) == 5min);
    CHECK(dispatch::backoff(2) == 10min);
    CHECK(dispatch::backoff(3) == 20min);
    CHECK(dispatch::backoff(8) == 6h);
    CHECK(dispatch::backoff(30) == 6h);
}

TEST_CASE("send: a deferred letter is due again when its backoff is over, not before")
{
    using namespace std::chrono_literals;
    Run run;
    run.issue();
    run.shared.answers["laura.bianchi@example.it"] = {mail::Outcome::deferred, 451, "451 4.3.0 try later", ""};
    REQUIRE(run.send().deferred == 1);
    run.shared.answers.clear();

    run.clock.advance(dispatch::backoff(1) - 1s);
    CHECK(run.send().sent == 0);
    run.clock.advance(1s);
    const auto report = run.send();
    CHECK(report.sent == 1);
    CHECK(run.letters("deferred") == 0);
}

TEST_CASE("send: the daily cap counts the letters of the last 24 hours only")
{
    using namespace std::chrono_literals;
    Run run;
    const auto issued = run.issue();
    REQUIRE(issued.queued > 10);
    dispatch::SendOptions options;
    options.daily_cap = 5;
    REQUIRE(run.send(options).sent == 5);
    run.clock.advance(24h - 1s);
    CHECK(run.send(options).sent == 0);
    run.clock.advance(1s);
    const auto next_day = run.send(options);
    CHECK(next_day.sent == 5);
    CHECK(next_day.left_for_tomorrow == issued.queued - 10);
}

TEST_CASE("send: the letter's Date is the clock's time")
{
    Run run;
    run.clock.set(*parse_iso_time("2026-10-05T08:30:00Z"));
    run.issue();
    dispatch::SendOptions one;
    one.limit = 1;
    run.send(one);
    REQUIRE(run.shared.messages.size() == 1);
    CHECK(run.shared.messages.front().second.find("Date: Mon, 5 Oct 2026 08:30:00 +0000\r\n") != std::string::npos);
}

TEST_CASE("send: a letter reaches SMTP only once its claim is committed, though claims and outcomes share commits")
{
    Run run;
    const auto issued = run.issue();
    REQUIRE(issued.queued > 1);
    // Another connection sees only what was committed: the letter being delivered must be there,
    // in 'sending', with its Message-ID, before the first byte goes out.
    auto other = store::Database::open(run.school.db_path);
    int committed = 0;
    int delivered = 0;
    run.shared.on_deliver = [&](std::string_view message) {
        ++delivered;
        committed += other.connection().get<int>(
            "SELECT count(*) FROM letter WHERE state = 'sending' AND message_id <> '' AND instr(?, message_id) > 0",
            std::string(message));
    };
    const auto report = run.send();
    CHECK(report.sent == issued.queued);
    CHECK(delivered == issued.queued);
    CHECK(committed == issued.queued);
    CHECK(run.letters("sent") == issued.queued);
}
