#include <credenza/mail/transport.hpp>

#include <credenza/error.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace credenza::mail;
using credenza::Error;
using credenza::ErrorCode;
namespace fs = std::filesystem;

namespace {

const fs::path k_server_script = fs::path(CREDENZA_TEST_DATA) / ".." / ".." / "scripts" / "smtp_test_server.py";
const char* const k_python = "/usr/bin/python3";

// The letter every test sends: CRLF lines, a line starting with "." that must survive dot-stuffing.
const std::string k_message = "From: school@example.it\r\nTo: family@example.it\r\nSubject: test\r\n\r\n"
                              "Password: k<7Q\r\n.a line starting with a dot\r\n..two dots\r\nend\r\n";

bool server_available()
{
    static const bool available =
        std::system("/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1") == 0;
    return available;
}

std::string read_text(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

int count_of(const std::string& text, const std::string& needle)
{
    int count = 0;
    for (auto found = text.find(needle); found != std::string::npos; found = text.find(needle, found + 1)) {
        ++count;
    }
    return count;
}

using credenza::testing::TempDir;

// A throwaway self-signed certificate for localhost and 127.0.0.1.
struct Certificate
{
    fs::path cert;
    fs::path key;
};

Certificate make_certificate(const fs::path& directory)
{
    Certificate certificate{directory / "cert.pem", directory / "key.pem"};
    const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost "
                                "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -days 1 -keyout '"
                              + certificate.key.string() + "' -out '" + certificate.cert.string()
                              + "' >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    return certificate;
}

// scripts/smtp_test_server.py in a temporary directory, stopped with SIGTERM at the end.
class TestServer
{
public:
    explicit TestServer(std::vector<std::string> options)
    {
        std::vector<std::string> arguments = {k_python, k_server_script.string(), "--dir", (m_dir.path() / "server").string()};
        arguments.insert(arguments.end(), options.begin(), options.end());
        std::vector<char*> argv;
        for (auto& argument : arguments) {
            argv.push_back(argument.data());
        }
        argv.push_back(nullptr);

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        const std::string log = (m_dir.path() / "server.stderr").string();
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int spawned = posix_spawn(&m_pid, k_python, &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        REQUIRE(spawned == 0);

        const fs::path port_file = m_dir.path() / "server" / "port";
        for (int waited = 0; waited < 200 && !fs::exists(port_file); ++waited) {
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                FAIL("the test SMTP server exited: ", read_text(log));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        REQUIRE(fs::exists(port_file));
        m_port = std::stoi(read_text(port_file));
    }

    ~TestServer()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGTERM);
            int status = 0;
            ::waitpid(m_pid, &status, 0);
        }
    }
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    const fs::path& work() const { return m_dir.path(); }
    std::string url(std::string_view scheme = "smtp") const
    {
        return std::string(scheme) + "://localhost:" + std::to_string(m_port);
    }
    int connections() const { return count_of(read_text(m_dir.path() / "server" / "events.jsonl"), "\"connect\""); }
    int accepted() const { return count_of(read_text(m_dir.path() / "server" / "log.jsonl"), "\n"); }
    std::string stored(int number) const
    {
        char name[16];
        std::snprintf(name, sizeof name, "%06d.eml", number);
        return read_text(m_dir.path() / "server" / "messages" / name);
    }

private:
    TempDir m_dir;
    pid_t m_pid = -1;
    int m_port = 0;
};

SmtpOptions plain_options(const TestServer& server)
{
    SmtpOptions options;
    options.url = server.url();
    options.tls = "none";
    options.timeout_seconds = 20;
    options.helo_domain = "school.example.it";
    return options;
}

// A STARTTLS server that wants AUTH as "school" with "s3cret pass", and options that reach it.
struct SecureServer
{
    TempDir keys;
    Certificate certificate = make_certificate(keys.path());
    // Written before the server starts: it reads the password at start-up.
    bool password_written = static_cast<bool>(std::ofstream(keys.path() / "password") << "s3cret pass");
    TestServer server;
    SmtpOptions options;

    explicit SecureServer(std::vector<std::string> extra = {})
        : server([&] {
              std::vector<std::string> arguments = {"--tls", "starttls", "--cert", certificate.cert.string(),
                                                    "--key", certificate.key.string(), "--auth",
                                                    "school:" + (keys.path() / "password").string()};
              arguments.insert(arguments.end(), extra.begin(), extra.end());
              return arguments;
          }())
    {
        options.url = server.url();
        options.tls = "starttls";
        options.user = "school";
        options.password = "s3cret pass";
        options.ca_file = certificate.cert.string();
        options.timeout_seconds = 20;
    }
};

const Envelope k_envelope{"school@example.it", "family@example.it"};

} // namespace

TEST_CASE("smtp transport: a message over plain SMTP is accepted with its exact bytes")
{
    if (!server_available()) {
        MESSAGE("skipped: /usr/bin/python3 cannot import aiosmtpd");
        return;
    }
    TestServer server({"--tls", "none"});
    SmtpTransport transport(plain_options(server));
    const Delivery delivery = transport.deliver(k_envelope, k_message);
    CHECK(delivery.outcome == Outcome::sent);
    CHECK(delivery.code == 250);
    CHECK(delivery.reply == "250 2.0.0 Ok: queued as 000001");
    CHECK(server.stored(1) == k_message);
    const std::string log = read_text(server.work() / "server" / "log.jsonl");
    CHECK(log.find("\"from\": \"school@example.it\"") != std::string::npos);
    CHECK(log.find("\"to\": [\"family@example.it\"]") != std::string::npos);
}

TEST_CASE("smtp transport: STARTTLS with AUTH delivers, a wrong password (535) is a setting to fix, [smtp] user")
{
    if (!server_available()) {
        MESSAGE("skipped: /usr/bin/python3 cannot import aiosmtpd");
        return;
    }
    SecureServer secure;
    auto& server = secure.server;
    SmtpOptions options = secure.options;
    {
        SmtpTransport transport(options);
        const Delivery delivery = transport.deliver(k_envelope, k_message);
        CHECK(delivery.outcome == Outcome::sent);
        CHECK(delivery.code == 250);
        CHECK(server.stored(1) == k_message);
    }
    options.password = "wrong";
    SmtpTransport transport(options);
    const Delivery refused = transport.deliver(k_envelope, k_message);
    CHECK(refused.outcome == Outcome::misconfigured);
    CHECK(refused.setting == "smtp.user");
    CHECK(refused.code == 535);
    CHECK(refused.reply.find("wrong") == std::string::npos);
    const Delivery probed = transport.probe(k_envelope.from);
    CHECK(probed.outcome == Outcome::misconfigured);
    CHECK(probed.setting == "smtp.user");
    CHECK(server.accepted() == 1);
}

TEST_CASE("smtp transport: the probe logs in and tries MAIL FROM, then RSET, and sends nothing")
{
    if (!server_available()) {
        MESSAGE("skipped: /usr/bin/python3 cannot import aiosmtpd");
        return;
    }
    SecureServer secure({"--reject-sender", "bad@*"});
    auto& server = secure.server;
    SmtpOptions options = secure.options;
    SmtpTransport transport(options);
    const Delivery probed = transport.probe(k_envelope.from);
    CHECK(probed.outcome == Outcome::sent);
    CHECK(probed.code == 250);
    const Delivery refused = transport.probe("bad@example.it");
    CHECK(refused.outcome == Outcome::misconfigured);
    CHECK(refused.setting == "mail.from");
    CHECK(refused.code == 553);
    CHECK(server.accepted() == 0);
    // The transport still delivers on its own connection afterwards.
    CHECK(transport.deliver(k_envelope, k_message).outcome == Outcome::sent);

    options.ca_file.clear();
    SmtpTransport untrusted(options);
    const Delivery certificate_refused = untrusted.probe(k_envelope.from);
    CHECK(certificate_refused.outcome == Outcome::misconfigured);
    CHECK(certificate_refused.setting == "smtp.ca_file");
}

TEST_CASE("smtp transport: the host of a url, and which hosts are this machine")
{
    CHECK(url_host("smtp://127.0.0.1:2525") == "127.0.0.1");
    CHECK(url_host("smtps://mail.example.it") == "mail.example.it");
    CHECK(url_host("smtp://[::1]:25/helo") == "[::1]");
    CHECK(url_host("smtp://") == "");
    CHECK(is_loopback_host("127.0.0.1"));
    CHECK(is_loopback_host("localhost"));
    CHECK(is_loopback_host("[::1]"));
    CHECK_FALSE(is_loopback_host("mail.example.it"));
    CHECK_FALSE(is_loopback_host("10.0.0.1"));
}

TEST_CASE("smtp transport: starttls never falls back to plain text when the server offers no TLS")
{
    if (!server_available()) {
        MESSAGE("skipped: /usr/bin/python3 cannot import aiosmtpd");
        return;
    }
    TestServer server({"--tls", "none"});
    SmtpOptions options = plain_options(server);
    options.tls = "starttls";
    SmtpTransport transport(options);
    const Delivery delivery = transport.deliver(k_envelope, k_message);
    CHECK(delivery.outcome == Outcome::misconfigured);
    CHECK(delivery.setting == "smtp.tls");
    CHECK(server.accepted() == 0);
}

TEST_CASE("smtp transport: implicit TLS (smtps) delivers")
{
    if (!server_available()) {
        MESSAGE("skipped: /usr/bin/python3 cannot import aiosmtpd");
        return;
    }
    TempDir keys;
    const Certificate certificate = make_certificate(keys.path());
    TestServer server({"--tls", "implicit", "--cert", certificate.cert.string(), "--key", certificate.key.string()});
    SmtpOptions options;
    options.url = server.url("smtps");
    options.tls = "implicit";
    options.ca_file = certificate.cert.string();
    options.timeout_seconds = 20;
    SmtpTransport transport(options);
    const Delivery delivery = transport.deliver(k_envelope, k_message);
    CHECK(delivery.outcome == Outcome::sent);
    CHECK(server.stored(1) == k_message);
}

TEST_CASE("smtp transport: a 550 for the recipient fails the letter with code 550")
{
    if (!server_available()) {
        MESSAGE("skipped: /usr/bin/python3 cannot import aiosmtpd");
        return;
    }
    TestServer server({"--reject", "unknown@*"});
    SmtpTransport transport(plain_options(server));
    const Delivery delivery = transport.deliver({"school@example.it", "unknown@example.it"}, k_message);
    CHECK(delivery.outcome == Outcome::failed);
    CHECK(delivery.code == 550);
    CHECK(delivery.reply.starts_with("550 5.1.1 <unknown@example.it>"));
    // The next letter on the same transport still goes through.
    CHECK(transport.deliver(k_envelope, k_message).outcome == Outcome::sent);
    CHECK(server.accepted() == 1);
}

TEST_CASE("smtp transport: a 451 defers the letter, and the retry is accepted")
{
    if (!server_available()) {
        MESSAGE("skipped: /usr/bin/python3 cannot import aiosmtpd");
        return;
    }
    TestServer server({"--defer-once", "family@*"});
    SmtpTransport transport(plain_options(server));
    const Delivery first = transport.deliver(k_envelope, k_message);
    CHECK(first.outcome == Outcome::deferred);
    CHECK(first.code == 451);
    CHECK(first.reply.starts_with("451 4.3.0"));
    const Delivery retry = transport.deliver(k_envelope, k_message);
    CHECK(retry.outcome == Outcome::sent);
    CHECK(server.accepted() == 1);
}

TEST_CASE("smtp transport: a connection dropped during DATA defers the letter with code 0")
{
    if (!server_available()) {
        MESSAGE("skipped: /usr/bin/python3 cannot import aiosmtpd");
        return;
    }
    TestServer server({"--drop-after", "1"});
    SmtpTransport transport(plain_options(server));
    CHECK(transport.deliver(k_envelope, k_message).outcome == Outcome::sent);
    const Delivery dropped = transport.deliver(k_envelope, k_message);
    CHECK(dropped.outcome == Outcome::deferred);
    CHECK(dropped.code == 0);
    CHECK_FALSE(dropped.reply.empty());
    // The transport reconnects for the next letter.
    CHECK(transport.deliver(k_envelope, k_message).outcome == Outcome::sent);
    CHECK(server.accepted() == 2);
}

TEST_CASE("smtp transport: two messages over one transport share one connection")
{
    if (!server_available()) {
        MESSAGE("skipped: /usr/bin/python3 cannot import aiosmtpd");
        return;
    }
    TestServer server({});
    SmtpTransport transport(plain_options(server));
    CHECK(transport.deliver(k_envelope, k_message).outcome == Outcome::sent);
    CHECK(transport.deliver({"school@example.it", "other@example.it"}, k_message).outcome == Outcome::sent);
    CHECK(server.accepted() == 2);
    CHECK(server.connections() == 1);
}

TEST_CASE("smtp transport: a daily quota reply pauses the batch")
{
    if (!server_available()) {
        MESSAGE("skipped: /usr/bin/python3 cannot import aiosmtpd");
        return;
    }
    TestServer server({"--limit-after", "1"});
    SmtpTransport transport(plain_options(server));
    CHECK(transport.deliver(k_envelope, k_message).outcome == Outcome::sent);
    const Delivery limited = transport.deliver(k_envelope, k_message);
    CHECK(limited.outcome == Outcome::paused);
    CHECK(limited.code == 550);
    CHECK(limited.reply == "550 5.4.5 Daily user sending quota exceeded");
}

TEST_CASE("smtp transport: a server that answers too slowly defers the letter with code 0")
{
    if (!server_available()) {
        MESSAGE("skipped: /usr/bin/python3 cannot import aiosmtpd");
        return;
    }
    TestServer server({"--delay", "4"});
    SmtpOptions options = plain_options(server);
    options.timeout_seconds = 1;
    SmtpTransport transport(options);
    const Delivery slow = transport.deliver(k_envelope, k_message);
    CHECK(slow.outcome == Outcome::deferred);
    CHECK(slow.code == 0);
}

TEST_CASE("smtp transport: a server that cannot be reached is unavailable, with curl's error")
{
    SmtpOptions options;
    options.url = "smtp://127.0.0.1:1";
    options.tls = "none";
    options.timeout_seconds = 5;
    SmtpTransport transport(options);
    const Delivery delivery = transport.deliver(k_envelope, k_message);
    CHECK(delivery.outcome == Outcome::unavailable);
    CHECK(delivery.code == 0);
    CHECK_FALSE(delivery.reply.empty());
}

TEST_CASE("smtp transport: unusable settings are configuration errors that never show the password")
{
    const auto config_error = [](SmtpOptions options) -> std::string {
        try {
            SmtpTransport transport(std::move(options));
        } catch (const Error& error) {
            CHECK(error.code() == ErrorCode::config);
            return error.what();
        }
        FAIL("settings were accepted that should have been refused");
        return {};
    };
    SmtpOptions options;
    options.url = "smtp://mail.example.it:465";
    options.tls = "implicit";
    config_error(options);
    options.url = "smtps://mail.example.it:465";
    options.tls = "starttls";
    config_error(options);
    options.url = "http://mail.example.it";
    options.tls = "none";
    config_error(options);
    options.url = "smtp://mail.example.it:587";
    options.tls = "sometimes";
    config_error(options);
    options.url = "smtp://school:hunter2@mail.example.it:587";
    options.tls = "starttls";
    CHECK(config_error(options).find("hunter2") == std::string::npos);
    // Letters in clear only to this machine, and never with a password.
    options.url = "smtp://mail.example.it:25";
    options.tls = "none";
    CHECK(config_error(options).find("this machine") != std::string::npos);
    options.url = "smtp://127.0.0.1:25";
    options.password = "hunter2";
    CHECK(config_error(options).find("hunter2") == std::string::npos);
    // A malformed url is never repeated: a password could hide in it.
    options.password.clear();
    options.url = "htp://hunter2.example.it";
    CHECK(config_error(options).find("hunter2") == std::string::npos);
}

TEST_CASE("smtp transport: an envelope address with a line break is refused before anything is sent")
{
    SmtpOptions options;
    options.url = "smtp://127.0.0.1:1";
    options.tls = "none";
    SmtpTransport transport(options);
    CHECK_THROWS_AS(transport.deliver({"school@example.it", "a@example.it>\r\nRCPT TO:<b@example.it"}, k_message),
                    Error);
    CHECK_THROWS_AS(transport.deliver({"", "a@example.it"}, k_message), Error);
}
