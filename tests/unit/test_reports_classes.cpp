#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/dispatch/issue.hpp>
#include <credenza/reports/classes.hpp>

#include "support.hpp"

using namespace credenza;

namespace {

// Marks the initial letter of an account (found by codice fiscale and kind) with a state.
void set_letter_state(store::Database& db, const std::string& tax_code, const std::string& kind,
                      const std::string& state)
{
    const int changed = db.connection().execute("UPDATE letter SET state = ? WHERE account_id = (SELECT a.id FROM account a "
                                   "JOIN person p ON p.id = a.person_id WHERE p.tax_code = ? AND a.kind = ?)",
                                   state, tax_code, kind);
    REQUIRE(changed == 1);
}

const reports::ClassProgress& row_of(const std::vector<reports::ClassProgress>& rows, const std::string& name)
{
    for (const auto& row : rows) {
        if (row.class_name == name) {
            return row;
        }
    }
    FAIL("no row for class " << name);
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("reports classes: pupils, covering accounts and missing addresses per class, sorted by class")
{
    testing::School school;
    const auto rows = reports::class_progress(*school.db);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].class_name == "1A");
    CHECK(rows[1].class_name == "1B");
    CHECK(rows[2].class_name == "2A");
    CHECK(rows[3].class_name == "5A");
    // tests/data/README.md: 3 pupils each; 1A has five guardians (Alessandro Bianchi has one).
    CHECK(row_of(rows, "1A").pupils == 3);
    CHECK(row_of(rows, "1A").family_accounts == 5);
    CHECK(row_of(rows, "1A").student_accounts == 3);
    CHECK(row_of(rows, "2A").family_accounts == 6);
    CHECK(row_of(rows, "5A").family_accounts == 6);
    // 1B: Roberto Greco has no address, nor have the students Martina Greco and Niccolò Fontana.
    CHECK(row_of(rows, "1B").without_address == 3);
    CHECK(row_of(rows, "1A").without_address == 0);
    CHECK(row_of(rows, "1A").letters_pending == 0);
}

TEST_CASE("reports classes: letters by state, a guardian of pupils in three classes counts in each")
{
    testing::School school;
    auto& db = *school.db;
    dispatch::issue_letters(db, system_clock(), {{}, std::nullopt, false, "test"});
    set_letter_state(db, "DNGFNC76P05H501R", "family", "sent");     // Francesco D'Angelo: 1A, 2A, 5A
    set_letter_state(db, "PTILNE79B67F839R", "family", "deferred"); // Elena Pietà: 1A, 2A
    set_letter_state(db, "BNCLRA83M59L219L", "family", "failed");   // Laura Bianchi: 1A
    set_letter_state(db, "DNGNCL11C14H501W", "student", "sent");    // Nicolò D'Angelo: 1A
    const auto rows = reports::class_progress(db);
    const auto& first_a = row_of(rows, "1A");
    CHECK(first_a.letters_sent == 2);
    CHECK(first_a.letters_deferred == 1);
    CHECK(first_a.letters_failed == 1);
    CHECK(first_a.letters_pending == 8 - 4);
    CHECK(first_a.families_with_credentials == 1);
    CHECK(first_a.students_with_credentials == 1);
    const auto& second_a = row_of(rows, "2A");
    CHECK(second_a.letters_sent == 1);
    CHECK(second_a.letters_deferred == 1);
    CHECK(second_a.letters_pending == 9 - 2);
    CHECK(row_of(rows, "5A").families_with_credentials == 1);
    // 1B: five guardians and one student have an address, so six letters wait.
    CHECK(row_of(rows, "1B").letters_pending == 6);
    CHECK(row_of(rows, "1B").families_with_credentials == 0);
}

TEST_CASE("reports classes: the filter keeps only the classes and the school year asked for")
{
    testing::School school;
    reports::Filter filter;
    filter.classes = {"1B", "5A"};
    const auto rows = reports::class_progress(*school.db, filter);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].class_name == "1B");
    CHECK(rows[1].class_name == "5A");
    CHECK(reports::class_progress(*school.db, {{}, "2025/2026"}).size() == 4);
    CHECK(reports::class_progress(*school.db, {{}, "2024/2025"}).empty());
}

TEST_CASE("reports classes: disabled accounts and pupils who left are not counted")
{
    testing::School school;
    auto& db = *school.db;
    db.connection().execute("UPDATE pupil SET status = 'left' WHERE person_id = (SELECT id FROM person WHERE tax_code = ?)",
               std::string("BNCLSN11A09L219L")); // Alessandro Bianchi, 1A
    db.connection().execute("UPDATE account SET status = 'disabled' WHERE kind = 'family' AND person_id = "
               "(SELECT id FROM person WHERE tax_code = ?)",
               std::string("CLMCHR81S43F205G")); // Chiara Colombo, 1A
    const auto rows = reports::class_progress(db);
    CHECK(row_of(rows, "1A").pupils == 2);
    CHECK(row_of(rows, "1A").student_accounts == 2);
    CHECK(row_of(rows, "1A").family_accounts == 3); // Francesco, Elena, Luca
}
