#include <doctest/doctest.h>

#include <credenza/credentials/database_key.hpp>
#include <credenza/store/school.hpp>

#include "support.hpp"

using namespace credenza;

TEST_CASE("database key: the key file made with the database passes, also after a rotation")
{
    testing::School school(false);
    CHECK_NOTHROW(credentials::require_database_key(*school.db, *school.keys, school.key_path));
    credentials::KeyRing::add_key(school.key_path);
    const auto rotated = credentials::KeyRing::load(school.key_path);
    CHECK_NOTHROW(credentials::require_database_key(*school.db, rotated, school.key_path));
}

TEST_CASE("database key: a key file of another school is a config error naming the file and the key")
{
    testing::School school(false);
    testing::TempDir other;
    credentials::KeyRing::create(other / "other.key");
    const auto keys = credentials::KeyRing::load(other / "other.key");
    try {
        credentials::require_database_key(*school.db, keys, other / "other.key");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::config);
        const std::string message = e.what();
        CHECK(message.find("other.key") != std::string::npos);
        CHECK(message.find(store::school_key_id(*school.db)) != std::string::npos);
    }
}

TEST_CASE("database key: a database that records no key accepts any key file")
{
    testing::TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    credentials::KeyRing::create(dir / "a.key");
    CHECK_NOTHROW(credentials::require_database_key(db, credentials::KeyRing::load(dir / "a.key"), dir / "a.key"));
}
