#include <credenza/util/files.hpp>

#include <doctest/doctest.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <string>

#include <csignal>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.hpp"

using namespace credenza;
using credenza::testing::TempDir;
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

mode_t mode_of(const fs::path& path)
{
    struct stat status{};
    REQUIRE(::lstat(path.c_str(), &status) == 0);
    return status.st_mode & 07777;
}

// Sets a umask for one scope, so a test can show that it does not reach the file.
class Umask
{
public:
    explicit Umask(mode_t mask) : m_previous(::umask(mask)) {}
    ~Umask() { ::umask(m_previous); }
    Umask(const Umask&) = delete;
    Umask& operator=(const Umask&) = delete;

private:
    mode_t m_previous;
};

} // namespace

TEST_CASE("file descriptor: closes on scope exit, and close() reports once")
{
    TempDir dir;
    int raw = -1;
    {
        util::FileDescriptor descriptor(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        REQUIRE(descriptor.valid());
        raw = descriptor.get();
    }
    errno = 0;
    CHECK(::fcntl(raw, F_GETFD) == -1);
    CHECK(errno == EBADF);

    util::FileDescriptor descriptor(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    CHECK(descriptor.close() == 0);
    CHECK_FALSE(descriptor.valid());
    CHECK(descriptor.close() == 0); // nothing left to close
}

TEST_CASE("file descriptor: moving hands the descriptor over")
{
    TempDir dir;
    util::FileDescriptor first(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    const int raw = first.get();
    util::FileDescriptor second(std::move(first));
    CHECK_FALSE(first.valid()); // NOLINT(bugprone-use-after-move): the moved-from state is the point
    CHECK(second.get() == raw);
    util::FileDescriptor third;
    third = std::move(second);
    CHECK(third.get() == raw);
    CHECK(third.release() == raw);
    CHECK(::close(raw) == 0);
}

TEST_CASE("create exclusive: a new file gets exactly its mode, whatever the umask")
{
    TempDir dir;
    const Umask mask(0277);
    const auto path = dir / "new";
    util::FileDescriptor descriptor = util::create_exclusive(path, 0600);
    CHECK(descriptor.valid());
    CHECK(mode_of(path) == 0600);
}

TEST_CASE("create exclusive: refuses an existing file and leaves it alone")
{
    TempDir dir;
    const auto path = dir / "taken";
    std::ofstream(path) << "old";
    try {
        util::create_exclusive(path, 0600);
        FAIL("an existing file was opened");
    } catch (const util::FileError& error) {
        CHECK(error.already_exists());
        CHECK(error.code() == ErrorCode::cannot_create);
        CHECK(error.step() == util::FileError::Step::create);
        CHECK(std::string(error.what()) == "'" + path.string() + "' already exists");
    }
    CHECK(read_all(path) == "old");
}

TEST_CASE("create exclusive: refuses a symbolic link, even a dangling one, and creates nothing through it")
{
    TempDir dir;
    const auto target = dir / "target";
    const auto link = dir / "link";
    fs::create_symlink(target, link);
    CHECK_THROWS_AS(util::create_exclusive(link, 0600), util::FileError);
    CHECK_FALSE(fs::exists(target));
    CHECK(fs::is_symlink(link));
}

TEST_CASE("create exclusive: a missing directory is a cannot_create error naming the path and the cause")
{
    TempDir dir;
    const auto path = dir / "missing" / "file";
    try {
        util::create_exclusive(path, 0600);
        FAIL("a file was created in a missing directory");
    } catch (const util::FileError& error) {
        CHECK_FALSE(error.already_exists());
        CHECK(error.code() == ErrorCode::cannot_create);
        CHECK(error.error_number() == ENOENT);
        CHECK(std::string(error.what()) == "cannot create '" + path.string() + "': " + error.cause());
    }
}

TEST_CASE("write new file: writes the bytes to a 0600 file")
{
    TempDir dir;
    const Umask mask(0022);
    const auto path = dir / "secret";
    const std::string data = std::string("a\0b\n", 4) + std::string(100000, 'x');
    util::write_new_file(path, data, 0600);
    CHECK(read_all(path) == data);
    CHECK(mode_of(path) == 0600);
}

TEST_CASE("write new file: never overwrites an existing file")
{
    TempDir dir;
    const auto path = dir / "secret";
    std::ofstream(path) << "old";
    try {
        util::write_new_file(path, "new", 0600);
        FAIL("an existing file was overwritten");
    } catch (const util::FileError& error) {
        CHECK(error.already_exists());
    }
    CHECK(read_all(path) == "old");
}

TEST_CASE("write new file: leaves no file behind when writing fails")
{
    TempDir dir;
    const auto path = dir / "big";
    // A file size limit of one byte makes the second byte fail with EFBIG, as a full disk would.
    struct rlimit previous{};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &previous) == 0);
    const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit tiny = previous;
    tiny.rlim_cur = 1;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &tiny) == 0);
    bool threw = false;
    try {
        util::write_new_file(path, "ab", 0600);
    } catch (const util::FileError& error) {
        threw = true;
        CHECK(error.step() == util::FileError::Step::write);
        CHECK(error.code() == ErrorCode::io);
        CHECK(error.error_number() == EFBIG);
        CHECK(std::string(error.what()) == "cannot write '" + path.string() + "': " + error.cause());
    }
    ::setrlimit(RLIMIT_FSIZE, &previous);
    std::signal(SIGXFSZ, previous_handler);
    CHECK(threw);
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("write new file: a file that cannot be created leaves nothing behind")
{
    TempDir dir;
    const auto path = dir / "missing" / "file";
    CHECK_THROWS_AS(util::write_new_file(path, "data", 0600), util::FileError);
    CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("fsync: a file and a directory sync, a missing one is an open error")
{
    TempDir dir;
    const auto path = dir / "file";
    util::write_new_file(path, "x", 0600);
    CHECK_NOTHROW(util::fsync_file(path));
    CHECK_NOTHROW(util::fsync_directory(dir.path()));
    try {
        util::fsync_directory(dir / "missing");
        FAIL("a missing directory synced");
    } catch (const util::FileError& error) {
        CHECK(error.step() == util::FileError::Step::open);
        CHECK(error.code() == ErrorCode::io);
    }
    CHECK_THROWS_AS(util::fsync_directory(path), util::FileError); // a file is not a directory
}

TEST_CASE("directory of: the parent, or the current directory for a bare name")
{
    CHECK(util::directory_of("a/b/c") == fs::path("a/b"));
    CHECK(util::directory_of("/x") == fs::path("/"));
    CHECK(util::directory_of("name") == fs::path("."));
}

TEST_CASE("atomic write: replaces a file whole, mode as asked, and leaves no temporary")
{
    TempDir dir;
    const auto path = dir / "file";
    const auto temporary = dir / ".file.tmp";
    std::ofstream(path) << "old";
    util::atomic_write(path, "new", 0600, temporary);
    CHECK(read_all(path) == "new");
    CHECK(mode_of(path) == 0600);
    CHECK_FALSE(fs::exists(temporary));
}

TEST_CASE("atomic write: a temporary in the way is refused and the file keeps its content")
{
    TempDir dir;
    const auto path = dir / "file";
    const auto temporary = dir / ".file.tmp";
    std::ofstream(path) << "old";
    std::ofstream(temporary) << "someone else's";
    try {
        util::atomic_write(path, "new", 0600, temporary);
        FAIL("the temporary was overwritten");
    } catch (const util::FileError& error) {
        CHECK(error.already_exists());
        CHECK(error.path() == temporary);
    }
    CHECK(read_all(path) == "old");
    CHECK(read_all(temporary) == "someone else's");
}

TEST_CASE("atomic write: a rename that fails removes the temporary")
{
    TempDir dir;
    const auto path = dir / "directory";
    fs::create_directory(path);
    std::ofstream(path / "inside") << "x"; // a file cannot be renamed over a directory
    const auto temporary = dir / ".directory.tmp";
    try {
        util::atomic_write(path, "new", 0600, temporary);
        FAIL("a file replaced a directory");
    } catch (const util::FileError& error) {
        CHECK(error.step() == util::FileError::Step::rename);
        CHECK(error.path() == temporary);
        CHECK(error.code() == ErrorCode::io);
    }
    CHECK_FALSE(fs::exists(temporary));
    CHECK(fs::is_directory(path));
}
