#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/enrolment/import.hpp>
#include <credenza/enrolment/review.hpp>
#include <credenza/i18n.hpp>
#include <credenza/store/enrolment.hpp>
#include <credenza/time.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;
using credenza::testing::test_data;

namespace {

struct Importing
{
    School school{false};
    store::Database& db = *school.db;
    FixedClock clock{*parse_iso_time("2025-10-01T09:00:00Z")};
    credentials::Generator generator;

    enrolment::ImportReport import(const std::string& file, const std::string& year = "2025/2026",
                                   bool dry_run = false, enrolment::ImportOptions options = {})
    {
        options.file = test_data(file);
        options.school_year = year;
        options.dry_run = dry_run;
        options.operator_name = "test";
        return enrolment::import_enrolment(db, clock, options, generator);
    }

    int count(const std::string& table) { return db.connection().get<int>("SELECT count(*) FROM " + table); }

    // Everything an import writes, as one text: equal texts, equal contents.
    std::string contents()
    {
        return db.connection().get<std::string>(
            "SELECT (SELECT group_concat(x, '|') FROM (SELECT tax_code || surname || name || email || updated_at AS x "
            "FROM person ORDER BY id)) || '#' || "
            "(SELECT group_concat(x, '|') FROM (SELECT person_id || class || school_year || status || updated_at AS x "
            "FROM pupil ORDER BY person_id)) || '#' || "
            "(SELECT group_concat(x, '|') FROM (SELECT guardian_id || '-' || pupil_id || '-' || position AS x "
            "FROM guardianship ORDER BY guardian_id, pupil_id)) || '#' || "
            "(SELECT group_concat(x, '|') FROM (SELECT user_code || kind || status || disabled_by || updated_at AS x "
            "FROM account ORDER BY id))");
    }
};

} // namespace

TEST_CASE("enrolment: the sample file gives one account per pupil and per guardian")
{
    Importing importing;
    const auto report = importing.import("enrolment_2025.csv");
    CHECK(report.rows == 12);
    CHECK(report.pupils.added == 12);
    CHECK(report.guardians.added == 20);
    CHECK(report.accounts_created == 32);
    CHECK(importing.count("pupil") == 12);
    CHECK(importing.count("person") == 32);
    CHECK(importing.db.connection().get<int>("SELECT count(*) FROM account WHERE kind = 'student'") == 12);
    CHECK(importing.db.connection().get<int>("SELECT count(*) FROM account WHERE kind = 'family'") == 20);
    CHECK(importing.db.connection().get<std::string>("SELECT min(created_at) FROM account") == "2025-10-01T09:00:00Z");
    CHECK(importing.db.connection().get<int>("SELECT count(*) FROM audit WHERE action = 'import'") == 1);
}

TEST_CASE("enrolment: a guardian of two pupils gets one account")
{
    Importing importing;
    importing.import("enrolment_2025.csv");
    // Elena Pietà is a guardian of the siblings Nicolò and Giulia D'Angelo.
    const auto elena = store::find_person_by_tax_code(importing.db, "PTILNE79B67F839R");
    REQUIRE(elena.has_value());
    CHECK(elena->surname == "Pietà");
    CHECK(elena->email == "elena.pieta@libero.it");
    CHECK(importing.db.connection().get<int>("SELECT count(*) FROM account WHERE person_id = ?", elena->id) == 1);
    CHECK(importing.db.connection().get<int>("SELECT count(*) FROM guardianship WHERE guardian_id = ?", elena->id) == 2);
    const auto account = store::find_enrolled_account(importing.db, elena->id, AccountKind::family);
    REQUIRE(account.has_value());
    CHECK(account->status == AccountStatus::active);
    CHECK(account->disabled_by == DisabledBy::none);
    CHECK_FALSE(store::find_enrolled_account(importing.db, elena->id, AccountKind::student).has_value());
}

TEST_CASE("enrolment: an adult pupil who is a guardian on another row of a new file is one person, whichever comes first")
{
    Importing importing;
    // Salvatore is a pupil on line 2 and Giorgia's guardian on line 3; Francesca is Giorgia's guardian
    // on line 3 and a pupil on line 4: neither was recorded before the import.
    const auto report = importing.import("enrolment_pupils_also_guardians.csv");
    CHECK(importing.count("person") == 3);
    CHECK(importing.count("pupil") == 3);
    CHECK(importing.count("guardianship") == 2);
    CHECK(report.accounts_created == 5);
    for (const char* tax_code : {"DNGSVT70B05D742L", "VTLFNC81R42D969S"}) {
        CAPTURE(tax_code);
        const auto person = store::find_person_by_tax_code(importing.db, tax_code);
        REQUIRE(person.has_value());
        CHECK_FALSE(person->email.empty()); // the guardian's address, on the person the pupil row made or found
        CHECK(store::find_enrolled_account(importing.db, person->id, AccountKind::family).has_value());
        CHECK(store::find_enrolled_account(importing.db, person->id, AccountKind::student).has_value());
    }
    // Again, with every person recorded before: nothing changes.
    const std::string before = importing.contents();
    const auto again = importing.import("enrolment_pupils_also_guardians.csv");
    CHECK_FALSE(again.changes_anything());
    CHECK(importing.contents() == before);
}

TEST_CASE("enrolment: a pupil reads back as imported")
{
    Importing importing;
    importing.import("enrolment_2025.csv");
    const auto tommaso = store::find_person_by_tax_code(importing.db, "DNGTMS07E20H501A");
    REQUIRE(tommaso.has_value());
    const auto pupil = store::find_pupil(importing.db, tommaso->id);
    REQUIRE(pupil.has_value());
    CHECK(pupil->birth_date == "2007-05-20");
    CHECK(pupil->class_name == "5A");
    CHECK(pupil->school_year == "2025/2026");
    CHECK(pupil->institutional_email == "tommaso.dangelo@itisvallauri.edu.it");
    CHECK(pupil->status == PupilStatus::active);
    const auto guardians = store::guardians_of_pupil(importing.db, tommaso->id);
    REQUIRE(guardians.size() == 2);
    std::vector<int> positions;
    for (const auto& guardian : guardians) {
        positions.push_back(guardian.position);
    }
    std::sort(positions.begin(), positions.end());
    CHECK(positions == std::vector<int>{1, 2});
}

TEST_CASE("enrolment: a re-import of the same file changes nothing")
{
    Importing importing;
    importing.import("enrolment_2025.csv");
    const std::string before = importing.contents();
    importing.clock.advance(std::chrono::hours(24));
    const auto again = importing.import("enrolment_2025.csv");
    CHECK(again.pupils.added == 0);
    CHECK(again.pupils.changed == 0);
    CHECK(again.pupils.unchanged == 12);
    CHECK(again.pupils.left == 0);
    CHECK(again.guardians.added == 0);
    CHECK(again.guardians.changed == 0);
    CHECK(again.guardians.unchanged == 20);
    CHECK(again.accounts_created == 0);
    CHECK(again.accounts_disabled == 0);
    CHECK(again.accounts_enabled == 0);
    CHECK(again.address_changes.empty());
    CHECK(importing.contents() == before); // not even an updated_at moved
}

TEST_CASE("enrolment: a bad row writes nothing")
{
    Importing importing;
    CHECK_THROWS_AS(importing.import("bad_date.csv"), Error);
    try {
        importing.import("many_errors.csv");
        FAIL("expected the import to fail");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::bad_input);
        CHECK(e.details().size() == 5);
    }
    CHECK(importing.count("person") == 0);
    CHECK(importing.count("pupil") == 0);
    CHECK(importing.count("account") == 0);
    CHECK(importing.db.connection().get<int>("SELECT count(*) FROM audit WHERE action = 'import'") == 0);

    // Nor does it touch what an earlier import wrote.
    importing.import("enrolment_2025.csv");
    const std::string before = importing.contents();
    CHECK_THROWS_AS(importing.import("duplicate_pupil.csv"), Error);
    CHECK(importing.contents() == before);
}

TEST_CASE("enrolment: a dry run reports what it would do and writes nothing")
{
    Importing importing;
    const auto report = importing.import("enrolment_2025.csv", "2025/2026", true);
    CHECK(report.dry_run);
    CHECK(report.pupils.added == 12);
    CHECK(report.accounts_created == 32);
    CHECK(importing.count("person") == 0);
    CHECK(importing.count("account") == 0);
}

TEST_CASE("enrolment: the next year's file lets pupils leave and disables their accounts")
{
    Importing importing;
    importing.import("enrolment_2025.csv");
    importing.clock.set(*parse_iso_time("2026-09-10T09:00:00Z"));
    const auto report = importing.import("enrolment_2026.csv", "2026/2027");
    CHECK(report.pupils.left == 4);
    CHECK(report.pupils.added == 2);
    CHECK(report.guardians.left == 7);
    CHECK(report.accounts_disabled == 4 + 7);
    CHECK(report.guardians.added == 1);
    REQUIRE(report.address_changes.size() == 0); // Luca Rinaldi's account has no credentials yet
    CHECK(importing.db.connection().get<int>("SELECT count(*) FROM pupil WHERE status = 'left'") == 4);
    CHECK(importing.db.connection().get<int>("SELECT count(*) FROM account WHERE status = 'disabled' AND disabled_by = 'import' "
                                "AND updated_at = '2026-09-10T09:00:00Z'") == 11);
    CHECK(store::latest_school_year(importing.db) == "2026/2027");
    const auto luca = store::find_person_by_tax_code(importing.db, "RNLLCU79D16L219S");
    REQUIRE(luca.has_value());
    CHECK(luca->email == "luca.rinaldi79@gmail.com");

    // Back to the first file (confirmed): who came back is enabled again.
    enrolment::ImportOptions options;
    options.file = test_data("enrolment_2025.csv");
    options.school_year = "2026/2027";
    options.operator_name = "test";
    options.confirm_mass_leave = true;
    const auto back = enrolment::import_enrolment(importing.db, importing.clock, options, importing.generator);
    CHECK(back.accounts_enabled == 11);
}

TEST_CASE("enrolment: an address change on an account with credentials waits for confirmation")
{
    Importing importing;
    importing.import("enrolment_2025.csv");
    const auto luca = store::find_person_by_tax_code(importing.db, "RNLLCU79D16L219S");
    REQUIRE(luca.has_value());
    importing.db.connection().execute("UPDATE account SET password_hash = 'k1$x' WHERE person_id = ?", luca->id);
    CHECK(store::family_user_code_with_credentials(importing.db, luca->id).has_value());
    const auto report = importing.import("enrolment_2026.csv", "2026/2027");
    REQUIRE(report.address_changes.size() == 1);
    CHECK_FALSE(report.address_changes.front().applied);
    CHECK(store::find_person(importing.db, luca->id)->email == "luca.rinaldi@outlook.it");
}

TEST_CASE("enrolment: a guardian whose only change is held counts as held, not unchanged")
{
    Importing importing;
    importing.import("enrolment_2025.csv");
    const auto luca = store::find_person_by_tax_code(importing.db, "RNLLCU79D16L219S");
    REQUIRE(luca.has_value());
    importing.db.connection().execute("UPDATE account SET password_hash = 'k1$x' WHERE person_id = ?", luca->id);
    const auto report = importing.import("enrolment_2026.csv", "2026/2027", true);
    REQUIRE(report.address_changes.size() == 1);
    CHECK(report.guardians.held == 1);
    // enrolment_2026.csv: Luca Rinaldi's address is the one guardian change; held, it is counted apart.
    CHECK(report.guardians.changed == 0);
    CHECK(report.guardians.unchanged == 12);
    CHECK(report.pupils.held == 0);
    CHECK(report.held == 1);
}

TEST_CASE("enrolment: the review lists a row with no class after the classes, and a kept value's file side empty")
{
    enrolment::ImportReport report;
    report.review.push_back({"disabled", "guardian", "", "FAAAAAAAA", "", "Bianchi", "Laura", "", "", ""});
    report.review.push_back({"kept", "pupil", "2A", "SBBBBBBBB", "", "Rossi", "Anna", "student_email", "a@x.it", ""});
    report.review.push_back({"new", "pupil", "1A", "", "", "Verdi", "Luca", "", "", ""});
    const auto table = enrolment::review_table(report);
    REQUIRE(table.rows().size() == 3);
    CHECK(std::get<std::string>(*table.find(0, "class")) == "1A");
    CHECK(std::get<std::string>(*table.find(1, "class")) == "2A");
    CHECK(std::get<std::string>(*table.find(2, "surname")) == "Bianchi");
    CHECK(std::get<std::string>(*table.find(1, "new")).empty());
}

TEST_CASE("enrolment: a kept value is reviewed with the file's side empty")
{
    Importing importing;
    importing.import("enrolment_2025.csv");
    const auto report = importing.import("enrolment_2026_no_email.csv", "2026/2027", true);
    int kept = 0;
    for (const auto& entry : report.review) {
        if (entry.change == "kept") {
            ++kept;
            CHECK_FALSE(entry.old_value.empty());
            CHECK(entry.new_value.empty());
        }
    }
    CHECK(kept == report.kept);
    CHECK(kept > 0);
}

TEST_CASE("enrolment: an older school year than the database holds is refused")
{
    Importing importing;
    importing.import("enrolment_2025.csv", "2025/2026");
    CHECK_THROWS_AS(importing.import("enrolment_2025.csv", "2024/2025"), Error);
}

TEST_CASE("enrolment: the school year of today comes from the clock")
{
    CHECK(enrolment::current_school_year(FixedClock(*parse_iso_time("2026-08-15T12:00:00Z"))) == "2025/2026");
    CHECK(enrolment::current_school_year(FixedClock(*parse_iso_time("2026-09-15T12:00:00Z"))) == "2026/2027");
    Importing importing;
    importing.clock.set(*parse_iso_time("2026-01-20T12:00:00Z"));
    CHECK(importing.import("enrolment_2025.csv", "").school_year == "2025/2026");
}

TEST_CASE("enrolment: an empty address keeps the recorded one, counted, --clear-empty clears it")
{
    Importing importing;
    importing.import("enrolment_2025.csv");
    const auto report = importing.import("enrolment_2026_no_email.csv", "2026/2027");
    CHECK(report.kept == 7); // tests/data/README.md: 8 continuing pupils, Martina Greco without an address
    CHECK(importing.count("pupil WHERE institutional_email <> '' AND status = 'active'") == 7);
    enrolment::ImportOptions clear;
    clear.clear_empty = true;
    const auto cleared = importing.import("enrolment_2026_no_email.csv", "2026/2027", false, clear);
    CHECK(cleared.cleared == 7);
    CHECK(importing.count("pupil WHERE institutional_email <> '' AND status = 'active'") == 0);
}

TEST_CASE("enrolment: a student account disabled for the first cycle gets its own audit row, none on a dry run")
{
    Importing importing;
    importing.import("enrolment_2025.csv");
    const std::string audited = "audit WHERE action = 'import disable' AND detail = 'reason=first cycle'";
    CHECK(importing.count(audited) == 0);
    enrolment::ImportOptions first_cycle;
    first_cycle.first_cycle_classes = {"1A"};
    const auto dry = importing.import("enrolment_2025.csv", "2025/2026", true, first_cycle);
    CHECK(dry.first_cycle_disabled == 3); // tests/data/README.md: 3 pupils in 1A
    CHECK(importing.count(audited) == 0);
    importing.import("enrolment_2025.csv", "2025/2026", false, first_cycle);
    CHECK(importing.count(audited) == 3);
    // Each row names a 1A student account, now disabled by the import.
    CHECK(importing.count(audited + " AND account IN (SELECT a.user_code FROM account a JOIN pupil p ON "
                                    "p.person_id = a.person_id WHERE p.class = '1A' AND a.kind = 'student' AND "
                                    "a.status = 'disabled' AND a.disabled_by = 'import')") == 3);
    importing.import("enrolment_2025.csv"); // 1A in the second cycle again (by the school's word)
    CHECK(importing.count("audit WHERE action = 'import enable' AND detail = 'reason=pupil back'") == 3);
}

TEST_CASE("enrolment: a row per guardian gives the database a row per pupil gives")
{
    Importing by_pupil;
    by_pupil.import("enrolment_2025.csv");
    Importing by_guardian;
    const auto report = by_guardian.import("nuvola_tutori.csv");
    CHECK(report.layout == enrolment::Layout::guardian_rows);
    CHECK(report.pupils.added == 12);
    CHECK(report.guardians.added == 20);
    const std::string links = "SELECT group_concat(x, '|') FROM (SELECT g.tax_code || p.tax_code || position AS x "
                              "FROM guardianship JOIN person g ON g.id = guardian_id JOIN person p ON p.id = pupil_id "
                              "ORDER BY 1)";
    CHECK(by_guardian.db.connection().get<std::string>(links) == by_pupil.db.connection().get<std::string>(links));
}

TEST_CASE("enrolment: the saved [import] map reads 'COLUMN=field, COLUMN=field'")
{
    const auto map = enrolment::parse_saved_map(" Data Nascita = birth_date ;Mail Padre=guardian1_email; ", "here");
    CHECK(map == std::map<std::string, std::string>{{"Data Nascita", "birth_date"}, {"Mail Padre", "guardian1_email"}});
    CHECK_THROWS_AS(enrolment::parse_saved_map("Data Nascita", "here"), Error);
}

namespace {

// Italian messages for one case (the built catalog); English again at its end.
struct ItalianMessages
{
    ItalianMessages()
    {
        i18n::set_catalog_dir(CREDENZA_TEST_LOCALE);
        i18n::use_language("it");
    }
    ~ItalianMessages() { i18n::use_language("en"); }
    ItalianMessages(const ItalianMessages&) = delete;
    ItalianMessages& operator=(const ItalianMessages&) = delete;
};

// The message and detail lines of the Error an import throws ("" if it does not throw).
std::vector<std::string> import_error(Importing& importing, const std::string& file)
{
    try {
        importing.import(file);
    } catch (const Error& e) {
        std::vector<std::string> lines{e.what()};
        lines.insert(lines.end(), e.details().begin(), e.details().end());
        return lines;
    }
    return {""};
}

} // namespace

TEST_CASE("enrolment: import errors read in Italian under the Italian catalog, with the file's own column names")
{
    Importing importing;
    const std::string file = test_data("italian_headers_errors.csv").string();
    const std::string where = file + ":3: ";
    {
        const ItalianMessages italian;
        const auto lines = import_error(importing, "italian_headers_errors.csv");
        REQUIRE(lines.size() == 3);
        CHECK(lines[0] == "'" + file + "' ha 2 errori: non è stato importato nulla");
        CHECK(lines[1] == where + "Data di nascita: data '31/04/2010' non valida (usi GG/MM/AAAA o AAAA-MM-GG)");
        // The reason inside the reason is Italian too.
        CHECK(lines[2] == where + "Email genitore 1: indirizzo e-mail 'roberto.russo@libero' non valido: il dominio "
                                  "'libero' non ha un punto (come in example.it)");
    }
    // English again, word for word as before the catalogs.
    const auto lines = import_error(importing, "italian_headers_errors.csv");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "'" + file + "' has 2 errors: nothing was imported");
    CHECK(lines[1] == where + "Data di nascita: invalid date '31/04/2010' (use DD/MM/YYYY or YYYY-MM-DD)");
    CHECK(lines[2] == where + "Email genitore 1: invalid e-mail address 'roberto.russo@libero': the domain 'libero' "
                              "has no dot (as in example.it)");
    CHECK(importing.count("person") == 0);
}

TEST_CASE("enrolment: the review's words and labels follow the language, its cells and keys stay English")
{
    Importing importing;
    const auto report = importing.import("enrolment_2025.csv", "2025/2026", true);
    {
        const ItalianMessages italian;
        const auto table = enrolment::review_table(report);
        REQUIRE(table.index_of("change"));
        CHECK(table.columns()[*table.index_of("user_code")].heading() == "codice utente");
        CHECK(table.columns()[*table.index_of("class")].heading() == "classe");
        const auto* change = table.find(0, "change");
        REQUIRE(change);
        CHECK(std::get<std::string>(*change) == "new");
        CHECK(enrolment::review_word("new") == "nuovo");
        CHECK(enrolment::review_word("leaving") == "in uscita");
        CHECK(enrolment::review_word("guardian") == "genitore/tutore");
    }
    const auto table = enrolment::review_table(report);
    CHECK(table.columns()[*table.index_of("user_code")].heading() == "user code");
    CHECK(table.columns()[*table.index_of("class")].heading() == "class");
    CHECK(enrolment::review_word("leaving") == "leaving");
}

namespace {

// Draws 0 for the first `zeros` symbols (so that the first two user codes are the same), then the
// system's random values; counts the draws.
class RepeatingRandom final : public credentials::RandomSource
{
public:
    explicit RepeatingRandom(std::size_t zeros) : m_zeros(zeros) {}
    std::uint32_t uniform(std::uint32_t upper_bound) override
    {
        return m_draws++ < m_zeros ? 0 : credentials::system_random().uniform(upper_bound);
    }
    std::size_t draws() const { return m_draws; }

private:
    std::size_t m_zeros;
    std::size_t m_draws = 0;
};

} // namespace

TEST_CASE("enrolment: a user code that is already given is drawn again")
{
    Importing importing;
    RepeatingRandom random(16); // the first two family accounts draw F22222222
    importing.generator = credentials::Generator({}, random);
    const auto report = importing.import("enrolment_2025.csv");
    CHECK(report.accounts_created == 32);
    CHECK(importing.count("account") == 32);
    CHECK(importing.db.connection().get<int>("SELECT count(DISTINCT user_code) FROM account") == 32);
    CHECK(importing.db.connection().get<int>("SELECT count(*) FROM account WHERE user_code = 'F22222222'") == 1);
    CHECK(random.draws() == 33 * 8); // 32 codes of 8 symbols, and one drawn again
}
