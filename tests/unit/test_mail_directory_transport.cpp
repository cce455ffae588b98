#include <credenza/mail/transport.hpp>

#include <credenza/error.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/stat.h>

using namespace credenza::mail;
using namespace std::string_literals;
using credenza::Error;
using credenza::ErrorCode;
namespace fs = std::filesystem;

namespace {

using credenza::testing::TempDir;

unsigned mode_of(const fs::path& path)
{
    struct stat status{};
    REQUIRE(::stat(path.c_str(), &status) == 0);
    return status.st_mode & 07777;
}

std::string read_bytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

} // namespace

TEST_CASE("directory transport: a message is written with exactly its bytes to a 0600 file in a 0700 directory")
{
    TempDir root;
    const fs::path outbox = root.path() / "var" / "outbox";
    DirectoryTransport transport(outbox);
    const std::string message = "Subject: x\r\n\r\nPassword: k<7Q\r\n.dot\r\n\0binary\xff"s;
    const Delivery delivery = transport.deliver({"school@example.it", "family@example.it"}, message);

    CHECK(delivery.outcome == Outcome::sent);
    CHECK(delivery.code == 0);
    const fs::path written = delivery.reply;
    CHECK(written.parent_path() == outbox);
    CHECK(written.extension() == ".eml");
    CHECK(read_bytes(written) == message);
    CHECK(mode_of(written) == 0600);
    CHECK(mode_of(outbox) == 0700);

    // Nothing else is left behind: no temporary file.
    int files = 0;
    for (const auto& entry : fs::directory_iterator(outbox)) {
        CHECK(entry.path() == written);
        ++files;
    }
    CHECK(files == 1);
}

TEST_CASE("directory transport: every message gets a file of its own, in order of writing")
{
    TempDir root;
    DirectoryTransport transport(root.path() / "outbox");
    const Delivery first = transport.deliver({"a@example.it", "b@example.it"}, "one\r\n");
    const Delivery second = transport.deliver({"a@example.it", "b@example.it"}, "two\r\n");
    CHECK(first.reply != second.reply);
    CHECK(fs::path(first.reply).filename().string() < fs::path(second.reply).filename().string());
    CHECK(read_bytes(first.reply) == "one\r\n");
    CHECK(read_bytes(second.reply) == "two\r\n");
}

TEST_CASE("directory transport: an outbox that cannot be made is Error(cannot_create)")
{
    TempDir root;
    const fs::path blocker = root.path() / "file";
    std::ofstream(blocker) << "not a directory";
    try {
        DirectoryTransport transport(blocker / "outbox");
        FAIL("an outbox under a regular file was accepted");
    } catch (const Error& error) {
        CHECK(error.code() == ErrorCode::cannot_create);
        CHECK(std::string(error.what()).find((blocker / "outbox").string()) != std::string::npos);
    }
    try {
        DirectoryTransport transport(blocker);
        FAIL("a regular file was accepted as the outbox");
    } catch (const Error& error) {
        CHECK(error.code() == ErrorCode::cannot_create);
    }
}
