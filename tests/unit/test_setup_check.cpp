#include <credenza/setup/check.hpp>

#include <doctest/doctest.h>

#include <sys/stat.h>

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
