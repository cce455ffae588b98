#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <algorithm>

#include <credenza/accounts/accounts.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;

namespace {

const TimePoint k_morning = *parse_iso_time("2026-09-15T08:00:00Z");

// Francesco D'Angelo, guardian of Nicolò (1A), Giulia (2A) and Tommaso (5A).
constexpr const char* k_guardian = "DNGFNC76P05H501R";
// Tommaso D'Angelo (5A), born 2007, and Nicolò D'Angelo (1A), born 2011.
constexpr const char* k_adult_pupil = "DNGTMS07E20H501A";
constexpr const char* k_minor_pupil = "DNGNCL11C14H501W";

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::vector<std::string> codes(const std::vector<accounts::AccountInfo>& list)
{
    std::vector<std::string> result;
    for (const auto& info : list) {
        result.push_back(info.user_code);
    }
    return result;
}

bool has(const std::vector<std::string>& list, const std::string& item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

} // namespace

TEST_CASE("accounts: an account is found by its user code in any case, and by its codice fiscale in any case")
{
    School school;
    const FixedClock clock(k_morning);
    const auto by_tax_code = accounts::find_account(*school.db, clock, lower(k_guardian));
    CHECK(by_tax_code.kind == AccountKind::family);
    CHECK(by_tax_code.tax_code == k_guardian);
    const auto by_code = accounts::find_account(*school.db, clock, lower(by_tax_code.user_code));
    CHECK(by_code.id == by_tax_code.id);
    CHECK(by_code.status == AccountStatus::active);
    CHECK(by_code.disabled_by == DisabledBy::none);
    CHECK(by_code.login_method == LoginMethod::password);
}

TEST_CASE("accounts: an unknown account is not_found, naming what was asked")
{
    School school;
    const FixedClock clock(k_morning);
    try {
        accounts::find_account(*school.db, clock, "NOSUCHCODE");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::not_found);
        CHECK(std::string(e.what()) == "no account 'NOSUCHCODE'");
    }
}

TEST_CASE("accounts: a codice fiscale holding a family and a student account must be named by user code")
{
    School school;
    const FixedClock clock(k_morning);
    // Tommaso, an adult pupil, is also registered as a guardian.
    school.db->connection().execute("INSERT INTO account (person_id, kind, user_code, created_at, updated_at) "
                       "SELECT id, 'family', 'FTOMMASO1', '2026-09-15T08:00:00Z', '2026-09-15T08:00:00Z' "
                       "FROM person WHERE tax_code = ?",
                       k_adult_pupil);
    try {
        accounts::find_account(*school.db, clock, k_adult_pupil);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::usage);
        CHECK(std::string(e.what()).find("FTOMMASO1") != std::string::npos);
    }
    CHECK(accounts::find_account(*school.db, clock, "FTOMMASO1").kind == AccountKind::family);
}

TEST_CASE("accounts: a family covers the active pupils in its care and their classes, a student covers itself")
{
    School school;
    const FixedClock clock(k_morning);
    const auto family = accounts::find_account(*school.db, clock, k_guardian);
    CHECK(family.pupils == std::vector<std::string>{"DNGNCL11C14H501W", "DNGGLI10D58H501A", "DNGTMS07E20H501A"});
    CHECK(family.classes == std::vector<std::string>{"1A", "2A", "5A"});
    CHECK_FALSE(family.adult.has_value());
    const auto student = accounts::find_account(*school.db, clock, k_adult_pupil);
    CHECK(student.kind == AccountKind::student);
    CHECK(student.pupils == std::vector<std::string>{k_adult_pupil});
    CHECK(student.classes == std::vector<std::string>{"5A"});
    CHECK(student.adult == true);
    CHECK(accounts::find_account(*school.db, clock, k_minor_pupil).adult == false);
}

TEST_CASE("accounts: listing filters by kind, status and class as the secretary types it")
{
    School school;
    const FixedClock clock(k_morning);
    const auto all = accounts::list_accounts(*school.db, clock);
    const auto students = accounts::list_accounts(*school.db, clock, {AccountKind::student, {}, std::nullopt, ""});
    CHECK(students.size() == 12);
    CHECK(std::all_of(students.begin(), students.end(),
                      [](const auto& info) { return info.kind == AccountKind::student; }));
    CHECK(all.size() > students.size());

    const auto first_a = accounts::list_accounts(*school.db, clock, {std::nullopt, {" 1a "}, std::nullopt, ""});
    const auto guardian = accounts::find_account(*school.db, clock, k_guardian);
    CHECK(has(codes(first_a), guardian.user_code)); // a family with a pupil in 1A
    CHECK(std::all_of(first_a.begin(), first_a.end(), [](const auto& info) { return has(info.classes, "1A"); }));

    CHECK(accounts::list_accounts(*school.db, clock, {std::nullopt, {}, AccountStatus::disabled, ""}).empty());
    accounts::set_enabled(*school.db, clock, k_guardian, false, "", "test");
    const auto disabled = accounts::list_accounts(*school.db, clock, {std::nullopt, {}, AccountStatus::disabled, ""});
    CHECK(codes(disabled) == std::vector<std::string>{guardian.user_code});
}

TEST_CASE("accounts: disable and enable change the state once, audited with the reason, operator and time")
{
    School school;
    FixedClock clock(k_morning);
    auto& db = *school.db;
    CHECK(accounts::set_enabled(db, clock, k_guardian, false, "left the school", "segreteria"));
    auto info = accounts::find_account(db, clock, k_guardian);
    CHECK(info.status == AccountStatus::disabled);
    CHECK(info.disabled_by == DisabledBy::admin);
    CHECK_FALSE(accounts::set_enabled(db, clock, k_guardian, false, "", "segreteria"));
    CHECK(db.connection().get<std::string>("SELECT operator || ' ' || at || ' ' || account || ' ' || detail FROM audit "
                              "WHERE action = 'disable'") ==
          "segreteria 2026-09-15T08:00:00Z " + info.user_code + " reason=left the school");
    CHECK(db.connection().get<int>("SELECT count(*) FROM audit WHERE action = 'disable'") == 1);

    clock.advance(std::chrono::hours(1));
    CHECK(accounts::set_enabled(db, clock, k_guardian, true, "", "segreteria"));
    info = accounts::find_account(db, clock, k_guardian);
    CHECK(info.status == AccountStatus::active);
    CHECK(info.disabled_by == DisabledBy::none);
    CHECK(db.connection().get<std::string>("SELECT at || ' ' || detail FROM audit WHERE action = 'enable'") ==
          "2026-09-15T09:00:00Z ");
    CHECK_FALSE(accounts::set_enabled(db, clock, k_guardian, true, "", "segreteria"));
}

TEST_CASE("accounts: a family may justify absences, an adult student with a PIN signs for themselves, a minor not")
{
    accounts::AccountInfo family;
    family.kind = AccountKind::family;
    CHECK(has(accounts::capabilities_of(family), "justify_absences"));

    accounts::AccountInfo adult;
    adult.kind = AccountKind::student;
    adult.adult = true;
    adult.has_pin = true;
    const auto adult_capabilities = accounts::capabilities_of(adult);
    CHECK(has(adult_capabilities, "justify_own_absences"));
    CHECK_FALSE(has(adult_capabilities, "justify_absences"));

    adult.has_pin = false;
    CHECK_FALSE(has(accounts::capabilities_of(adult), "justify_own_absences"));

    accounts::AccountInfo minor;
    minor.kind = AccountKind::student;
    minor.adult = false;
    minor.has_pin = true;
    CHECK(accounts::capabilities_of(minor) == std::vector<std::string>{"lessons", "homework", "material"});
}

TEST_CASE("accounts: a pupil is adult from the 18th birthday on the clock's day, an unreadable date says nothing")
{
    // Noon UTC is the same calendar day in every European time zone.
    const auto noon = [](const char* day) { return *parse_iso_time(std::string(day) + "T12:00:00Z"); };
    CHECK(accounts::is_adult("2008-12-15", noon("2026-12-14")) == false);
    CHECK(accounts::is_adult("2008-12-15", noon("2026-12-15")) == true);
    CHECK(accounts::is_adult("2008-02-29", noon("2026-02-28")) == false);
    CHECK(accounts::is_adult("2008-02-29", noon("2026-03-01")) == true);
    CHECK_FALSE(accounts::is_adult("01/01/2000", noon("2026-12-15")).has_value());
    CHECK_FALSE(accounts::is_adult("", noon("2026-12-15")).has_value());
}

TEST_CASE("accounts: whether a student shows as adult follows the clock given")
{
    School school;
    // Gabriele Costa (5A) turns 18 on 2026-12-15.
    FixedClock clock(*parse_iso_time("2026-12-14T12:00:00Z"));
    CHECK(accounts::find_account(*school.db, clock, "CSTGRL08T15D742Y").adult == false);
    clock.advance(std::chrono::hours(24));
    CHECK(accounts::find_account(*school.db, clock, "CSTGRL08T15D742Y").adult == true);
}

TEST_CASE("accounts: find ignores case and accents and finds a family through its pupils")
{
    testing::School school;
    const auto found = accounts::find_accounts(*school.db, system_clock(), "PIETA");
    std::vector<std::string> who;
    for (const auto& info : found) {
        who.push_back(info.name + " " + info.surname);
    }
    std::sort(who.begin(), who.end());
    // Elena and Giuseppe Pietà, Anna De Luca (mother of Emma Pietà), and Emma's own student account.
    CHECK(who == std::vector<std::string>{"Anna De Luca", "Elena Pietà", "Emma Pietà", "Giuseppe Pietà"});
    const auto anna = std::find_if(found.begin(), found.end(), [](const auto& info) { return info.surname == "De Luca"; });
    REQUIRE(anna != found.end());
    CHECK(anna->pupil_names == std::vector<std::string>{"Emma Pietà (1B)"});
    // Every word must match: a class narrows it.
    CHECK(accounts::find_accounts(*school.db, system_clock(), "pietà 1b").size() == 3);
    CHECK(accounts::find_accounts(*school.db, system_clock(), "zoe").size() == 3); // Zoë and her two parents
    CHECK(accounts::find_accounts(*school.db, system_clock(), "nobody-here").empty());
    // A class matches the class, not the middle of a codice fiscale (Francesco D'Angelo's has "P05H").
    CHECK(accounts::find_accounts(*school.db, system_clock(), "05h").empty());
    CHECK(accounts::find_accounts(*school.db, system_clock(), "dangelo tommaso").size() == 3); // him, his parents
    CHECK_THROWS_AS(accounts::find_accounts(*school.db, system_clock(), "  "), Error);
}

TEST_CASE("accounts: find matches a user code, a codice fiscale and an address in any case")
{
    testing::School school;
    const auto code = school.db->connection().get<std::string>(
        "SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = ? AND a.kind = 'family'",
        std::string(k_guardian));
    auto found = accounts::find_accounts(*school.db, system_clock(), lower(code));
    REQUIRE(found.size() == 1);
    CHECK(found[0].tax_code == k_guardian);
    found = accounts::find_accounts(*school.db, system_clock(), lower(k_guardian));
    REQUIRE(found.size() == 1);
    CHECK(found[0].user_code == code);
    found = accounts::find_accounts(*school.db, system_clock(), "Francesco.Dangelo@");
    REQUIRE(found.size() == 1);
    CHECK(found[0].pupil_names.size() == 3);
}

TEST_CASE("accounts: a student names its guardians, a password to change says when it expires")
{
    testing::School school;
    auto info = accounts::find_account(*school.db, system_clock(), k_minor_pupil);
    REQUIRE(info.guardians.size() == 2);
    CHECK(info.guardians[0].starts_with("Francesco D'Angelo (F"));
    CHECK(info.guardians[1].starts_with("Elena Pietà (F"));
    CHECK(info.pupil_names == std::vector<std::string>{"Nicolò D'Angelo (1A)"});
    CHECK(accounts::password_expires_at(info, 30).empty()); // no password yet
    info.has_password = true;
    info.must_change_password = true;
    info.password_set_at = "2026-09-01T08:00:00Z";
    CHECK(accounts::password_expires_at(info, 30) == "2026-10-01T08:00:00Z");
    info.must_change_password = false;
    CHECK(accounts::password_expires_at(info, 30).empty());
}

TEST_CASE("accounts: listing with a search keeps only what find finds")
{
    testing::School school;
    accounts::AccountFilter filter;
    filter.search = "pieta";
    filter.kind = AccountKind::family;
    CHECK(accounts::list_accounts(*school.db, system_clock(), filter).size() == 3);
}

TEST_CASE("accounts: folding for search lowers case and drops accents, ligatures included")
{
    CHECK(accounts::fold_for_search("Citrò") == "citro");
    CHECK(accounts::fold_for_search("ZOË Æ") == "zoe ae");
    CHECK(accounts::fold_for_search("D'Angelo 5A") == "dangelo 5a");
}

TEST_CASE("accounts: a listing without names gives the same accounts, pupils and classes, and no names, guardians or capabilities")
{
    School school;
    const FixedClock clock(k_morning);
    const auto full = accounts::list_accounts(*school.db, clock);
    accounts::AccountFilter filter;
    filter.with_names = false;
    const auto plain = accounts::list_accounts(*school.db, clock, filter);
    REQUIRE(plain.size() == full.size());
    bool named_some = false;
    for (std::size_t i = 0; i < full.size(); ++i) {
        CAPTURE(full[i].user_code);
        CHECK(plain[i].user_code == full[i].user_code);
        CHECK(plain[i].pupils == full[i].pupils);
        CHECK(plain[i].classes == full[i].classes);
        CHECK(plain[i].adult == full[i].adult);
        CHECK(plain[i].credentials == full[i].credentials);
        CHECK(plain[i].pupil_names.empty());
        CHECK(plain[i].guardians.empty());
        CHECK(plain[i].capabilities.empty());
        named_some = named_some || !full[i].guardians.empty();
        CHECK(!full[i].pupil_names.empty());
        CHECK(!full[i].capabilities.empty());
    }
    CHECK(named_some);
    // A family of three pupils in three classes: each class once, in order, as with a set of them.
    const auto guardian = accounts::find_account(*school.db, clock, k_guardian);
    const auto found = std::find_if(plain.begin(), plain.end(),
                                    [&](const auto& info) { return info.user_code == guardian.user_code; });
    REQUIRE(found != plain.end());
    CHECK(found->classes == std::vector<std::string>{"1A", "2A", "5A"});
}
