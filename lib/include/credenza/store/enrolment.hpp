#pragma once
// What an enrolment import reads and writes: persons, pupils, guardianships, the accounts
// the import creates, disables or enables again, and the school year. Callers give the
// time; the import's one transaction is theirs.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::store {

struct Person
{
    std::int64_t id = 0;
    std::string tax_code;
    std::string surname;
    std::string name;
    std::string email; // personal address recorded at enrolment (guardians); "" = none
};

std::optional<Person> find_person_by_tax_code(Database& db, std::string_view tax_code);
// Every person's id by codice fiscale, in one query.
std::unordered_map<std::string, std::int64_t> person_ids_by_tax_code(Database& db);
std::optional<Person> find_person(Database& db, std::int64_t person_id);
// Returns the new person's id. `email`: a guardian's personal address ("" for none).
std::int64_t insert_person(Database& db, const std::string& tax_code, const std::string& surname,
                           const std::string& name, const std::string& email, TimePoint now);
void rename_person(Database& db, std::int64_t person_id, std::string_view surname, std::string_view name,
                   TimePoint now);
void set_person_email(Database& db, std::int64_t person_id, std::string_view email, TimePoint now);

struct Pupil
{
    std::int64_t person_id = 0;
    std::string birth_date; // YYYY-MM-DD
    std::string class_name;
    std::string school_year; // "2025/2026"
    std::string institutional_email;
    PupilStatus status = PupilStatus::active;
};

std::optional<Pupil> find_pupil(Database& db, std::int64_t person_id);
void insert_pupil(Database& db, const Pupil& pupil, TimePoint now);
void update_pupil(Database& db, const Pupil& pupil, TimePoint now);

// The pupils enrolled now, with their codice fiscale, names, class and student user code.
struct ActivePupil
{
    std::int64_t person_id = 0;
    std::string tax_code;
    std::string surname;
    std::string name;
    std::string class_name;
    std::string user_code; // "" without a student account
};

std::vector<ActivePupil> active_pupils(Database& db);
// The same pupils with person_id, tax_code and class_name only, in no order: cheap to scan.
std::vector<ActivePupil> active_pupil_codes(Database& db);
int count_active_pupils(Database& db);
void mark_pupil_left(Database& db, std::int64_t person_id, TimePoint now);

// The newest school year of any pupil; nullopt for a database with no pupils.
std::optional<std::string> latest_school_year(Database& db);

struct Guardianship
{
    std::int64_t guardian_id = 0;
    int position = 0; // 1 for "Genitore 1", 2 for "Genitore 2"
    auto operator<=>(const Guardianship&) const = default;
};

// A pupil's guardians, ordered by guardian id.
std::vector<Guardianship> guardians_of_pupil(Database& db, std::int64_t pupil_id);
void replace_guardians(Database& db, std::int64_t pupil_id, const std::vector<Guardianship>& guardians);
// The guardians of a pupil that has none yet (a new pupil): replace_guardians without the delete.
void insert_guardians(Database& db, std::int64_t pupil_id, const std::vector<Guardianship>& guardians);

// The account of a person of a kind, as the import sees it.
struct EnrolledAccount
{
    AccountStatus status = AccountStatus::active;
    DisabledBy disabled_by = DisabledBy::none;
};

std::optional<EnrolledAccount> find_enrolled_account(Database& db, std::int64_t person_id, AccountKind kind);
// False, and nothing written, when another account has `user_code` (draw another): the unique index
// answers, with no query before the insert.
bool create_enrolled_account(Database& db, std::int64_t person_id, AccountKind kind, const std::string& user_code,
                             TimePoint now);

// The user code of a person's family account when it has credentials already (a password,
// or any letter): an address change there needs the operator's confirmation.
std::optional<std::string> family_user_code_with_credentials(Database& db, std::int64_t person_id);
// The same for an account of any kind.
std::optional<std::string> user_code_with_credentials(Database& db, std::int64_t person_id, AccountKind kind);
// The user code of a person's account of a kind, nullopt without one.
std::optional<std::string> account_user_code(Database& db, std::int64_t person_id, AccountKind kind);

// An account the import disabled, active again.
void enable_account_disabled_by_import(Database& db, std::int64_t person_id, AccountKind kind, TimePoint now);
// The student account of a pupil who left; returns how many were disabled (0 or 1).
int disable_student_account_of_left_pupil(Database& db, std::int64_t person_id, TimePoint now);
// Whether any family account is active (none: no family can be left without a pupil).
bool any_active_family_account(Database& db);
// Family accounts whose holder has no active pupil any more; returns the user codes of those
// disabled (for their audit rows), sorted.
std::vector<std::string> disable_family_accounts_without_active_pupil(Database& db, TimePoint now);

// The active family accounts whose holder has no active pupil any more (the next
// disable_family_accounts_without_active_pupil disables them), by surname and name.
struct FamilyWithoutPupil
{
    std::string user_code;
    std::string tax_code;
    std::string surname;
    std::string name;
    std::string class_name; // of the last pupil they had (the highest class), "" for none
};
std::vector<FamilyWithoutPupil> families_without_active_pupil(Database& db);

// The rows a new import writes (persons, pupils, their guardians' links, accounts), held back and
// inserted many a statement (`INSERT ... VALUES (...), (...), ...`) instead of one statement per row,
// which was 1.4x the whole storage floor of an import on its own (issue 17). A bounded batch:
// every table is written, in the order its foreign keys need, when `k_batch_rows` persons wait,
// at flush(), and before any other statement runs on the connection (a query, an update, an audit
// row), so that everything the import reads or writes otherwise sees the rows it added already.
// Persons get their ids here (one more than the largest, read at the first person: the import's
// transaction is the only writer), so that their pupils, links and accounts can wait with them.
// Rows are added only inside the import's write transaction, and rows not flushed are dropped with
// it when it rolls back. Made before that transaction begins, the batch also keeps SQLite's
// temporary files in memory while it lives (PRAGMA temp_store; see enrolment_batch.cpp).
class ImportBatch
{
public:
    static constexpr std::size_t k_batch_rows = 256;
    // `draw_user_code`: another user code of a kind, for an account whose code is taken.
    ImportBatch(Database& db, TimePoint now, std::function<std::string(AccountKind)> draw_user_code);
    ImportBatch(const ImportBatch&) = delete;
    ImportBatch& operator=(const ImportBatch&) = delete;
    ~ImportBatch();

    // insert_person: returns the id the person will have.
    // The texts are copied into the batch (one buffer for them all, not a string each), and must hold
    // no NUL byte (written up to it; the import's texts are checked: no control character passes).
    std::int64_t add_person(std::string_view tax_code, std::string_view surname, std::string_view name,
                            std::string_view email);
    void add_pupil(Pupil pupil); // insert_pupil
    void add_guardians(std::int64_t pupil_id, const std::vector<Guardianship>& guardians); // insert_guardians
    // create_enrolled_account, with the code drawn again while it is taken.
    void add_account(std::int64_t person_id, AccountKind kind, std::string user_code);
    // Writes every row held back.
    void flush();

private:
    struct Rows;
    void flush_if_full();
    Database& m_db;
    std::function<std::string(AccountKind)> m_draw_user_code;
    std::unique_ptr<Rows> m_rows;
    std::int64_t m_next_person_id = 0; // 0: not read yet
    int m_temp_store_before = -1;      // to restore; -1: not changed
    bool m_flushing = false;
};

} // namespace credenza::store
