#include <doctest/doctest.h>

#include <algorithm>

#include <credenza/enrolment/columns.hpp>

using namespace credenza::enrolment;

namespace {

const std::vector<std::string> k_canonical{"student_tax_code", "student_surname", "student_name", "birth_date",
                                           "class",            "guardian1_tax_code", "guardian1_surname",
                                           "guardian1_name",   "guardian1_email"};

} // namespace

TEST_CASE("columns: canonical field names read back as themselves, with the guardian's number")
{
    const auto ref = parse_field_name("guardian2_email");
    REQUIRE(ref.has_value());
    CHECK(ref->field == Field::guardian_email);
    CHECK(ref->guardian == 2);
    CHECK(field_name(*ref) == "guardian2_email");
    // Without a number: the one guardian of a row per guardian.
    CHECK(parse_field_name("guardian_email") == FieldRef{Field::guardian_email, 0});
    CHECK(field_name({Field::guardian_email, 0}) == "guardian_email");
    CHECK_FALSE(parse_field_name("guardian0_email").has_value());
    CHECK_FALSE(parse_field_name("shoe_size").has_value());
}

TEST_CASE("columns: the Italian headers of a register's export are recognised")
{
    CHECK(recognise_header("Codice Fiscale") == FieldRef{Field::student_tax_code, 0});
    CHECK(recognise_header("Data di nascita") == FieldRef{Field::birth_date, 0});
    CHECK(recognise_header("Codice Fiscale Genitore 1") == FieldRef{Field::guardian_tax_code, 1});
    CHECK_FALSE(recognise_header("Note").has_value());
}

TEST_CASE("columns: a file with the canonical headers maps every column and has one guardian")
{
    std::vector<std::string> problems;
    const auto map = map_columns(k_canonical, {}, problems);
    CHECK(problems.empty());
    CHECK(map.guardians == std::vector<int>{1});
    CHECK(map.ignored.empty());
    CHECK(map.column_of({Field::birth_date, 0}) == 3u);
}

TEST_CASE("columns: a missing required column is a problem naming the field")
{
    std::vector<std::string> headers = k_canonical;
    headers.erase(headers.begin() + 3); // birth_date
    std::vector<std::string> problems;
    map_columns(headers, {}, problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().find("birth_date") != std::string::npos);
}

TEST_CASE("columns: --map names a column for a field, and a column it names must be in the file")
{
    std::vector<std::string> headers = k_canonical;
    headers[3] = "Nato il";
    std::vector<std::string> problems;
    const auto map = map_columns(headers, {{"Nato il", "birth_date"}, {"assente", "student_email"}}, problems);
    CHECK(map.column_of({Field::birth_date, 0}) == 3u);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().find("assente") != std::string::npos);
}

TEST_CASE("columns: a column given twice is a problem, and unknown headers are listed as ignored")
{
    std::vector<std::string> headers = k_canonical;
    headers.push_back("Codice Fiscale"); // student_tax_code again
    headers.push_back("Note");
    std::vector<std::string> problems;
    const auto map = map_columns(headers, {}, problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().find("given twice") != std::string::npos);
    CHECK(std::find(map.ignored.begin(), map.ignored.end(), "Note") != map.ignored.end());
}

TEST_CASE("columns: the header spellings of real registers are recognised")
{
    const auto is = [](std::string_view header, Field field, int guardian = 0) {
        INFO(header);
        CHECK(recognise_header(header) == FieldRef{field, guardian});
    };
    is("CODICE FISCALE ALUNNO", Field::student_tax_code);
    is("Codice fiscale studente", Field::student_tax_code);
    is("CF", Field::student_tax_code);
    is("Cognome alunno", Field::student_surname);
    is("NOME STUDENTE", Field::student_name);
    is("Data Nascita", Field::birth_date);
    is("Data di nascita", Field::birth_date);
    is("Nato il", Field::birth_date);
    is("Nato/a il", Field::birth_date);
    is("Classe", Field::class_name);
    is("Email istituzionale", Field::student_email);
    is("E-mail alunno", Field::student_email);
    is("Posta elettronica studente", Field::student_email);
    is("E-mail Genitore 1", Field::guardian_email, 1);
    is("Email Genitore 2", Field::guardian_email, 2);
    is("Mail Genitore1", Field::guardian_email, 1);
    is("Cognome Gen. 2", Field::guardian_surname, 2);
    is("Nome Padre", Field::guardian_name, 1);
    is("Codice Fiscale Madre", Field::guardian_tax_code, 2);
    is("genitore1Cognome", Field::guardian_surname, 1);
    is("genitore2Email", Field::guardian_email, 2);
    is("genitore1CodiceFiscale", Field::guardian_tax_code, 1);
    is("COGNOME TUTORE", Field::guardian_surname, 0);
    is("CODICE FISCALE TUTORE", Field::guardian_tax_code, 0);
    is("EMAIL TUTORE", Field::guardian_email, 0);
    is("RUOLO DEL TUTORE", Field::guardian_role, 0);
    is("Cognome Genitore 1", Field::guardian_surname, 1);
    is("CÓGNOME", Field::student_surname);
    is("guardian1_tax_code", Field::guardian_tax_code, 1);
    is("student_email", Field::student_email);
    is("birth_date", Field::birth_date);
}

TEST_CASE("columns: a header that looks like a field but is not one says which field it probably is")
{
    auto meaning = read_header("E-mail genitore principale");
    CHECK_FALSE(meaning.field.has_value());
    REQUIRE(meaning.probable.has_value());
    CHECK(*meaning.probable == FieldRef{Field::guardian_email, 1});

    meaning = read_header("Email"); // whose?
    CHECK_FALSE(meaning.field.has_value());
    CHECK(meaning.probable == FieldRef{Field::student_email, 0});

    // Data credenza does not keep, and that names no field.
    CHECK_FALSE(read_header("Luogo di nascita").probable.has_value());
    CHECK_FALSE(read_header("Cellulare Padre").probable.has_value());
    CHECK_FALSE(read_header("Note").probable.has_value());
}

TEST_CASE("columns: a guardian number too large for an int is a problem, not an exception")
{
    const auto meaning = read_header("Email Genitore 99999999999999999999");
    CHECK_FALSE(meaning.field.has_value());
    CHECK(meaning.problem.find("out of range") != std::string::npos);
    CHECK_FALSE(read_header("Email Genitore 10").problem.empty());
    CHECK_FALSE(read_header("Email Genitore 0").problem.empty());
}

TEST_CASE("columns: a looking-like column is a problem naming the --map that maps it")
{
    std::vector<std::string> headers = k_canonical;
    headers.push_back("Mail genitore principale");
    std::vector<std::string> problems;
    map_columns(headers, {}, problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().find("--map 'Mail genitore principale=guardian1_email'") != std::string::npos);
    problems.clear();
    map_columns(headers, {{"Mail genitore principale", "ignore"}}, problems);
    CHECK(problems.empty());
}

TEST_CASE("columns: --map with an unknown field lists the fields")
{
    std::vector<std::string> problems;
    map_columns(k_canonical, {{"class", "classroom"}}, problems);
    REQUIRE_FALSE(problems.empty());
    CHECK(problems.front().find("student_tax_code") != std::string::npos);
    CHECK(problems.front().find("guardianN_email") != std::string::npos);
}

TEST_CASE("columns: a row per guardian is detected from its unnumbered guardian columns")
{
    const std::vector<std::string> nuvola{"CODICE FISCALE ALUNNO", "COGNOME ALUNNO", "NOME ALUNNO", "DATA NASCITA",
                                          "CLASSE",                "COGNOME TUTORE", "NOME TUTORE",
                                          "CODICE FISCALE TUTORE", "EMAIL TUTORE"};
    CHECK(detect_layout(nuvola, {}) == Layout::guardian_rows);
    CHECK(detect_layout(k_canonical, {}) == Layout::pupil_rows);
    std::vector<std::string> problems;
    const auto map = map_columns(nuvola, {}, problems, Layout::guardian_rows);
    CHECK(problems.empty());
    CHECK(map.guardians == std::vector<int>{0});
    // Forced to a row per pupil, the one guardian becomes guardian 1.
    const auto forced = map_columns(nuvola, {}, problems, Layout::pupil_rows);
    CHECK(problems.empty());
    CHECK(forced.column_of({Field::guardian_email, 1}) == 8u);
}
