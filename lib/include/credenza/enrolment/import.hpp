#pragma once
// Importing an enrolment export, all or nothing: one row per pupil, one row per guardian, or a
// file of pupils with a file of guardians. An empty cell keeps what is recorded; risky changes
// wait for the operator; every change is listed for review and audited per account.

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <credenza/credentials/generator.hpp>
#include <credenza/enrolment/columns.hpp>
#include <credenza/enrolment/csv_reader.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::enrolment {

// At most this many problems are listed; the rest are counted.
inline constexpr std::size_t k_max_listed_problems = 100;

struct ImportOptions
{
    std::filesystem::path file;
    std::optional<std::filesystem::path> guardians_file; // the two-files layout
    Layout layout = Layout::automatic;
    std::string school_year;                       // "2025/2026"; "" = the school year of today
    bool dry_run = false;
    bool accept_changes = false;                   // apply address changes of accounts that have credentials
    bool clear_empty = false;                      // an empty cell clears the recorded value
    bool confirm_mass_leave = false;               // allow more than half of the pupils to leave at once
    std::set<std::string> classes;                 // only these classes (normalised); empty = the whole school
    std::string student_domain;                    // a student address must be there; "" = not checked
    std::map<std::string, std::string> column_map; // header -> canonical field (or "ignore")
    CsvOptions csv;
    std::string operator_name;
    // First-cycle pupils (law 182/2025 art. 51) get no student account: all of them, or those of
    // these classes (normalised names, or prefixes ending in '*').
    bool all_first_cycle = false;
    std::vector<std::string> first_cycle_classes;
    // false: ImportReport::review stays empty (a caller that never shows it saves ~300 bytes a person)
    bool keep_review = true;
};

struct Counts
{
    int added = 0;
    int changed = 0;
    int unchanged = 0;
    int left = 0;
    int held = 0; // in none of the above: a risky change waits for --accept-changes, nothing else changed
};

// An address that changed on an account that already had a letter or a password: the next
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

// One line of the review: who, and what happens to them.
struct ReviewEntry
{
    std::string change;      // new, changed, held, kept, cleared, leaving, disabled, enabled
    std::string kind;        // pupil, guardian
    std::string class_name;  // the pupil's class, or the class of the guardian's pupil
    std::string user_code;   // "" for a person the import creates (codes are made at the real import)
    std::string tax_code;
    std::string surname;
    std::string name;
    std::string field;       // for changed, held, kept and cleared: the field
    std::string old_value;
    std::string new_value;
};

// Which file column feeds which field.
struct ColumnUse
{
    std::string file;
    std::string header;
    std::string field;       // "" = ignored
};

struct ImportReport
{
    std::string file;
    std::string guardians_file;
    std::string school_year;
    Layout layout = Layout::pupil_rows;
    bool layout_forced = false;
    std::size_t rows = 0;
    Counts pupils;
    Counts guardians;     // guardians.left: guardians left with no active pupil
    int accounts_created = 0;
    int accounts_disabled = 0;
    int accounts_enabled = 0;
    int first_cycle_pupils = 0; // pupils of the file in the first cycle: no student account
    int first_cycle_disabled = 0; // of those, student accounts made earlier and now disabled
    int kept = 0;         // recorded values kept because the file left them empty
    int cleared = 0;      // recorded values cleared (--clear-empty)
    int held = 0;         // risky changes not applied (no --accept-changes)
    int other_classes = 0; // rows of classes outside --classes, not imported
    std::set<std::string> classes;
    std::vector<std::string> warnings;             // "FILE:LINE: field: reason"
    std::vector<AddressChange> address_changes;
    std::vector<std::string> ignored_columns;
    std::vector<ColumnUse> columns;
    std::vector<ReviewEntry> review;
    char delimiter = ',';
    Encoding encoding = Encoding::utf8;
    bool dry_run = false;
    std::string snapshot;  // the snapshot taken before the import, "" when none was kept

    // Whether the import wrote anything besides its own audit row.
    bool changes_anything() const;
};

// Validates every row; when any is invalid throws Error(bad_input) whose details list the
// first k_max_listed_problems problems as "FILE:LINE: column: reason" and count the rest,
// having written nothing. Otherwise applies the file in one transaction (rolled back for a
// dry run). Every time it records is read from `clock` once, at the start.
ImportReport import_enrolment(store::Database& db, const Clock& clock, const ImportOptions& options,
                              const credentials::Generator& generator);

// "2025/2026" for any day (local time) from 1 September 2025 to 31 August 2026.
std::string current_school_year(const Clock& clock);
// "" when valid, else the reason.
std::string school_year_problem(std::string_view year);

// "Data Nascita=birth_date; E-mail Genitore 1=guardian1_email" (the [import] map setting) as
// header -> field; Error(config) naming `where` for an entry without '='.
std::map<std::string, std::string> parse_saved_map(std::string_view text, std::string_view where);

} // namespace credenza::enrolment
