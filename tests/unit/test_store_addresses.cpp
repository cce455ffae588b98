#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/store/addresses.hpp>

#include "support.hpp"

using namespace credenza;

TEST_CASE("store addresses: the active pupils without an address, by class, surname and name")
{
    testing::School school;
    auto pupils = store::active_pupils_without_address(*school.db);
    REQUIRE(pupils.size() == 2);
    CHECK(pupils[0].tax_code == "FNTNCL11R02A944N");
    CHECK(pupils[0].surname == "Fontana");
    CHECK(pupils[0].name == "Niccolò");
    CHECK(pupils[0].class_name == "1B");
    CHECK(pupils[0].user_code.starts_with("S"));
    CHECK(pupils[1].tax_code == "GRCMTN11E70D205L");
    school.db->connection().execute("UPDATE pupil SET status = 'left' WHERE person_id = ?", pupils[0].person_id);
    pupils = store::active_pupils_without_address(*school.db);
    REQUIRE(pupils.size() == 1);
    CHECK(pupils[0].tax_code == "GRCMTN11E70D205L");
}

TEST_CASE("store addresses: addresses in use are lower case, an address is recorded once, never overwritten")
{
    testing::School school;
    auto& db = *school.db;
    const auto taken = store::institutional_addresses_in_use(db);
    CHECK(taken.size() == 10);
    CHECK(taken.contains("tommaso.dangelo@itisvallauri.edu.it"));
    const auto pupil = store::active_pupils_without_address(db).front();
    const auto at = *parse_iso_time("2026-09-15T08:00:00Z");
    store::set_institutional_address(db, pupil.person_id, "Niccolo.Fontana@itisvallauri.edu.it", at);
    store::set_institutional_address(db, pupil.person_id, "other@itisvallauri.edu.it", at);
    CHECK(db.connection().get<std::string>("SELECT institutional_email FROM pupil WHERE person_id = ?", pupil.person_id) ==
          "Niccolo.Fontana@itisvallauri.edu.it");
    CHECK(db.connection().get<std::string>("SELECT updated_at FROM pupil WHERE person_id = ?", pupil.person_id) ==
          "2026-09-15T08:00:00Z");
    CHECK(store::institutional_addresses_in_use(db).contains("niccolo.fontana@itisvallauri.edu.it"));
}
