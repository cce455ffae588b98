#include <credenza/credentials/key_ring.hpp>

#include <credenza/error.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"
#include <sodium.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/stat.h>

using namespace credenza::credentials;
namespace fs = std::filesystem;

namespace {

using credenza::testing::TempDir;

fs::perms mode_of(const fs::path& path)
{
    return fs::status(path).permissions() & fs::perms::mask;
}

std::string read_text(const fs::path& path)
{
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_text(const fs::path& path, const std::string& text)
{
    std::ofstream(path) << text;
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
}

credenza::Error load_error(const fs::path& path)
{
    try {
        KeyRing::load(path);
    } catch (const credenza::Error& error) {
        return error;
    }
    FAIL("the key file was loaded");
    return credenza::Error(credenza::ErrorCode::internal, "");
}

// The fields of the last key line of a key file: id and hex key.
std::pair<std::string, std::string> last_key_of(const fs::path& path)
{
    std::istringstream lines(read_text(path));
    std::string line;
    std::string magic;
    std::string id;
    std::string hex;
    while (std::getline(lines, line)) {
        if (!line.empty() && line[0] != '#') {
            std::istringstream(line) >> magic >> id >> hex;
        }
    }
    return {id, hex};
}

} // namespace

TEST_CASE("key ring: create writes one key, mode 0600, that load reads back")
{
    TempDir dir;
    const fs::path path = dir.path() / "pepper.key";
    KeyRing::create(path);
    CHECK(mode_of(path) == (fs::perms::owner_read | fs::perms::owner_write));

    const KeyRing ring = KeyRing::load(path);
    const std::string& id = ring.current_id();
    CHECK(id.size() == 8);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(ring.has_key(id));
    CHECK_FALSE(ring.has_key("00000000"));
    const auto [file_id, hex] = last_key_of(path);
    CHECK(file_id == id);
    CHECK(hex.size() == 64);
}

TEST_CASE("key ring: create refuses an existing file and leaves it alone")
{
    TempDir dir;
    const fs::path path = dir.path() / "pepper.key";
    KeyRing::create(path);
    const std::string before = read_text(path);
    try {
        KeyRing::create(path);
        FAIL("an existing key file was overwritten");
    } catch (const credenza::Error& error) {
        CHECK(error.code() == credenza::ErrorCode::cannot_create);
        CHECK(std::string(error.what()) == "key file '" + path.string() + "' already exists");
    }
    CHECK(read_text(path) == before);
}

TEST_CASE("key ring: two created key files hold different keys")
{
    TempDir dir;
    KeyRing::create(dir.path() / "a.key");
    KeyRing::create(dir.path() / "b.key");
    CHECK(last_key_of(dir.path() / "a.key").second != last_key_of(dir.path() / "b.key").second);
}

TEST_CASE("key ring: load refuses a key file that group or others may access")
{
    TempDir dir;
    const fs::path path = dir.path() / "pepper.key";
    KeyRing::create(path);
    for (const auto extra : {fs::perms::others_read, fs::perms::group_read, fs::perms::group_write}) {
        fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | extra);
        const credenza::Error error = load_error(path);
        CHECK(error.code() == credenza::ErrorCode::permission);
        CHECK(std::string(error.what())
              == "key file '" + path.string() + "' is readable by other users: chmod 600 '"
                     + path.string() + "'");
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    CHECK_NOTHROW(KeyRing::load(path));
}

TEST_CASE("key ring: a missing key file is a configuration error")
{
    TempDir dir;
    const credenza::Error error = load_error(dir.path() / "missing.key");
    CHECK(error.code() == credenza::ErrorCode::config);
    CHECK(std::string(error.what()).find("cannot read key file '") == 0);
    CHECK(std::string(error.what()).find("No such file or directory") != std::string::npos);
}

TEST_CASE("key ring: a malformed key file is a configuration error that shows no key")
{
    TempDir dir;
    const fs::path good = dir.path() / "good.key";
    KeyRing::create(good);
    const auto [id, hex] = last_key_of(good);
    const std::string other_id = id == "00000000" ? "00000001" : "00000000";

    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "no key in it"},
        {"# only a comment\n\n", "no key in it"},
        {"garbage\n", "line 1: expected 'credenza-pepper-v1 ID KEY'"},
        {"credenza-pepper-v2 " + id + " " + hex + "\n", "line 1: expected"},
        {"credenza-pepper-v1 " + id + " " + hex + " extra\n", "line 1: expected"},
        {"# c\ncredenza-pepper-v1 " + id + " " + hex.substr(2) + "\n", "line 2: the key is not 64 hex digits"},
        {"credenza-pepper-v1 " + id + " " + hex.substr(1) + "g\n", "line 1: the key is not 64 hex digits"},
        {"credenza-pepper-v1 " + other_id + " " + hex + "\n", "line 1: key id '" + other_id + "' does not match"},
        {"credenza-pepper-v1 " + id + " " + hex + "\ncredenza-pepper-v1 " + id + " " + hex + "\n",
         "line 2: key '" + id + "' appears twice"},
    };
    for (const auto& [content, expected] : cases) {
        const fs::path path = dir.path() / "bad.key";
        write_text(path, content);
        const credenza::Error error = load_error(path);
        CHECK(error.code() == credenza::ErrorCode::config);
        const std::string message = error.what();
        CHECK_MESSAGE(message.find("cannot read key file '" + path.string() + "': " + expected) == 0,
                      message);
        CHECK(message.find(hex.substr(0, 16)) == std::string::npos);
        CHECK(message.find(hex.substr(40, 16)) == std::string::npos);
        fs::remove(path);
    }
}

TEST_CASE("key ring: a key file with CRLF line ends and comments loads")
{
    TempDir dir;
    const fs::path path = dir.path() / "pepper.key";
    KeyRing::create(path);
    const auto [id, hex] = last_key_of(path);
    write_text(path, "# pepper\r\n\r\ncredenza-pepper-v1 " + id + " " + hex + "\r\n");
    CHECK(KeyRing::load(path).current_id() == id);
}

TEST_CASE("key ring: keyed is HMAC-SHA-256 of purpose, account id and secret")
{
    TempDir dir;
    const fs::path path = dir.path() / "pepper.key";
    KeyRing::create(path);
    const KeyRing ring = KeyRing::load(path);
    const auto [id, hex] = last_key_of(path);

    REQUIRE(sodium_init() >= 0);
    std::array<unsigned char, 32> key{};
    REQUIRE(sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, nullptr, nullptr) == 0);
    const std::string message("pin\0" "42\0" "123457", 13);
    std::array<unsigned char, 32> expected{};
    crypto_auth_hmacsha256(expected.data(), reinterpret_cast<const unsigned char*>(message.data()),
                           message.size(), key.data());

    CHECK(ring.keyed(id, Purpose::pin, 42, "123457") == expected);
}

TEST_CASE("key ring: keyed differs by purpose, account, secret and key")
{
    TempDir dir;
    KeyRing::create(dir.path() / "a.key");
    KeyRing::create(dir.path() / "b.key");
    const KeyRing a = KeyRing::load(dir.path() / "a.key");
    const KeyRing b = KeyRing::load(dir.path() / "b.key");
    const auto base = a.keyed(a.current_id(), Purpose::password, 7, "secret");
    CHECK(a.keyed(a.current_id(), Purpose::password, 7, "secret") == base);
    CHECK(a.keyed(a.current_id(), Purpose::pin, 7, "secret") != base);
    CHECK(a.keyed(a.current_id(), Purpose::password, 8, "secret") != base);
    CHECK(a.keyed(a.current_id(), Purpose::password, 7, "secreT") != base);
    CHECK(b.keyed(b.current_id(), Purpose::password, 7, "secret") != base);
    // The separators keep account id and secret apart: (1, "23") is not (12, "3").
    CHECK(a.keyed(a.current_id(), Purpose::password, 1, "23")
          != a.keyed(a.current_id(), Purpose::password, 12, "3"));
}

TEST_CASE("key ring: keyed with an unknown key id is a configuration error")
{
    TempDir dir;
    KeyRing::create(dir.path() / "a.key");
    const KeyRing ring = KeyRing::load(dir.path() / "a.key");
    const std::string unknown = ring.current_id() == "00000000" ? "00000001" : "00000000";
    CHECK_THROWS_AS(ring.keyed(unknown, Purpose::password, 1, "x"), credenza::Error);
    try {
        ring.keyed(unknown, Purpose::password, 1, "x");
    } catch (const credenza::Error& error) {
        CHECK(error.code() == credenza::ErrorCode::config);
    }
}

TEST_CASE("key ring: add_key adds a current key and keeps the old one")
{
    TempDir dir;
    const fs::path path = dir.path() / "pepper.key";
    KeyRing::create(path);
    const KeyRing before = KeyRing::load(path);
    const auto old_keyed = before.keyed(before.current_id(), Purpose::password, 3, "pw");

    KeyRing::add_key(path);
    CHECK(mode_of(path) == (fs::perms::owner_read | fs::perms::owner_write));
    CHECK_FALSE(fs::exists(dir.path() / "pepper.key.new"));
    const KeyRing after = KeyRing::load(path);
    CHECK(after.current_id() != before.current_id());
    CHECK(after.has_key(before.current_id()));
    CHECK(after.keyed(before.current_id(), Purpose::password, 3, "pw") == old_keyed);

    KeyRing::add_key(path);
    const KeyRing third = KeyRing::load(path);
    CHECK(third.has_key(before.current_id()));
    CHECK(third.has_key(after.current_id()));
    CHECK(third.current_id() != after.current_id());
}

TEST_CASE("key ring: add_key refuses a key file others may read")
{
    TempDir dir;
    const fs::path path = dir.path() / "pepper.key";
    KeyRing::create(path);
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
    try {
        KeyRing::add_key(path);
        FAIL("a key was added to a readable file");
    } catch (const credenza::Error& error) {
        CHECK(error.code() == credenza::ErrorCode::permission);
    }
}

TEST_CASE("key ring: a moved-from key ring holds no key")
{
    TempDir dir;
    KeyRing::create(dir.path() / "a.key");
    KeyRing first = KeyRing::load(dir.path() / "a.key");
    const std::string id = first.current_id();
    KeyRing second(std::move(first));
    CHECK(second.has_key(id));
    CHECK_FALSE(first.has_key(id)); // NOLINT(bugprone-use-after-move): the point of the test

    KeyRing::create(dir.path() / "b.key");
    KeyRing third = KeyRing::load(dir.path() / "b.key");
    third = std::move(second);
    CHECK(third.current_id() == id);
    CHECK_FALSE(second.has_key(id)); // NOLINT(bugprone-use-after-move)
}
