#pragma once
// Creating a school's database and its pepper key file.

#include <filesystem>
#include <string>

#include <credenza/store/school.hpp>
#include <credenza/time.hpp>

namespace credenza::setup {

struct InitOptions
{
    store::School school;
    std::filesystem::path db_path;
    std::filesystem::path key_path;
    std::string operator_name; // who is recorded in the audit log as having made it
};

// Validates the school's data (Error(usage) naming the option), then creates the key
// file and the database, both 0600. Refuses to overwrite either (Error(cannot_create));
// on failure leaves nothing behind that it made. The school and its first audit row are dated by `clock`.
void initialise(const InitOptions& options, const Clock& clock);

// "" when valid: 11 digits whose last is the check digit (the codice fiscale of a legal entity).
std::string school_code_problem(std::string_view code);
std::string portal_url_problem(std::string_view url);
std::string domain_problem(std::string_view domain);

} // namespace credenza::setup
