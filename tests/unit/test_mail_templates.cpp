#include <credenza/mail/templates.hpp>

#include <credenza/error.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <string>

using namespace credenza::mail;
using credenza::Error;
using credenza::ErrorCode;
namespace fs = std::filesystem;

namespace {

using credenza::testing::TempDir;

void write_file(const fs::path& path, const std::string& text)
{
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

std::map<std::string, std::string> family_fields()
{
    return {
        {"school_name", "I.T.I.S. \"G. Vallauri\""},
        {"portal_url", "https://registrofamiglie.axioscloud.it/?Customer_ID=87004020589&x=1"},
        {"user_code", "AB12CD"},
        {"password", "k<7Qz&a>Wm\"9"},
        {"pin", "482913"},
        {"name", "Maria Rossi"},
        {"pupils", "- Luca Rossi (classe 1A)\n- Anna Rossi (classe 3B)"},
        {"credentials", "Codice utente: AB12CD\nPassword: k<7Qz&a>Wm\"9\nPIN: 482913"},
        {"expires", "2 novembre 2022"},
        {"email", "maria.rossi@example.it"},
    };
}

std::string config_error_message(const Template& letter, const std::map<std::string, std::string>& fields)
{
    try {
        render(letter, fields);
    } catch (const Error& error) {
        CHECK(error.code() == ErrorCode::config);
        return error.what();
    }
    FAIL("render accepted a template it should have refused");
    return {};
}

} // namespace

TEST_CASE("templates: the built-in Italian and English letters exist for all five kinds and pass the check")
{
    for (const auto language : {"it", "en"}) {
        for (const auto kind : {LetterKind::family, LetterKind::student, LetterKind::reset, LetterKind::recovery,
                                LetterKind::spid}) {
            CAPTURE(language);
            CAPTURE(to_string(kind));
            const Template letter = load_template(kind, language, {});
            CHECK(letter.origin == std::string("built-in ") + language + "/" + std::string(to_string(kind)));
            CHECK_FALSE(letter.subject.empty());
            CHECK(letter.body.find("{credentials}") != std::string::npos);
            CHECK(letter.body.find("{portal_url}") != std::string::npos);
            CHECK_NOTHROW(check_template(letter));
        }
    }
}

TEST_CASE("templates: the Italian family letter says what the circulars say")
{
    const Template letter = load_template(LetterKind::family, "it", {});
    CHECK(letter.body.find("Al primo accesso") != std::string::npos);
    CHECK(letter.body.find("il sistema Le chiederà di cambiare") != std::string::npos);
    CHECK(letter.body.find("{pupils}") != std::string::npos);
    CHECK(letter.body.find("{expires}") != std::string::npos);
    CHECK(letter.body.find("responsabilità") != std::string::npos);
    CHECK(letter.body.find("esclusivamente per posta elettronica") != std::string::npos);
    const Template recovery = load_template(LetterKind::recovery, "it", {});
    CHECK(recovery.subject.find("Password dimenticata?") != std::string::npos);
}

TEST_CASE("templates: placeholders are filled in subject, text and html")
{
    const Template letter{"Credenziali – {school_name}",
                          "Gentile {name},\n\n{credentials}\n\nAccedi da {portal_url}\n{pupils}\n", "test"};
    const Rendered rendered = render(letter, family_fields());
    CHECK(rendered.subject == "Credenziali – I.T.I.S. \"G. Vallauri\"");
    CHECK(rendered.text
          == "Gentile Maria Rossi,\n\nCodice utente: AB12CD\nPassword: k<7Qz&a>Wm\"9\nPIN: 482913\n\n"
             "Accedi da https://registrofamiglie.axioscloud.it/?Customer_ID=87004020589&x=1\n"
             "- Luca Rossi (classe 1A)\n- Anna Rossi (classe 3B)\n");
    CHECK(rendered.html.find("Gentile Maria Rossi,") != std::string::npos);
}

TEST_CASE("templates: a '<' in a password is escaped in the html part, and the text part keeps it")
{
    const Template letter = load_template(LetterKind::family, "it", {});
    const Rendered rendered = render(letter, family_fields());
    CHECK(rendered.text.find("Password: k<7Qz&a>Wm\"9") != std::string::npos);
    CHECK(rendered.html.find("Password: <strong") != std::string::npos);
    CHECK(rendered.html.find(">k&lt;7Qz&amp;a&gt;Wm&quot;9</strong>") != std::string::npos);
    CHECK(rendered.html.find("k<7Qz") == std::string::npos);
    CHECK(rendered.html.find("<title>Credenziali di accesso al registro elettronico – I.T.I.S. &quot;G. "
                             "Vallauri&quot;</title>")
          != std::string::npos);
    // The link is clickable, its '&' escaped inside the attribute too.
    CHECK(rendered.html.find("<a href=\"https://registrofamiglie.axioscloud.it/?Customer_ID=87004020589&amp;x=1\" ")
          != std::string::npos);
}

TEST_CASE("templates: an unknown field is a configuration error naming the template and the field")
{
    const Template letter{"Credenziali", "Codice: {user_code}\nCodice fiscale: {codice_fiscale}\n",
                          "/etc/credenza/templates/it/family.txt"};
    const std::string message = config_error_message(letter, family_fields());
    CHECK(message.find("template '/etc/credenza/templates/it/family.txt'") != std::string::npos);
    CHECK(message.find("{codice_fiscale}") != std::string::npos);
    CHECK_THROWS_AS(check_template(letter), Error);
}

TEST_CASE("templates: a field without a name is a configuration error, not an argument taken by position")
{
    // Found by scripts/fuzz: "{}" made fmt look for positional arguments a letter never has.
    for (const std::string subject : {"Credenziali {}", "{} {{} {}", "PIN {pin:{}}"}) {
        const Template letter{subject, "Codice: {user_code}\n", "built-in it/family"};
        CAPTURE(subject);
        CHECK(config_error_message(letter, family_fields()).find("a field needs a name") != std::string::npos);
        CHECK_THROWS_AS(check_template(letter), Error);
    }
}

TEST_CASE("templates: a stray brace is a configuration error that never shows a field's value")
{
    const Template letter{"Credenziali", "Password: {password}\nUn { solo\n", "built-in it/family"};
    const std::string message = config_error_message(letter, family_fields());
    CHECK(message.find("template 'built-in it/family'") != std::string::npos);
    CHECK(message.find("k<7Qz") == std::string::npos);
}

TEST_CASE("templates: the school's own file in template_dir overrides the built-in letter")
{
    TempDir directory;
    write_file(directory.path() / "it" / "family.txt",
               "Subject: Registro di {school_name}\r\n\r\nCiao {name}\r\n{credentials}\r\n");
    const Template letter = load_template(LetterKind::family, "it", directory.path());
    CHECK(letter.origin == (directory.path() / "it" / "family.txt").string());
    CHECK(letter.subject == "Registro di {school_name}");
    CHECK(letter.body == "Ciao {name}\n{credentials}\n");
    // Kinds the school did not override still come built in.
    CHECK(load_template(LetterKind::student, "it", directory.path()).origin == "built-in it/student");
}

TEST_CASE("templates: a school may add a language of its own in template_dir")
{
    TempDir directory;
    write_file(directory.path() / "de" / "family.txt", "Subject: Zugangsdaten\n\nHallo {name}\n");
    CHECK(load_template(LetterKind::family, "de", directory.path()).body == "Hallo {name}\n");
}

TEST_CASE("templates: an unknown language is a configuration error")
{
    try {
        load_template(LetterKind::family, "xx", {});
        FAIL("an unknown language was accepted");
    } catch (const Error& error) {
        CHECK(error.code() == ErrorCode::config);
        CHECK(std::string(error.what()).find("'xx'") != std::string::npos);
    }
    CHECK_THROWS_AS(load_template(LetterKind::family, "../it", {}), Error);
}

TEST_CASE("templates: a file without the 'Subject:' line and an empty line is refused")
{
    TempDir directory;
    write_file(directory.path() / "it" / "reset.txt", "Gentile {name},\n\ntesto\n");
    try {
        load_template(LetterKind::reset, "it", directory.path());
        FAIL("a template without a subject was accepted");
    } catch (const Error& error) {
        CHECK(error.code() == ErrorCode::config);
        CHECK(std::string(error.what()).find((directory.path() / "it" / "reset.txt").string()) != std::string::npos);
    }
    write_file(directory.path() / "it" / "reset.txt", "Subject: x\nno empty line\n");
    CHECK_THROWS_AS(load_template(LetterKind::reset, "it", directory.path()), Error);
}

TEST_CASE("templates: '%if' sections are kept or dropped by the letter's conditions, and nest")
{
    const Template letter{"S", "Gentile {name},\n\n%if self_service\nProcedura.\n%if formal\nLei.\n%else\nTu.\n%end\n"
                               "%else\nSegreteria.\n%end\n\n%if !pin\nNessun PIN.\n%end\n\nSaluti\n",
                          "test"};
    CHECK(render(letter, family_fields(), {{"self_service", true}, {"formal", true}}).text
          == "Gentile Maria Rossi,\n\nProcedura.\nLei.\n\nNessun PIN.\n\nSaluti\n");
    CHECK(render(letter, family_fields(), {{"self_service", true}}).text
          == "Gentile Maria Rossi,\n\nProcedura.\nTu.\n\nNessun PIN.\n\nSaluti\n");
    // A dropped section leaves one blank line between paragraphs, never two.
    CHECK(render(letter, family_fields(), {{"pin", true}}).text == "Gentile Maria Rossi,\n\nSegreteria.\n\nSaluti\n");
}

TEST_CASE("templates: an unknown condition or an unbalanced section is a configuration error naming the line")
{
    const auto message = [](const std::string& body) {
        try {
            check_template(Template{"S", body, "school/it/family.txt"});
        } catch (const Error& error) {
            CHECK(error.code() == ErrorCode::config);
            return std::string(error.what());
        }
        FAIL("check_template accepted " << body);
        return std::string();
    };
    CHECK(message("a\n%if adulto\nb\n%end\n").find("template 'school/it/family.txt': body line 2: unknown condition "
                                                   "'adulto' (known: self_service,")
          != std::string::npos);
    CHECK(message("a\n%if adult\nb\n").find("body line 2: '%if' without its '%end'") != std::string::npos);
    CHECK(message("a\n%end\n").find("body line 2: '%end' without its '%if'") != std::string::npos);
    CHECK(message("%if pin\n%else\n%else\n%end\n").find("body line 3: '%else' without its '%if'") != std::string::npos);
}

TEST_CASE("templates: the html part has lang, a viewport, real paragraphs, the credentials apart and the link as "
          "a button")
{
    Template letter = load_template(LetterKind::family, "it", {});
    const Rendered rendered = render(letter, family_fields(), {{"self_service", true}});
    const std::string& html = rendered.html;
    CHECK(html.find("<html lang=\"it\">") != std::string::npos);
    CHECK(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") != std::string::npos);
    // Lines of a paragraph are joined; a closing keeps its signature on the next line.
    CHECK(html.find("Il PIN è il numero personale riservato a chi esercita la responsabilità genitoriale. Serve")
          != std::string::npos);
    CHECK(html.find("<p style=\"margin:0 0 16px 0\">Cordiali saluti,<br>\nla segreteria di I.T.I.S.")
          != std::string::npos);
    CHECK(html.find("responsabilità genitoriale") != std::string::npos);
    CHECK(html.find("<div data-credentials=\"\" style=\"font-family:'DejaVu Sans Mono'") != std::string::npos);
    CHECK(html.find("<li style=\"margin:4px 0\">Luca Rossi (classe 1A)</li>") != std::string::npos);
    CHECK(html.find(">Apri il registro elettronico</a>") != std::string::npos);
    CHECK(html.find("<style") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    // No address but the portal's: every href is the portal link.
    const std::string portal = "href=\"https://registrofamiglie.axioscloud.it/?Customer_ID=87004020589&amp;x=1\"";
    int links = 0;
    for (auto found = html.find("href="); found != std::string::npos; found = html.find("href=", found + 1)) {
        CHECK(html.compare(found, portal.size(), portal) == 0);
        ++links;
    }
    CHECK(links >= 2);
    // "- " steps become a list; nothing of the text part is lost.
    CHECK(html.find("<li style=\"margin:4px 0\">prema &quot;Password dimenticata?&quot;;</li>") != std::string::npos);
    letter.language = "en";
    CHECK(render(letter, family_fields()).html.find("<html lang=\"en\">") != std::string::npos);
}

TEST_CASE("templates: the reminders say how to log in and carry no secret field")
{
    for (const auto language : {"it", "en"}) {
        for (const auto kind : {LetterKind::reminder, LetterKind::reminder_spid}) {
            CAPTURE(language);
            CAPTURE(to_string(kind));
            const Template letter = load_template(kind, language, {});
            CHECK_NOTHROW(check_template(letter));
            CHECK(letter.body.find("{portal_url}") != std::string::npos);
            for (const char* secret : {"{password}", "{pin}", "{credentials}"}) {
                CHECK(letter.body.find(secret) == std::string::npos);
            }
        }
    }
    CHECK(load_template(LetterKind::reminder_spid, "it", {}).body.find("SPID") != std::string::npos);
}
