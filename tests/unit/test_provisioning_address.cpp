#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <regex>

#include <credenza/error.hpp>
#include <credenza/provisioning/address.hpp>

#include "support.hpp"

using namespace credenza;
using provisioning::address_local_part;
using provisioning::propose_address;

TEST_CASE("provisioning address: accents are folded and apostrophes removed")
{
    CHECK(propose_address("Nicolò", "D'Angelo", "itisvallauri.edu.it", {}) == "nicolo.dangelo@itisvallauri.edu.it");
    CHECK(address_local_part("Zoë", "Pietà") == "zoe.pieta");
    CHECK(address_local_part("Beatrice", "Mazzà") == "beatrice.mazza");
    CHECK(address_local_part("Aurora", "Ferrè") == "aurora.ferre");
    CHECK(address_local_part("NICCOLÒ", "FONTANA") == "niccolo.fontana");
}

TEST_CASE("provisioning address: spaces, hyphens and the typographic apostrophe are removed from each part")
{
    CHECK(address_local_part("Anna Maria", "De Luca") == "annamaria.deluca");
    CHECK(address_local_part("Nicolò", "Dell\u2019Orto") == "nicolo.dellorto");
    CHECK(address_local_part("Jean-Luc", "O'Neil-Smith") == "jeanluc.oneilsmith");
}

TEST_CASE("provisioning address: letters of other Latin alphabets fold too, anything else is dropped")
{
    CHECK(address_local_part("Ștefan", "Țărănescu") == "stefan.taranescu");
    CHECK(address_local_part("Jürgen", "Groß") == "jurgen.gross");
    CHECK(address_local_part("Łukasz", "Wałęsa") == "lukasz.walesa");
    CHECK(address_local_part("Li 李", "Wang") == "li.wang");
    const std::regex allowed("[a-z0-9.]+");
    for (const auto& [name, surname] : std::vector<std::pair<std::string, std::string>>{
             {"Ève", "Ñúñez"}, {"A.", "B+C"}, {"Åsa", "Øberg"}, {"Mario", "Rossi 2°"}}) {
        CHECK(std::regex_match(address_local_part(name, surname), allowed));
    }
}

TEST_CASE("provisioning address: a name that folds to nothing leaves the other part alone, both is an error")
{
    CHECK(address_local_part("李", "Rossi") == "rossi");
    CHECK(address_local_part("Mario", "") == "mario");
    try {
        address_local_part("李", "王");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::bad_input);
    }
}

TEST_CASE("provisioning address: a clash adds 2, 3, ... and the domain is lower-cased")
{
    CHECK(propose_address("Mario", "Rossi", "Scuola.EDU.it", {}) == "mario.rossi@scuola.edu.it");
    CHECK(propose_address("Mario", "Rossi", "scuola.edu.it", {"mario.rossi@scuola.edu.it"}) ==
          "mario.rossi2@scuola.edu.it");
    CHECK(propose_address("Mario", "Rossi", "scuola.edu.it",
                          {"mario.rossi@scuola.edu.it", "mario.rossi2@scuola.edu.it"}) == "mario.rossi3@scuola.edu.it");
    // An address elsewhere is no clash.
    CHECK(propose_address("Mario", "Rossi", "scuola.edu.it", {"mario.rossi@altro.it"}) == "mario.rossi@scuola.edu.it");
}

TEST_CASE("provisioning address: proposals for the active pupils without an address, in class order")
{
    testing::School school;
    const auto proposals = provisioning::propose_addresses(*school.db, "itisvallauri.edu.it");
    REQUIRE(proposals.size() == 2);
    CHECK(proposals[0].surname == "Fontana");
    CHECK(proposals[0].address == "niccolo.fontana@itisvallauri.edu.it");
    CHECK(proposals[0].class_name == "1B");
    CHECK(proposals[1].address == "martina.greco@itisvallauri.edu.it");
    CHECK(proposals[1].user_code.starts_with("S"));
    CHECK(provisioning::propose_addresses(*school.db, "itisvallauri.edu.it", {"1A"}).empty());
}

TEST_CASE("provisioning address: an address another pupil holds already gets a number")
{
    testing::School school;
    school.db->connection().execute("UPDATE pupil SET institutional_email = 'Martina.Greco@itisvallauri.edu.it' WHERE person_id = "
                       "(SELECT id FROM person WHERE tax_code = 'PTIMME11T41F839M')");
    const auto proposals = provisioning::propose_addresses(*school.db, "itisvallauri.edu.it", {"1B"});
    REQUIRE(proposals.size() == 2);
    CHECK(proposals[1].address == "martina.greco2@itisvallauri.edu.it");
}

TEST_CASE("provisioning address: two pupils of the same name get two addresses, whatever classes are asked")
{
    testing::School school;
    // Make Alessandro Bianchi (1A) a second Martina Greco without an address.
    school.db->connection().execute("UPDATE person SET name = 'Martina', surname = 'Greco' WHERE tax_code = 'BNCLSN11A09L219L'");
    school.db->connection().execute("UPDATE pupil SET institutional_email = '' WHERE person_id = "
                       "(SELECT id FROM person WHERE tax_code = 'BNCLSN11A09L219L')");
    const auto all = provisioning::propose_addresses(*school.db, "itisvallauri.edu.it");
    REQUIRE(all.size() == 3);
    CHECK(all[0].class_name == "1A");
    CHECK(all[0].address == "martina.greco@itisvallauri.edu.it");
    const auto only_1b = provisioning::propose_addresses(*school.db, "itisvallauri.edu.it", {"1B"});
    REQUIRE(only_1b.size() == 2);
    CHECK(only_1b[1].address == "martina.greco2@itisvallauri.edu.it");
}

TEST_CASE("provisioning address: without a school domain there is nothing to propose (a config error)")
{
    testing::School school;
    try {
        provisioning::propose_addresses(*school.db, "");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::config);
        CHECK(std::string(e.what()).find("domain") != std::string::npos);
    }
}

TEST_CASE("provisioning address: applying proposals records them and audits each, a dry run changes nothing")
{
    testing::School school;
    auto& db = *school.db;
    const auto audit_rows = [&] { return db.connection().get<int>("SELECT count(*) FROM audit WHERE action = 'set email'"); };
    const FixedClock clock(*parse_iso_time("2026-09-15T08:00:00Z"));
    const auto dry = provisioning::apply_proposals(db, clock, "itisvallauri.edu.it", {}, true, "test");
    CHECK(dry.size() == 2);
    CHECK(db.connection().get<int>("SELECT count(*) FROM pupil WHERE institutional_email = ''") == 2);
    CHECK(audit_rows() == 0);
    const auto done = provisioning::apply_proposals(db, clock, "itisvallauri.edu.it", {}, false, "test");
    CHECK(done.size() == 2);
    CHECK(db.connection().get<int>("SELECT count(*) FROM pupil WHERE institutional_email = ''") == 0);
    CHECK(db.connection().get<std::string>("SELECT institutional_email FROM pupil WHERE person_id = "
                              "(SELECT id FROM person WHERE tax_code = 'GRCMTN11E70D205L')") ==
          "martina.greco@itisvallauri.edu.it");
    CHECK(audit_rows() == 2);
    CHECK(db.connection().get<std::string>("SELECT detail FROM audit WHERE action = 'set email' LIMIT 1") == "from proposal");
    CHECK(provisioning::apply_proposals(db, clock, "itisvallauri.edu.it", {}, false, "test").empty());
}
