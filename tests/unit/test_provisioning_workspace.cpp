#include <doctest/doctest.h>

#include <sstream>

#include <credenza/credentials/generator.hpp>
#include <credenza/provisioning/workspace.hpp>

using namespace credenza;

namespace {

std::vector<std::string> lines_of(std::string_view text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find("\r\n", start);
        REQUIRE(end != std::string_view::npos);
        lines.emplace_back(text.substr(start, end - start));
        start = end + 2;
    }
    return lines;
}

std::vector<std::string> fields_of(const std::string& line)
{
    std::vector<std::string> fields(1);
    for (const char c : line) {
        if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

provisioning::Proposal proposal(std::string name, std::string surname, std::string class_name, std::string address)
{
    provisioning::Proposal p;
    p.name = std::move(name);
    p.surname = std::move(surname);
    p.class_name = std::move(class_name);
    p.address = std::move(address);
    return p;
}

} // namespace

TEST_CASE("provisioning workspace: Google's header, then a row per pupil with a fresh password and TRUE")
{
    const credentials::Generator generator;
    const auto csv = provisioning::workspace_csv({proposal("Martina", "Greco", "1B", "martina.greco@s.it"),
                                                  proposal("Niccolò", "Fontana", "1B", "niccolo.fontana@s.it")},
                                                 generator);
    const auto lines = lines_of(csv.view());
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],"
                      "Org Unit Path [Required],Change Password at Next Sign-In");
    const auto first = fields_of(lines[1]);
    REQUIRE(first.size() == 6);
    CHECK(first[0] == "Martina");
    CHECK(first[1] == "Greco");
    CHECK(first[2] == "martina.greco@s.it");
    CHECK(first[3].size() == 12);
    CHECK(first[3].find_first_not_of(credentials::k_password_alphabet) == std::string::npos);
    CHECK(first[4] == "/Studenti/1B");
    CHECK(first[5] == "TRUE");
    const auto second = fields_of(lines[2]);
    CHECK(second[0] == "Niccolò");
    CHECK(second[3] != first[3]);
}

TEST_CASE("provisioning workspace: a name with a comma or a quote is quoted, and the org unit root is settable")
{
    const credentials::Generator generator;
    provisioning::WorkspaceOptions options;
    options.org_unit_root = "/Students";
    const auto csv = provisioning::workspace_csv({proposal("Anna, Maria", "O\"Hara", "2A", "annamaria.ohara@s.it")},
                                                 generator, options);
    const auto lines = lines_of(csv.view());
    REQUIRE(lines.size() == 2);
    CHECK(lines[1].starts_with("\"Anna, Maria\",\"O\"\"Hara\",annamaria.ohara@s.it,"));
    CHECK(lines[1].ends_with(",/Students/2A,TRUE"));
}

TEST_CASE("provisioning workspace: no proposals gives the header alone")
{
    const auto csv = provisioning::workspace_csv({}, credentials::Generator());
    CHECK(lines_of(csv.view()).size() == 1);
}
