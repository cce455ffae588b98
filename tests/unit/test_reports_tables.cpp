#include <doctest/doctest.h>

#include <credenza/i18n.hpp>
#include <credenza/reports/tables.hpp>

using namespace credenza;

namespace {

std::vector<std::string> keys(const Table& table)
{
    std::vector<std::string> found;
    for (const auto& column : table.columns()) {
        found.push_back(column.key);
    }
    return found;
}

std::vector<std::string> headings(const Table& table)
{
    std::vector<std::string> found;
    for (const auto& column : table.columns()) {
        found.push_back(column.heading());
    }
    return found;
}

} // namespace

TEST_CASE("reports tables: the summary has the keys its JSON always had, in order")
{
    reports::Summary summary;
    summary.pupils_active = 12;
    summary.letters_cancelled = 2;
    const auto record = reports::summary_record(summary);
    std::vector<std::string> found;
    for (const auto& field : record.fields) {
        found.push_back(field.first);
    }
    CHECK(found == std::vector<std::string>{"pupils_active", "pupils_left", "guardians", "family_accounts_active",
                                            "family_accounts_disabled", "student_accounts_active",
                                            "student_accounts_disabled", "family_accounts_without_address",
                                            "student_accounts_without_address", "letters_queued", "letters_sent",
                                            "letters_deferred", "letters_failed", "letters_cancelled"});
    CHECK(*record.find("pupils_active") == number(12));
    CHECK(*record.find("letters_cancelled") == number(2));
}

TEST_CASE("reports tables: classes are short and labelled for people, with who has credentials in full")
{
    reports::ClassProgress row;
    row.class_name = "1A";
    row.pupils = 3;
    row.families_with_credentials = 2;
    const auto table = reports::classes_table({row});
    CHECK(headings(table.view(Detail::brief)) == std::vector<std::string>{"class", "pupils", "families", "students",
                                                                          "sent", "pending", "deferred", "failed",
                                                                          "no_address"});
    CHECK(keys(table.view(Detail::full)) ==
          std::vector<std::string>{"class", "pupils", "family_accounts", "student_accounts", "letters_sent",
                                   "letters_pending", "letters_deferred", "letters_failed", "without_address",
                                   "families_with_credentials", "students_with_credentials"});
    CHECK(*table.find(0, "families_with_credentials") == number(2));
}

TEST_CASE("reports tables: deliveries show the letter's fate briefly and everything in full")
{
    reports::Delivery row;
    row.letter_id = 7;
    row.user_code = "F1";
    row.classes = {"1A", "2B"};
    const auto table = reports::deliveries_table({row});
    CHECK(keys(table.view(Detail::brief)) ==
          std::vector<std::string>{"user_code", "kind", "address", "state", "attempts", "last_reply", "time",
                                   "next_attempt"});
    CHECK(keys(table.view(Detail::full)) ==
          std::vector<std::string>{"letter", "user_code", "kind", "surname", "name", "classes", "purpose", "address",
                                   "state", "attempts", "last_code", "last_reply", "time", "next_attempt"});
    CHECK(*table.find(0, "letter") == number(7));
    CHECK(std::holds_alternative<std::monostate>(*table.find(0, "last_code"))); // never tried: null
    CHECK(*table.find(0, "classes") == Value(std::vector<std::string>{"1A", "2B"}));
    row.last_code = 550;
    CHECK(*reports::deliveries_table({row}).find(0, "last_code") == number(550));
}

TEST_CASE("reports tables: problems say what, for whom and why, in full also where")
{
    reports::Problem row;
    row.problem = "no_address";
    row.reason = "record the address";
    const auto table = reports::problems_table({row});
    CHECK(keys(table.view(Detail::brief)) ==
          std::vector<std::string>{"problem", "user_code", "surname", "name", "classes", "reason"});
    CHECK(keys(table.view(Detail::full)) == std::vector<std::string>{"problem", "user_code", "kind", "tax_code",
                                                                     "surname", "name", "classes", "address",
                                                                     "reason"});
    CHECK(*table.find(0, "reason") == Value(std::string("record the address")));
}

TEST_CASE("reports tables: the audit listing has one column per field of an entry")
{
    audit::Entry entry;
    entry.id = 4;
    entry.operator_name = "segreteria";
    const auto table = reports::audit_table({entry});
    CHECK(keys(table) == std::vector<std::string>{"id", "at", "operator", "action", "account", "detail"});
    CHECK(keys(table.view(Detail::brief)) == keys(table));
    CHECK(*table.find(0, "operator") == Value(std::string("segreteria")));
}

TEST_CASE("reports tables: under the Italian catalog the labels and summary words are Italian, the keys English")
{
    i18n::set_catalog_dir(CREDENZA_TEST_LOCALE);
    i18n::use_language("it");
    const auto problems = reports::problems_table({});
    const auto italian_headings = headings(problems);
    const auto summary_word = reports::summary_label("family_accounts_without_address");
    const auto problem_word = reports::summary_label("problems_no_address");
    const auto unknown = reports::summary_label("no_such_key");
    i18n::use_language("en");

    CHECK(keys(problems) == std::vector<std::string>{"problem", "user_code", "kind", "tax_code", "surname", "name",
                                                     "classes", "address", "reason"});
    CHECK(italian_headings == std::vector<std::string>{"problema", "codice utente", "tipo", "codice fiscale", "cognome",
                                                       "nome", "classi", "indirizzo", "motivo"});
    CHECK(summary_word == "utenze famiglia senza indirizzo");
    CHECK(problem_word == "problemi: nessun indirizzo a cui scrivere");
    CHECK(unknown == "no_such_key");
    // English: the headings are what they always were (the keys where a column had no label).
    CHECK(headings(reports::problems_table({})) == keys(problems));
    CHECK(reports::summary_label("family_accounts_without_address") == "family accounts without an address");
}
