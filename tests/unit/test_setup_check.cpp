#include <credenza/setup/check.hpp>

#include <doctest/doctest.h>

#include <fstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;

namespace {

setup::CheckOptions offline(const School& school)
{
    setup::CheckOptions options;
    options.database = school.db_path;
    options.key_file = school.key_path;
    options.connect = false;
    return options;
}

const setup::CheckResult& named(const std::vector<setup::CheckResult>& results, const std::string& name)
{
    const auto found = std::find_if(results.begin(), results.end(), [&](const auto& r) { return r.name == name; });
    REQUIRE(found != results.end());
    return *found;
}

} // namespace

TEST_CASE("setup check: a fresh school passes every check, in order, without changing anything")
{
    School school(false);
    school.settings.mail.outbox = (school.dir / "outbox").string();
    const auto results = setup::check_installation(school.settings, system_clock(), offline(school));
    std::vector<std::string> names;
    for (const auto& result : results) {
        CAPTURE(result.detail);
        CHECK(result.passed);
        names.push_back(result.name);
    }
    CHECK(names == std::vector<std::string>{"database", "key_file", "templates", "mail", "daily_cap"});
    CHECK_FALSE(std::filesystem::exists(school.dir / "outbox")); // looked at, not made
}

TEST_CASE("setup check: files readable by others fail with a permission error that says how to fix it")
{
    School school(false);
    REQUIRE(::chmod(school.key_path.c_str(), 0640) == 0);
    const auto key = named(setup::check_installation(school.settings, system_clock(), offline(school)), "key_file");
    CHECK_FALSE(key.passed);
    CHECK(key.code == ErrorCode::permission);
    CHECK(key.detail.find("chmod 600") != std::string::npos);
}

TEST_CASE("setup check: a missing database fails as no input, and the checks that need it say so")
{
    School school(false);
    auto options = offline(school);
    options.database = school.dir / "missing.db";
    const auto results = setup::check_installation(school.settings, system_clock(), options);
    CHECK(named(results, "database").code == ErrorCode::no_input);
    CHECK_FALSE(named(results, "key_file").passed);
    CHECK_FALSE(named(results, "daily_cap").passed);
    CHECK(named(results, "templates").passed);
}

TEST_CASE("setup check: more letters due than the daily cap leaves fail the daily cap check")
{
    School school(true);
    school.db->connection().execute("INSERT INTO letter (account_id, purpose, queued_at, updated_at) "
                                    "SELECT id, 'initial', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' "
                                    "FROM account LIMIT 3");
    school.settings.mail.daily_cap = 2;
    const auto cap = named(setup::check_installation(school.settings, system_clock(), offline(school)), "daily_cap");
    CHECK_FALSE(cap.passed);
    CHECK(cap.setting == "mail.daily_cap");
    CHECK(cap.detail.find("3 letters due, but only 2") != std::string::npos);
}

namespace {

constexpr const char* k_imap_secret = "Unit-Imap-Secret-Never-Shown";

// [imap] for a server on `port` of this machine, its password in a 0600 file of the school's folder.
void set_imap(School& school, int port)
{
    const auto file = school.dir / "imap-password";
    {
        std::ofstream out(file);
        out << k_imap_secret << "\n";
    }
    REQUIRE(::chmod(file.c_str(), 0600) == 0);
    school.settings.mail.outbox = (school.dir / "outbox").string();
    school.settings.imap.url = "imaps://127.0.0.1:" + std::to_string(port) + "/Rimbalzi";
    school.settings.imap.user = "segreteria@itisvallauri.edu.it";
    school.settings.imap.password_file = file.string();
    school.settings.imap.timeout_seconds = 5;
}

// A loopback port bound but not listening: a connection to it is refused at once, and no one else
// can take it while the socket lives.
struct RefusingPort
{
    int socket = ::socket(AF_INET, SOCK_STREAM, 0);
    int port = 0;
    RefusingPort()
    {
        REQUIRE(socket >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(socket, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        socklen_t size = sizeof address;
        REQUIRE(::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &size) == 0);
        port = ntohs(address.sin_port);
    }
    ~RefusingPort() { ::close(socket); }
    RefusingPort(const RefusingPort&) = delete;
    RefusingPort& operator=(const RefusingPort&) = delete;
};

} // namespace

TEST_CASE("setup check: with [imap] url a bounces line comes before daily_cap, and offline it reads only the settings")
{
    School school(false);
    const RefusingPort refusing;
    set_imap(school, refusing.port);
    const auto results = setup::check_installation(school.settings, system_clock(), offline(school));
    std::vector<std::string> names;
    for (const auto& result : results) {
        names.push_back(result.name);
    }
    CHECK(names == std::vector<std::string>{"database", "key_file", "templates", "mail", "bounces", "daily_cap"});
    // Passed although nothing listens: it did not connect.
    const auto bounces = named(results, "bounces");
    CHECK(bounces.passed);
    CHECK(bounces.detail == "imap settings are consistent (not connected)");
}

TEST_CASE("setup check: inconsistent [imap] settings fail bounces as configuration errors, without the password")
{
    School school(false);
    const RefusingPort refusing;
    set_imap(school, refusing.port);
    const auto bounces_of = [&school] {
        return named(setup::check_installation(school.settings, system_clock(), offline(school)), "bounces");
    };
    SUBCASE("a password file readable by others")
    {
        REQUIRE(::chmod(school.settings.imap.password_file.c_str(), 0640) == 0);
        const auto result = bounces_of();
        CHECK_FALSE(result.passed);
        CHECK(result.code == ErrorCode::config);
        CHECK(result.detail.find("chmod 600") != std::string::npos);
    }
    SUBCASE("a user without a password")
    {
        school.settings.imap.password_file.clear();
        const auto result = bounces_of();
        CHECK_FALSE(result.passed);
        CHECK(result.code == ErrorCode::config);
        CHECK(result.setting == "imap.password_file");
    }
    SUBCASE("a password without a user")
    {
        school.settings.imap.user.clear();
        const auto result = bounces_of();
        CHECK_FALSE(result.passed);
        CHECK(result.setting == "imap.user");
        CHECK(result.detail.find(k_imap_secret) == std::string::npos);
    }
    SUBCASE("no TLS to another machine")
    {
        school.settings.imap.url = "imap://imap.example.org/INBOX";
        school.settings.imap.tls = "none";
        const auto result = bounces_of();
        CHECK_FALSE(result.passed);
        CHECK(result.code == ErrorCode::config);
        CHECK(result.detail.find("tls 'none'") != std::string::npos);
    }
}

TEST_CASE("setup check: an imap server that refuses the connection fails bounces as temporary, naming the host")
{
    School school(false);
    const RefusingPort refusing;
    set_imap(school, refusing.port);
    auto options = offline(school);
    options.connect = true;
    const auto result = named(setup::check_installation(school.settings, system_clock(), options), "bounces");
    CHECK_FALSE(result.passed);
    CHECK(result.code == ErrorCode::temporary);
    CHECK(result.detail.find("the imap server '127.0.0.1' cannot be reached") != std::string::npos);
    CHECK(result.detail.find(k_imap_secret) == std::string::npos);
}
