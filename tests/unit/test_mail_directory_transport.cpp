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

    // Nothing else is left behind but the run's index: no temporary file.
    int files = 0;
    for (const auto& entry : fs::directory_iterator(outbox)) {
        CHECK((entry.path() == written || entry.path() == transport.index_path()));
        ++files;
    }
    CHECK(files == 2);
    CHECK(mode_of(transport.index_path()) == 0600);
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

TEST_CASE("directory transport: a letter's file is named by class, surname and user code, folded to safe ASCII")
{
    CHECK(outbox_name_stem({"F4K7Q2M9X", "family", "Citrò", "5A"}) == "5A_Citro_F4K7Q2M9X");
    CHECK(outbox_name_stem({"S2345", "student", "D'Angelo De Luca", "1 B"}) == "1-B_DAngelo-De-Luca_S2345");
    CHECK(outbox_name_stem({"F9", "family", "../../etc/passwd", ""}) == "etc-passwd_F9");
    CHECK(outbox_name_stem({"F9", "family", "Müller\tØ/Ÿ", "2A"}) == "2A_Muller-o-y_F9");
    CHECK(outbox_name_stem({}) == "");

    TempDir root;
    DirectoryTransport transport(root.path() / "outbox");
    const Envelope envelope{"school@example.it", "maria.citro@example.it", {"F4K7Q2M9X", "family", "Citrò", "5A"}};
    const Delivery first = transport.deliver(envelope, "Password: k<7Qz\r\n");
    const Delivery second = transport.deliver(envelope, "Password: other\r\n");
    const std::string first_name = fs::path(first.reply).filename().string();
    const std::string second_name = fs::path(second.reply).filename().string();
    CHECK(first_name.starts_with("5A_Citro_F4K7Q2M9X_"));
    CHECK(first_name.ends_with(".eml"));
    // Two letters to one account: two files, in the order they were written.
    CHECK(first_name < second_name);
    CHECK(first_name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.")
          == std::string::npos);
}

TEST_CASE("directory transport: the run's index lists every letter written: file, user code, kind, surname, class, "
          "address")
{
    TempDir root;
    DirectoryTransport transport(root.path() / "outbox");
    CHECK(transport.index_path().empty()); // nothing written, no index
    const Delivery first = transport.deliver(
        {"school@example.it", "maria.citro@example.it", {"F4K7Q2M9X", "family", "Citrò", "5A"}}, "one\r\n");
    const Delivery second = transport.deliver(
        {"school@example.it", "luca.neri@school.it", {"S2345", "student", "Neri\tx", "1B"}}, "two\r\n");
    const fs::path index = transport.index_path();
    CHECK(index.parent_path() == root.path() / "outbox");
    CHECK(index.filename().string().starts_with("index-"));
    CHECK(index.extension() == ".tsv");
    CHECK(read_bytes(index)
          == "file\tuser_code\tkind\tsurname\tclass\taddress\n" + fs::path(first.reply).filename().string()
                 + "\tF4K7Q2M9X\tfamily\tCitrò\t5A\tmaria.citro@example.it\n"
                 + fs::path(second.reply).filename().string() + "\tS2345\tstudent\tNeri x\t1B\tluca.neri@school.it\n");
    // A second run (another transport) writes an index of its own.
    DirectoryTransport next_run(root.path() / "outbox");
    next_run.deliver({"school@example.it", "b@example.it", {"F2", "reset", "Rossi", "2A"}}, "three\r\n");
    CHECK(next_run.index_path() != index);
    CHECK(read_bytes(next_run.index_path()).find("\tF2\treset\tRossi\t2A\tb@example.it\n") != std::string::npos);
}
