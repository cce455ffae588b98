#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/dispatch/issue.hpp>
#include <credenza/reports/deliveries.hpp>

#include "support.hpp"

using namespace credenza;

namespace {

const reports::Delivery& letter_of(const std::vector<reports::Delivery>& rows, const std::string& surname,
                                   const std::string& name)
{
    for (const auto& row : rows) {
        if (row.surname == surname && row.name == name) {
            return row;
        }
    }
    FAIL("no letter for " << name << " " << surname);
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("reports deliveries: one row per letter, a queued one showing the address it will go to")
{
    testing::School school;
    dispatch::issue_letters(*school.db, system_clock(), {{}, std::nullopt, false, "test"});
    const auto rows = reports::deliveries(*school.db);
    CHECK(rows.size() == 29);
    const auto& francesco = letter_of(rows, "D'Angelo", "Francesco");
    CHECK(francesco.kind == AccountKind::family);
    CHECK(francesco.state == LetterState::queued);
    CHECK(francesco.purpose == LetterPurpose::initial);
    CHECK(francesco.address == "francesco.dangelo@example.it");
    CHECK(francesco.classes == std::vector<std::string>{"1A", "2A", "5A"});
    CHECK(francesco.attempts == 0);
    CHECK_FALSE(francesco.last_code.has_value());
    for (std::size_t i = 1; i < rows.size(); ++i) {
        CHECK(rows[i - 1].letter_id < rows[i].letter_id);
    }
}

TEST_CASE("reports deliveries: a failed letter shows the address tried, its reply code and reply")
{
    testing::School school;
    auto& db = *school.db;
    dispatch::issue_letters(db, system_clock(), {{}, std::nullopt, false, "test"});
    db.connection().execute("UPDATE letter SET state = 'failed', attempts = 1, recipient = 'old@example.it', last_code = 550, "
               "last_reply = '550 5.1.1 user unknown' WHERE account_id = (SELECT a.id FROM account a JOIN person p "
               "ON p.id = a.person_id WHERE p.tax_code = 'BNCLRA83M59L219L')");
    const auto rows = reports::deliveries(db);
    const auto& laura = letter_of(rows, "Bianchi", "Laura");
    CHECK(laura.state == LetterState::failed);
    CHECK(laura.address == "old@example.it");
    CHECK(laura.last_code == 550);
    CHECK(laura.last_reply == "550 5.1.1 user unknown");
    CHECK(laura.attempts == 1);
}

TEST_CASE("reports deliveries: a class filter keeps the letters of the accounts covering that class")
{
    testing::School school;
    dispatch::issue_letters(*school.db, system_clock(), {{}, std::nullopt, false, "test"});
    reports::Filter filter;
    filter.classes = {"1B"};
    const auto rows = reports::deliveries(*school.db, filter);
    // Five guardians with an address and Emma Pietà, the one student of 1B with one.
    CHECK(rows.size() == 6);
    for (const auto& row : rows) {
        CHECK(std::find(row.classes.begin(), row.classes.end(), "1B") != row.classes.end());
    }
}
