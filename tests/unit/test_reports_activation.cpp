#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/reports/activation.hpp>
#include <credenza/store/logins.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;

TEST_CASE("activation: the name letters of a codice fiscale follow the rule")
{
    CHECK(reports::codice_fiscale_surname_letters("Rossi") == "RSS");
    CHECK(reports::codice_fiscale_surname_letters("D'Angelo") == "DNG");
    CHECK(reports::codice_fiscale_surname_letters("Pietà") == "PTI");
    CHECK(reports::codice_fiscale_surname_letters("Fo") == "FOX");
    CHECK(reports::codice_fiscale_surname_letters("De Luca") == "DLC");
    CHECK(reports::codice_fiscale_name_letters("Maria") == "MRA");
    CHECK(reports::codice_fiscale_name_letters("Francesco") == "FNC");
    CHECK(reports::codice_fiscale_name_letters("Gianfranco") == "GFR");
    CHECK(reports::codice_fiscale_name_letters("Zoë") == "ZOE");
    CHECK(reports::codice_fiscale_name_letters("Elena") == "LNE");
}

TEST_CASE("activation: per class, who never logged in and how the others last did")
{
    School school;
    const FixedClock clock(*parse_iso_time("2026-09-15T08:00:00Z"));
    // Francesco D'Angelo (1A, 2A, 5A) logged in with SPID; Laura Bianchi (1A) with a password.
    const auto id_of = [&](const char* tax_code) {
        return school.db->connection().get<std::int64_t>(
            "SELECT a.id FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = ? AND a.kind = 'family'",
            std::string(tax_code));
    };
    store::record_login(*school.db, id_of("DNGFNC76P05H501R"), LoginKind::spid, clock.now());
    store::record_login(*school.db, id_of("BNCLRA83M59L219L"), LoginKind::password, clock.now());
    const auto report = reports::activation(*school.db, clock, {});
    REQUIRE(report.classes.size() == 4);
    const auto& first_a = report.classes.front();
    CHECK(first_a.class_name == "1A");
    // 1A: 3 students and 5 guardians (D'Angelo, Pietà, Colombo, Rinaldi, Bianchi).
    CHECK(first_a.accounts == 8);
    CHECK(first_a.never_logged_in == 6);
    CHECK(first_a.never_password == 6);
    CHECK(first_a.last_spid == 1);
    CHECK(first_a.last_password == 1);
    CHECK(first_a.families_on_password == 1);
    CHECK(first_a.tax_codes_to_check == 0);
    const auto& fifth = report.classes.back();
    CHECK(fifth.class_name == "5A");
    CHECK(fifth.last_spid == 1);
    CHECK(fifth.last_password == 0);
    // Narrowed to 2A, a guardian of several classes counts in 2A only.
    const auto narrowed = reports::activation(*school.db, clock, {"2a"});
    REQUIRE(narrowed.classes.size() == 1);
    CHECK(narrowed.classes.front().class_name == "2A");
}
