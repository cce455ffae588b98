#include <credenza/enrolment/import.hpp>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/enrolment/fields.hpp>
#include <credenza/store/enrolment.hpp>
#include <credenza/util/text.hpp>
#include <credenza/time.hpp>

#include "rows.hpp"

namespace credenza::enrolment {

namespace {

using detail::GuardianRow;
using detail::PupilRow;
using store::Database;

bool same_address(std::string_view a, std::string_view b)
{
    return util::ascii_lower(a) == util::ascii_lower(b);
}

struct SeenGuardian
{
    std::string surname;
    std::string name;
    std::string email;
    std::string where;
};

class Importer
{
public:
    Importer(Database& db, const Clock& clock, const ImportOptions& options, const credentials::Generator& generator)
        : m_db(db), m_clock(clock), m_options(options), m_generator(generator), m_file(options.file.string()), m_now(clock.now())
    {
        m_report.file = m_file;
        m_report.dry_run = options.dry_run;
        m_report.school_year = options.school_year.empty() ? current_school_year(clock) : options.school_year;
    }

    ImportReport run()
    {
        if (const auto reason = school_year_problem(m_report.school_year); !reason.empty()) {
            throw Error(ErrorCode::usage, fmt::format("invalid school year '{}': {}", m_report.school_year, reason));
        }
        CsvReader reader(m_options.file, m_options.csv);
        CsvRecord record;
        std::vector<std::string> problems;
        if (!reader.next(record)) {
            throw Error(ErrorCode::bad_input, fmt::format("'{}' is empty: expected a header row", m_file));
        }
        std::vector<std::string> header_problems;
        const ColumnMap columns = map_columns(record.fields, m_options.column_map, header_problems);
        for (const auto& problem : header_problems) {
            problems.push_back(fmt::format("{}:{}: {}", m_file, record.line, problem));
        }
        if (!problems.empty()) {
            fail(problems);
        }
        m_report.delimiter = reader.delimiter();
        m_report.encoding = reader.encoding();
        m_report.ignored_columns = columns.ignored;

        store::Transaction transaction(m_db);
        m_active_before = store::count_active_pupils(m_db);
        check_not_older_year();
        PupilRow row;
        while (reader.next(record)) {
            // Spreadsheets save rows that were merely formatted as ";;;;": they hold nothing.
            if (std::all_of(record.fields.begin(), record.fields.end(),
                            [](const std::string& field) { return util::trim(field).empty(); })) {
                continue;
            }
            ++m_report.rows;
            const bool valid = detail::read_row(record, columns, m_file, row, problems);
            if (valid) {
                check_across_rows(row, problems);
            }
            // Once any row is bad nothing will be committed: keep validating, stop writing.
            if (problems.empty()) {
                apply(row);
            }
        }
        if (!problems.empty()) {
            fail(problems);
        }
        if (m_report.rows == 0) {
            throw Error(ErrorCode::bad_input, fmt::format("'{}' has a header but no rows: nothing to import", m_file));
        }
        mark_left();
        update_family_accounts();
        warn_shared_addresses();
        check_mass_leave();
        audit::append(m_db, m_clock, m_options.operator_name, "import", "",
                      fmt::format("file={} year={} rows={} pupils new={} changed={} unchanged={} left={} "
                                  "accounts created={} disabled={} enabled={}",
                                  m_options.file.filename().string(), m_report.school_year, m_report.rows,
                                  m_report.pupils.added, m_report.pupils.changed, m_report.pupils.unchanged,
                                  m_report.pupils.left, m_report.accounts_created, m_report.accounts_disabled,
                                  m_report.accounts_enabled));
        if (!m_options.dry_run) {
            transaction.commit();
        }
        return m_report;
    }

private:
    [[noreturn]] void fail(const std::vector<std::string>& problems) const
    {
        throw Error(ErrorCode::bad_input,
                    fmt::format("'{}' has {} {}: nothing was imported", m_file, problems.size(),
                                problems.size() == 1 ? "error" : "errors"),
                    problems);
    }

    std::string where(const PupilRow& row) const { return fmt::format("{}:{}", m_file, row.line); }

    void check_across_rows(const PupilRow& row, std::vector<std::string>& problems)
    {
        if (const auto [found, inserted] = m_pupil_lines.emplace(row.tax_code, row.line); !inserted) {
            problems.push_back(fmt::format("{}: student_tax_code: pupil '{}' already appears on line {}", where(row),
                                           row.tax_code, found->second));
        }
        for (const auto& guardian : row.guardians) {
            const auto [found, inserted] = m_guardians_seen.emplace(
                guardian.tax_code, SeenGuardian{guardian.surname, guardian.name, guardian.email, where(row)});
            if (inserted) {
                continue;
            }
            const auto& seen = found->second;
            const auto field = fmt::format("guardian{}", guardian.position);
            if (seen.surname != guardian.surname || seen.name != guardian.name) {
                problems.push_back(fmt::format("{}: {}_name: guardian '{}' is '{} {}' here but '{} {}' at {}",
                                               where(row), field, guardian.tax_code, guardian.name,
                                               guardian.surname, seen.name, seen.surname, seen.where));
            } else if (!same_address(seen.email, guardian.email)) {
                problems.push_back(fmt::format("{}: {}_email: guardian '{}' has address '{}' here but '{}' at {}",
                                               where(row), field, guardian.tax_code, guardian.email, seen.email,
                                               seen.where));
            }
        }
    }

    // Upserts a person; returns its id and whether it was new or changed.
    std::int64_t upsert_person(const std::string& tax_code, const std::string& surname, const std::string& name,
                               bool& added, bool& changed)
    {
        added = changed = false;
        if (const auto person = store::find_person_by_tax_code(m_db, tax_code)) {
            if (person->surname != surname || person->name != name) {
                store::rename_person(m_db, person->id, surname, name, m_now);
                changed = true;
            }
            return person->id;
        }
        added = true;
        return store::insert_person(m_db, tax_code, surname, name, m_now);
    }

    void ensure_account(std::int64_t person_id, AccountKind kind)
    {
        if (const auto account = store::find_enrolled_account(m_db, person_id, kind)) {
            if (account->status == AccountStatus::disabled && account->disabled_by == DisabledBy::import) {
                store::enable_account_disabled_by_import(m_db, person_id, kind, m_now);
                ++m_report.accounts_enabled;
            }
            return;
        }
        const auto generator_kind =
            kind == AccountKind::family ? credentials::AccountKind::family : credentials::AccountKind::student;
        std::string code;
        do {
            code = m_generator.user_code(generator_kind);
        } while (store::user_code_in_use(m_db, code));
        store::create_enrolled_account(m_db, person_id, kind, code, m_now);
        ++m_report.accounts_created;
    }

    void apply(const PupilRow& row)
    {
        bool added = false;
        bool changed = false;
        const std::int64_t pupil_id = upsert_person(row.tax_code, row.surname, row.name, added, changed);
        changed = apply_pupil(pupil_id, row, added) || changed;

        for (const auto& guardian : row.guardians) {
            apply_guardian(guardian, row);
        }
        changed = apply_links(pupil_id, row) || changed;
        ensure_account(pupil_id, AccountKind::student);

        if (added) {
            ++m_report.pupils.added;
        } else if (changed) {
            ++m_report.pupils.changed;
        } else {
            ++m_report.pupils.unchanged;
        }
    }

    bool apply_pupil(std::int64_t pupil_id, const PupilRow& row, bool added)
    {
        const store::Pupil wanted{pupil_id,  row.birth_date.iso(), row.class_name, m_report.school_year,
                                  row.email, PupilStatus::active};
        // A guardian may be enrolled as a pupil for the first time: a person, but no pupil yet.
        const auto stored = added ? std::nullopt : store::find_pupil(m_db, pupil_id);
        if (!stored) {
            store::insert_pupil(m_db, wanted, m_now);
            return true;
        }
        const bool same = stored->birth_date == wanted.birth_date && stored->class_name == wanted.class_name &&
                          stored->school_year == wanted.school_year &&
                          same_address(stored->institutional_email, wanted.institutional_email) &&
                          stored->status == PupilStatus::active;
        if (same) {
            return false;
        }
        store::update_pupil(m_db, wanted, m_now);
        return true;
    }

    void apply_guardian(const GuardianRow& guardian, const PupilRow& row)
    {
        bool added = false;
        bool changed = false;
        const std::int64_t id = upsert_person(guardian.tax_code, guardian.surname, guardian.name, added, changed);
        const bool first_sight = m_guardians_applied.insert(guardian.tax_code).second;
        const auto field = fmt::format("guardian{}_email", guardian.position);
        if (first_sight && guardian.email.empty()) {
            m_report.warnings.push_back(fmt::format("{}: {}: guardian '{}' has no e-mail address: no letter can reach "
                                                    "them until the register records one",
                                                    where(row), field, guardian.tax_code));
        }
        const std::string old_email = stored_person(id).email;
        if (!same_address(old_email, guardian.email)) {
            const auto user_code = store::family_user_code_with_credentials(m_db, id);
            bool apply_it = true;
            if (user_code && !old_email.empty()) {
                apply_it = m_options.accept_changes;
                m_report.address_changes.push_back(
                    {*user_code, guardian.tax_code, old_email, guardian.email, where(row), apply_it});
            }
            if (apply_it) {
                store::set_person_email(m_db, id, guardian.email, m_now);
                changed = true;
            }
        }
        if (first_sight) {
            m_file_guardians.push_back({guardian.tax_code, guardian.email, where(row), field});
            if (added) {
                ++m_report.guardians.added;
            } else if (changed) {
                ++m_report.guardians.changed;
            } else {
                ++m_report.guardians.unchanged;
            }
        }
        ensure_account(id, AccountKind::family);
    }

    bool apply_links(std::int64_t pupil_id, const PupilRow& row)
    {
        std::map<std::int64_t, int> current;
        for (const auto& link : store::guardians_of_pupil(m_db, pupil_id)) {
            current.emplace(link.guardian_id, link.position);
        }
        std::map<std::int64_t, int> wanted;
        for (const auto& guardian : row.guardians) {
            wanted.emplace(stored_person(guardian.tax_code).id, guardian.position);
        }
        if (current == wanted) {
            return false;
        }
        std::vector<store::Guardianship> links;
        for (const auto& [guardian_id, position] : wanted) {
            links.push_back({guardian_id, position});
        }
        store::replace_guardians(m_db, pupil_id, links);
        return true;
    }

    // A person this import has written already.
    store::Person stored_person(std::int64_t id)
    {
        auto person = store::find_person(m_db, id);
        if (!person) {
            throw Error(ErrorCode::not_found, fmt::format("no person {}", id));
        }
        return std::move(*person);
    }

    store::Person stored_person(const std::string& tax_code)
    {
        auto person = store::find_person_by_tax_code(m_db, tax_code);
        if (!person) {
            throw Error(ErrorCode::not_found, fmt::format("no person '{}'", tax_code));
        }
        return std::move(*person);
    }

    // Pupils absent from the file have left: their student accounts are disabled.
    void mark_left()
    {
        std::vector<std::int64_t> leaving;
        for (const auto& pupil : store::active_pupils(m_db)) {
            if (!m_pupil_lines.contains(pupil.tax_code)) {
                leaving.push_back(pupil.person_id);
            }
        }
        for (const auto id : leaving) {
            store::mark_pupil_left(m_db, id, m_now);
            m_report.accounts_disabled += store::disable_student_account_of_left_pupil(m_db, id, m_now);
        }
        m_report.pupils.left = static_cast<int>(leaving.size());
    }

    // A family account lives while its holder has an active pupil.
    void update_family_accounts()
    {
        const int disabled = store::disable_family_accounts_without_active_pupil(m_db, m_now);
        m_report.accounts_disabled += disabled;
        m_report.guardians.left = disabled;
    }

    void warn_shared_addresses()
    {
        std::map<std::string, const FileGuardian*> by_address;
        for (const auto& guardian : m_file_guardians) {
            if (guardian.email.empty()) {
                continue;
            }
            const auto [found, inserted] = by_address.emplace(util::ascii_lower(guardian.email), &guardian);
            if (!inserted) {
                m_report.warnings.push_back(fmt::format(
                    "{}: {}: '{}' is also the address of guardian '{}' ({}): both letters go to one mailbox",
                    guardian.where, guardian.field, guardian.email, found->second->tax_code, found->second->where));
            }
        }
    }

    // Last year's file imported by mistake would send this year's pupils away.
    void check_not_older_year()
    {
        const auto latest = store::latest_school_year(m_db);
        if (latest && m_report.school_year < *latest && !m_options.confirm_mass_leave) {
            throw Error(ErrorCode::bad_input,
                        fmt::format("'{}' is imported as school year {} but the database already holds {}", m_file,
                                    m_report.school_year, *latest),
                        Hint::check_school_year);
        }
    }

    void check_mass_leave() const
    {
        const int left = m_report.pupils.left;
        if (!m_options.confirm_mass_leave && m_active_before >= 10 && left * 2 > m_active_before) {
            throw Error(ErrorCode::bad_input,
                        fmt::format("'{}' would mark {} of the {} active pupils as left and disable their accounts",
                                    m_file, left, m_active_before),
                        Hint::whole_enrolment);
        }
    }

    struct FileGuardian
    {
        std::string tax_code;
        std::string email;
        std::string where;
        std::string field;
    };

    Database& m_db;
    const Clock& m_clock;
    const ImportOptions& m_options;
    const credentials::Generator& m_generator;
    std::string m_file;
    TimePoint m_now;
    ImportReport m_report;
    int m_active_before = 0;
    std::map<std::string, std::size_t> m_pupil_lines;
    std::map<std::string, SeenGuardian> m_guardians_seen;
    std::set<std::string> m_guardians_applied;
    std::vector<FileGuardian> m_file_guardians;
};

} // namespace

ImportReport import_enrolment(store::Database& db, const Clock& clock, const ImportOptions& options,
                              const credentials::Generator& generator)
{
    return Importer(db, clock, options, generator).run();
}

std::string current_school_year(const Clock& clock)
{
    // The local calendar date, as the secretariat's own calendar reads it.
    const std::time_t now = std::chrono::system_clock::to_time_t(clock.now());
    std::tm local{};
    localtime_r(&now, &local);
    const int year = local.tm_year + 1900;
    const int start = local.tm_mon + 1 >= 9 ? year : year - 1;
    return fmt::format("{}/{}", start, start + 1);
}

std::string school_year_problem(std::string_view year)
{
    int first = 0;
    int second = 0;
    char slash = 0;
    if (year.size() != 9 || std::sscanf(std::string(year).c_str(), "%4d%c%4d", &first, &slash, &second) != 3 ||
        slash != '/') {
        return "use the form YYYY/YYYY, e.g. 2025/2026";
    }
    if (second != first + 1) {
        return "the second year must follow the first";
    }
    if (first < 2000 || first > 2100) {
        return "the year is out of range";
    }
    return {};
}

} // namespace credenza::enrolment
