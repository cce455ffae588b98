#pragma once
// The school a database serves, as given to `credenza init` and possibly overridden by [school].

#include <string>

#include <credenza/config/settings.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::store {

struct School
{
    std::string code;        // codice fiscale: the portal's Customer_ID
    std::string name;
    std::string portal_url;
    std::string mail_from;
    std::string domain;
    std::string key_id;      // the pepper key created with the database
};

void insert_school(Database& db, const School& school, TimePoint created_at);

// The id of the pepper key the database was made with; "" when it records none (or has no school).
std::string school_key_id(Database& db);

// The stored school with the non-empty [school] and [mail] from values of the settings on top.
School load_school(Database& db, const config::Settings& settings);

} // namespace credenza::store
