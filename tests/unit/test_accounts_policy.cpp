#include <credenza/accounts/policy.hpp>

#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include <credenza/embedded.hpp>

using namespace credenza::accounts;

namespace {

PasswordContext nicolo()
{
    return PasswordContext{"F7KQ2M9XP", "Nicolò", "D'Angelo", "DNGNCL11C14H501W", 10, ""};
}

// The first `count` code points of UTF-8 text.
std::string first_code_points(std::string_view text, std::size_t count)
{
    std::size_t end = 0;
    for (std::size_t seen = 0; end < text.size(); ++end) {
        if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80 && seen++ == count) {
            break;
        }
    }
    return std::string(text.substr(0, end));
}

// Every entry of the embedded blocklist, comments skipped.
std::vector<std::string> blocklist_lines(bool with_comments)
{
    const auto text = credenza::embedded_file("common_passwords.txt");
    REQUIRE(text.has_value());
    std::vector<std::string> lines;
    std::string_view rest = *text;
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        if (with_comments || line.empty() || line.front() != '#') {
            lines.emplace_back(line);
        }
    }
    return lines;
}

constexpr std::string_view k_carducci = "già perché più tardi, la nebbia agli irti colli piovigginando sale, e sotto "
                                        "il maestrale urla e biancheggia il mar; ma per le vie del borgo dal ribollir "
                                        "de' tini va l'aspro odor dei vini";

} // namespace

TEST_CASE("password policy: length is counted in code points, so 9 accented letters are too short and 10 are enough")
{
    // 9 code points in 11 bytes: a byte count would wrongly accept it.
    CHECK(std::string_view("giàperché").size() == 11);
    CHECK(password_problem("giàperché", nicolo()) == "must be at least 10 characters");
    CHECK(password_problem("giàperchéè", nicolo()) == "");
}

TEST_CASE("password policy: the minimum length comes from the context")
{
    PasswordContext context = nicolo();
    context.min_length = 12;
    CHECK(password_problem("rospo verde", context) == "must be at least 12 characters");
    CHECK(password_problem("rospo verde!", context) == "");
}

TEST_CASE("password policy: 128 code points are accepted and 129 are too long")
{
    const std::string longest = first_code_points(k_carducci, 128);
    const std::string too_long = first_code_points(k_carducci, 129);
    REQUIRE(longest.size() == 131); // three two-byte letters
    CHECK(password_problem(longest, nicolo()) == "");
    CHECK(password_problem(too_long, nicolo()) == "must be at most 128 characters");
}

TEST_CASE("password policy: a long passphrase with spaces is accepted")
{
    CHECK(password_problem("gatto viola mangia sette nuvole", nicolo()) == "");
    CHECK(password_problem("Ventitré cavalli blu sul Garda", nicolo()) == "");
}

TEST_CASE("password policy: text that is not valid UTF-8 is refused")
{
    for (const std::string_view bad : {std::string_view("caff\xE8 latte macchiato"),      // Latin-1 è
                                       std::string_view("abcde\xC0\xAF" "fghij"),         // overlong '/'
                                       std::string_view("abcde\xED\xA0\x80" "fghij"),     // a surrogate
                                       std::string_view("abcdefghijk\xC3"),              // cut short
                                       std::string_view("abcde\xF4\x90\x80\x80" "fghij")}) { // past U+10FFFF
        CAPTURE(bad);
        CHECK(password_problem(bad, nicolo()) == "must be valid UTF-8 text");
    }
}

TEST_CASE("password policy: control characters are refused and spaces are not")
{
    CHECK(password_problem("rospo\tverde rana", nicolo()) == "must not contain control characters");
    CHECK(password_problem("rospo verde rana\n", nicolo()) == "must not contain control characters");
    CHECK(password_problem("rospo\x7Fverde rana", nicolo()) == "must not contain control characters");
    CHECK(password_problem(std::string_view("rospo\0verde rana", 16), nicolo()) ==
          "must not contain control characters");
    CHECK(password_problem("rospo verde rana", nicolo()) == "");
}

TEST_CASE("password policy: a blocklisted password is refused whatever its case")
{
    CHECK(password_problem("juventus1897", nicolo()) == "is one of the most common passwords");
    CHECK(password_problem("JuVeNtUs1897", nicolo()) == "is one of the most common passwords");
    CHECK(password_problem("forzanapoli1926", nicolo()) == "is one of the most common passwords");
    CHECK(password_problem("iloveyou123", nicolo()) == "is one of the most common passwords");
    CHECK(password_problem("registroelettronico", nicolo()) == "is one of the most common passwords");
}

TEST_CASE("password policy: a blocklisted word with digits and punctuation around it is refused")
{
    CHECK(password_problem("Juventus2024!", nicolo()) == "is one of the most common passwords");
    CHECK(password_problem("amore!!!!!!", nicolo()) == "is one of the most common passwords");
    CHECK(password_problem("Famiglia 2023", nicolo()) == "is one of the most common passwords");
    CHECK(password_problem("2024juventus", nicolo()) == "is one of the most common passwords");
    // A letter at the end means the word is no longer alone: nothing is stripped.
    CHECK(password_problem("juventus2024!x", nicolo()) == "");
}

TEST_CASE("password policy: the surname is found without accents, case or apostrophes")
{
    CHECK(password_problem("Dangelo2020xx", nicolo()) == "must not contain your surname");
    CHECK(password_problem("io sono d'angelo", nicolo()) == "must not contain your surname");
    PasswordContext context = nicolo();
    context.surname = "Dell’Acqua"; // typographic apostrophe
    CHECK(password_problem("bevo dellacqua fresca", context) == "must not contain your surname");
}

TEST_CASE("password policy: the name is found whether the accent is in the name or in the password")
{
    CHECK(password_problem("NICOLO-rocks-2020", nicolo()) == "must not contain your name");
    PasswordContext context = nicolo();
    context.name = "Nicolo";
    CHECK(password_problem("nicolò è forte", context) == "must not contain your name");
}

TEST_CASE("password policy: Latin letters of other alphabets lose their accents and strokes too")
{
    PasswordContext context = nicolo();
    context.name = "Łukasz";
    context.surname = "Kovačević";
    CHECK(password_problem("il mio nome e lukasz", context) == "must not contain your name");
    CHECK(password_problem("KOVACEVIC forever", context) == "must not contain your surname");
    CHECK(password_problem("kovaćević forever", context) == "must not contain your surname");
}

TEST_CASE("password policy: each part of a name of several words counts, and a part of two letters does not")
{
    PasswordContext context = nicolo();
    context.name = "Maria Luisa";
    context.surname = "De Luca";
    CHECK(password_problem("luisa va al mare", context) == "must not contain your name");
    CHECK(password_problem("zio luca in moto", context) == "must not contain your surname");
    CHECK(password_problem("deep blue sea 42", context) == "");
}

TEST_CASE("password policy: a name of two letters does not block and one of three does")
{
    PasswordContext context = nicolo();
    context.name = "Al";
    CHECK(password_problem("always almost", context) == "");
    context.name = "Ugo";
    CHECK(password_problem("ugo is my dog!", context) == "must not contain your name");
}

TEST_CASE("password policy: the user code and the codice fiscale are refused in any case")
{
    CHECK(password_problem("xxf7kq2m9xpyy", nicolo()) == "must not contain your user code");
    CHECK(password_problem("mio DNGNCL11C14H501W", nicolo()) == "must not contain your codice fiscale");
    CHECK(password_problem("mio dngncl11c14h501w", nicolo()) == "must not contain your codice fiscale");
}

TEST_CASE("password policy: empty personal fields block nothing")
{
    const PasswordContext empty;
    CHECK(password_problem("rospo verde rana", empty) == "");
}

TEST_CASE("password policy: one character repeated is refused")
{
    CHECK(password_problem("aaaaaaaaaa", nicolo()) == "must not be one character repeated");
    CHECK(password_problem("ZZZZZZZZZZZZ", nicolo()) == "must not be one character repeated");
    CHECK(password_problem("èèèèèèèèèè", nicolo()) == "must not be one character repeated");
    CHECK(password_problem("xxxxxxxx2024", nicolo()) == "must not be one character repeated");
}

TEST_CASE("password policy: a unit of up to four characters repeated is refused")
{
    CHECK(password_problem("ababababab", nicolo()) == "must not be a short pattern repeated");
    CHECK(password_problem("abcdabcdab", nicolo()) == "must not be a short pattern repeated");
    CHECK(password_problem("abcdeabcde", nicolo()) == "");
}

TEST_CASE("password policy: straight runs of keys, letters or digits are refused in both directions")
{
    for (const char* run : {"1234567890", "abcdefghij", "qwertyuiop", "0987654321", "QWERTYUIOP", "jihgfedcba",
                            "7890123456", "poiuytrewq", "qwertyuiop1"}) {
        CAPTURE(run);
        CHECK(password_problem(run, nicolo()) == "must not be a straight run of keys, letters or digits");
    }
    CHECK(password_problem("1234567809", nicolo()) == "");
}

TEST_CASE("password policy: a refusal never repeats the password")
{
    for (const char* candidate : {"Juventus2024!", "Dangelo2020xx", "aaaaaaaaaa", "short"}) {
        CAPTURE(candidate);
        const std::string problem = password_problem(candidate, nicolo());
        CHECK(!problem.empty());
        CHECK(problem.find(candidate) == std::string::npos);
    }
}

TEST_CASE("password policy: every non-comment line of the blocklist is a lower-case entry")
{
    const std::vector<std::string> lines = blocklist_lines(true);
    REQUIRE(!lines.empty());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        CAPTURE(i + 1);
        CAPTURE(line);
        if (!line.empty() && line.front() == '#') {
            continue;
        }
        CHECK(!line.empty());
        CHECK(line.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\t") == std::string::npos);
        CHECK(line.front() != ' ');
        CHECK(line.back() != ' ');
    }
}

TEST_CASE("password policy: the blocklist has at least 200 entries")
{
    CHECK(blocklist_lines(false).size() >= 200);
}

TEST_CASE("password policy: every blocklist entry that ends in a letter is refused with a year after it")
{
    const PasswordContext nobody;
    for (const std::string& entry : blocklist_lines(false)) {
        const char last = entry.back();
        if (!((last >= 'a' && last <= 'z') || static_cast<unsigned char>(last) >= 0x80)) {
            continue;
        }
        const std::string candidate = entry + "2024!" + std::string(10, '!');
        CAPTURE(entry);
        CHECK(password_problem(candidate, nobody) != "");
    }
}

TEST_CASE("PIN policy: a six-digit PIN with no pattern is accepted")
{
    CHECK(pin_problem("480516", 6) == "");
    CHECK(pin_problem("4805", 4) == "");
}

TEST_CASE("PIN policy: anything but digits is refused")
{
    CHECK(pin_problem("48o516", 6) == "must contain digits only");
    CHECK(pin_problem("48 516", 6) == "must contain digits only");
    CHECK(pin_problem("４８０５１６", 6) == "must contain digits only"); // full-width digits
}

TEST_CASE("PIN policy: five or seven digits are refused for a length of six")
{
    CHECK(pin_problem("48051", 6) == "must be exactly 6 digits");
    CHECK(pin_problem("4805169", 6) == "must be exactly 6 digits");
    CHECK(pin_problem("", 6) == "must be exactly 6 digits");
}

TEST_CASE("PIN policy: one digit repeated is refused")
{
    CHECK(pin_problem("000000", 6) == "must not be one digit repeated");
    CHECK(pin_problem("777777", 6) == "must not be one digit repeated");
}

TEST_CASE("PIN policy: straight runs up, down and wrapping around are refused")
{
    for (const char* run : {"123456", "654321", "890123", "098765", "567890"}) {
        CAPTURE(run);
        CHECK(pin_problem(run, 6) == "must not be a straight run of digits");
    }
    CHECK(pin_problem("123457", 6) == "");
}
