#include <credenza/mail/address.hpp>

#include <doctest/doctest.h>

using credenza::mail::parse_sender;

TEST_CASE("mail address: a bare address, or one in angle brackets, has no display name")
{
    auto parsed = parse_sender("segreteria@itisvallauri.edu.it");
    CHECK(parsed.problem.empty());
    CHECK(parsed.address.email == "segreteria@itisvallauri.edu.it");
    CHECK(parsed.address.name.empty());
    parsed = parse_sender(" <segreteria@itisvallauri.edu.it> ");
    CHECK(parsed.problem.empty());
    CHECK(parsed.address.email == "segreteria@itisvallauri.edu.it");
}

TEST_CASE("mail address: a display name, quoted or not, in UTF-8 too, is kept apart from the address")
{
    auto parsed = parse_sender("Segreteria ITIS Vallauri <segreteria@itisvallauri.edu.it>");
    CHECK(parsed.problem.empty());
    CHECK(parsed.address.name == "Segreteria ITIS Vallauri");
    CHECK(parsed.address.email == "segreteria@itisvallauri.edu.it");
    parsed = parse_sender("\"Segreteria «Vallauri» – Cuneo\" <segreteria@itisvallauri.edu.it>");
    CHECK(parsed.problem.empty());
    CHECK(parsed.address.name == "Segreteria «Vallauri» – Cuneo");
}

TEST_CASE("mail address: malformed senders are refused without echoing them")
{
    for (const char* bad : {"", "Segreteria <segreteria@>", "Segreteria segreteria@itisvallauri.edu.it>",
                            "Segreteria <segreteria@itisvallauri.edu.it", "Se<g> <segreteria@itisvallauri.edu.it>",
                            "Segreteria\r\nBcc: x@y.it <segreteria@itisvallauri.edu.it>", "segreteria",
                            "\xff <segreteria@itisvallauri.edu.it>"}) {
        CAPTURE(bad);
        const auto parsed = parse_sender(bad);
        CHECK(!parsed.problem.empty());
        CHECK(parsed.address.email.empty());
        if (*bad != '\0') {
            CHECK(parsed.problem.find(bad) == std::string::npos);
        }
    }
}
