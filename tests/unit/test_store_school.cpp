#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/store/school.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::TempDir;

namespace {

const store::School k_school{"87004020589",
                             "ITIS Vallauri",
                             "https://registro.example.it/?Customer_ID=87004020589",
                             "segreteria@itisvallauri.edu.it",
                             "itisvallauri.edu.it",
                             "k20260915"};

} // namespace

TEST_CASE("store school: the school written reads back whole, dated by the time given")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    store::insert_school(db, k_school, *parse_iso_time("2026-09-15T08:00:00Z"));
    const auto school = store::load_school(db, config::Settings{});
    CHECK(school.code == k_school.code);
    CHECK(school.name == k_school.name);
    CHECK(school.portal_url == k_school.portal_url);
    CHECK(school.mail_from == k_school.mail_from);
    CHECK(school.domain == k_school.domain);
    CHECK(school.key_id == k_school.key_id);
    CHECK(db.connection().get<std::string>("SELECT created_at FROM school") == "2026-09-15T08:00:00Z");
    CHECK(store::school_key_id(db) == "k20260915");
}

TEST_CASE("store school: settings given override the stored values, empty ones do not")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    store::insert_school(db, k_school, *parse_iso_time("2026-09-15T08:00:00Z"));
    config::Settings settings;
    settings.school.name = "IIS Vallauri";
    settings.mail.from = "noreply@itisvallauri.edu.it";
    const auto school = store::load_school(db, settings);
    CHECK(school.name == "IIS Vallauri");
    CHECK(school.mail_from == "noreply@itisvallauri.edu.it");
    CHECK(school.code == k_school.code);
    CHECK(school.domain == k_school.domain);
}

TEST_CASE("store school: a database without a school has no key id, and loading it is a config error")
{
    TempDir dir;
    auto db = store::Database::create(dir / "a.db");
    CHECK(store::school_key_id(db).empty());
    try {
        store::load_school(db, config::Settings{});
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::config);
        CHECK(std::string(e.what()).find("credenza init") != std::string::npos);
    }
}
