#pragma once
// Importing an enrolment export: one row per pupil, all or nothing.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <credenza/credentials/generator.hpp>
#include <credenza/enrolment/csv_reader.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::enrolment {

struct ImportOptions
{
    std::filesystem::path file;
    std::string school_year;                       // "2025/2026"; "" = the school year of today
    bool dry_run = false;
    bool accept_changes = false;                   // apply address changes of accounts that have credentials
    bool confirm_mass_leave = false;               // allow more than half of the pupils to leave at once
    std::map<std::string, std::string> column_map; // header -> canonical field
    CsvOptions csv;
    std::string operator_name;
};

struct Counts
{
    int added = 0;
    int changed = 0;
    int unchanged = 0;
    int left = 0;
};

// An address that changed on an account that already has credentials: the next
// recovery letter would go there, so the operator must confirm it.
struct AddressChange
{
    std::string user_code;
    std::string tax_code;
    std::string old_email;
    std::string new_email;
    std::string where;    // "FILE:LINE"
    bool applied = false;
};

struct ImportReport
{
    std::string file;
    std::string school_year;
    std::size_t rows = 0;
    Counts pupils;
    Counts guardians;     // guardians.left: guardians left with no active pupil
    int accounts_created = 0;
    int accounts_disabled = 0;
    int accounts_enabled = 0;
    std::vector<std::string> warnings;             // "FILE:LINE: field: reason"
    std::vector<AddressChange> address_changes;
    std::vector<std::string> ignored_columns;
    char delimiter = ',';
    Encoding encoding = Encoding::utf8;
    bool dry_run = false;
};

// Validates every row; when any is invalid throws Error(bad_input) whose details
// list every problem as "FILE:LINE: field: reason", having written nothing.
// Otherwise applies the file in one transaction (rolled back for a dry run).
// Every time it records is read from `clock` once, at the start.
ImportReport import_enrolment(store::Database& db, const Clock& clock, const ImportOptions& options,
                              const credentials::Generator& generator);

// "2025/2026" for any day (local time) from 1 September 2025 to 31 August 2026.
std::string current_school_year(const Clock& clock);
// "" when valid, else the reason.
std::string school_year_problem(std::string_view year);

} // namespace credenza::enrolment
