#pragma once
// The pupils' institutional addresses, as the provisioning of Google Workspace reads and records them.

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::store {

// An active pupil who has no institutional address yet.
struct PupilWithoutAddress
{
    std::int64_t person_id = 0;
    std::string user_code; // of the student account, "" when there is none
    std::string tax_code;
    std::string surname;
    std::string name;
    std::string class_name;
};

// By class, surname, name, codice fiscale.
std::vector<PupilWithoutAddress> active_pupils_without_address(Database& db);

// Every institutional address any pupil holds, in lower case.
std::set<std::string> institutional_addresses_in_use(Database& db);

// Records `address` for the pupil unless they have one already.
void set_institutional_address(Database& db, std::int64_t person_id, std::string_view address, TimePoint now);

} // namespace credenza::store
