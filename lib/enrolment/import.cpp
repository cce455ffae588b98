#include <credenza/enrolment/import.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <ctime>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/enrolment/fields.hpp>
#include <credenza/store/bounces.hpp>
#include <credenza/store/enrolment.hpp>
#include <credenza/time.hpp>
#include <credenza/util/text.hpp>

#include "rows.hpp"
#include "sources.hpp"
#include "tax_key.hpp"
#include "i18n/gettext.hpp"

namespace credenza::enrolment {

namespace {

using detail::GuardianRow;
using detail::ProblemList;
using detail::PupilRow;
using detail::TaxKey;
using detail::TaxKeyHash;
using store::Database;

// ascii_lower(a) == ascii_lower(b), with no lower-cased copies (they were an allocation each, per row).
bool same_address(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return util::ascii_lower(x) == util::ascii_lower(y); });
}

// Whether `address` is at `domain` or one of its subdomains.
bool at_domain(std::string_view address, std::string_view domain)
{
    const auto at = address.rfind('@');
    if (at == std::string_view::npos) {
        return false;
    }
    const std::string_view host = address.substr(at + 1);
    if (host.size() == domain.size()) {
        return same_address(host, domain);
    }
    return host.size() > domain.size() && host[host.size() - domain.size() - 1] == '.' &&
           same_address(host.substr(host.size() - domain.size()), domain);
}

// Where a row was read, kept for the whole file: which file (0: the pupils file, 1: the guardians
// file) and the line; "FILE:LINE" is written again only for a message.
struct Where
{
    std::uint32_t line = 0;
    std::uint8_t file = 0;
};

struct SeenGuardian
{
    SeenGuardian(std::string_view surname_, std::string_view name_, std::string_view email_, Where where_)
        : surname(surname_), name(name_), email(email_), where(where_)
    {
    }

    std::string surname;
    std::string name;
    std::string email;
    Where where;
};

// A person as the review and the audit name them: views into the row being applied (or into a
// waiting guardian's own copies), so that naming a person copies nothing.
struct Who
{
    std::string_view kind;
    std::string_view class_name;
    std::string_view tax_code;
    std::string_view surname;
    std::string_view name;
};

struct FieldChange
{
    std::string field;
    std::string old_value;
    std::string new_value;
    bool listed = false; // in the review already (as "cleared"): audited, but not listed again as "changed"
};

class Importer
{
public:
    Importer(Database& db, const Clock& clock, const ImportOptions& options, const credentials::Generator& generator)
        : m_db(db), m_clock(clock), m_options(options), m_generator(generator), m_file(options.file.string()),
          m_now(clock.now())
    {
        m_report.file = m_file;
        m_report.guardians_file = options.guardians_file ? options.guardians_file->string() : "";
        m_report.dry_run = options.dry_run;
        m_report.classes = options.classes;
        m_report.school_year = options.school_year.empty() ? current_school_year(clock) : options.school_year;
    }

    ImportReport run()
    {
        if (const auto reason = school_year_problem(m_report.school_year); !reason.empty()) {
            throw Error(ErrorCode::usage, credenza::i18n::format(_fmt("invalid school year '{}': {}"), m_report.school_year, reason));
        }
        ProblemList problems;
        // One pass: each row is checked and, while the file has shown no problem, applied as it is read,
        // so that memory does not grow with the file. A problem anywhere means nothing is written: the
        // transaction is rolled back, and the rest of the file is still checked for the listing.
        // New rows wait in a bounded batch and go many a statement; any other statement writes them
        // first. Made before the transaction (it sets up the connection for it) and ended after it.
        store::ImportBatch batch(m_db, m_now, [this](AccountKind kind) {
            return m_generator.user_code(kind == AccountKind::family ? credentials::AccountKind::family
                                                                     : credentials::AccountKind::student);
        });
        m_batch = &batch;
        store::Transaction transaction(m_db);
        for (const auto& [tax_code, id] : store::person_ids_by_tax_code(m_db)) {
            if (tax_code.size() <= 16) { // a longer recorded code equals no code of the file
                m_recorded_persons.emplace(TaxKey(tax_code), id);
            }
        }
        m_active_before = count_active_in_scope();
        m_families_before = store::any_active_family_account(m_db);
        const auto latest_year = store::latest_school_year(m_db);
        bool described = false;
        const auto sources =
            detail::read_sources(m_options, problems, [&](const detail::Sources& read, detail::PupilRow& row) {
                if (!described) {
                    describe(read);
                    described = true;
                }
                check_row(row, problems);
                m_file_pupils.insert(TaxKey(row.tax_code));
                if (!problems.empty()) {
                    return;
                }
                if (!m_options.classes.empty() && !m_options.classes.contains(row.class_name)) {
                    ++m_report.other_classes;
                    return;
                }
                apply(row);
            });
        describe(sources);
        m_report.rows = sources.records;
        if (problems.empty()) {
            finish_waiting_guardians();
        }
        if (!problems.empty()) {
            problems.fail(m_file);
        }
        if (m_report.rows == 0) {
            throw Error(ErrorCode::bad_input, credenza::i18n::format(_fmt("'{}' has a header but no rows: nothing to import"), m_file));
        }
        check_not_older_year(latest_year);
        mark_left();
        update_family_accounts();
        warn_shared_addresses();
        check_mass_leave();
        for (const auto& change : m_report.address_changes) {
            m_report.held += change.applied ? 0 : 1;
        }
        audit::append(m_db, m_clock, m_options.operator_name, "import", "",
                      fmt::format("file={} year={} rows={} pupils new={} changed={} unchanged={} left={} "
                                  "accounts created={} disabled={} enabled={} kept={} cleared={} held={} layout={} "
                                  "classes={}",
                                  m_options.file.filename().string(), m_report.school_year, m_report.rows,
                                  m_report.pupils.added, m_report.pupils.changed, m_report.pupils.unchanged,
                                  m_report.pupils.left, m_report.accounts_created, m_report.accounts_disabled,
                                  m_report.accounts_enabled, m_report.kept, m_report.cleared, m_report.held,
                                  layout_name(m_report.layout),
                                  m_options.classes.empty() ? "all"
                                                            : fmt::format("{}", fmt::join(m_options.classes, ","))));
        batch.flush();
        if (!m_options.dry_run) {
            transaction.commit();
        }
        return m_report;
    }

private:
    std::string where(const PupilRow& row) const { return fmt::format("{}:{}", m_file, row.line); }

    // A guardian's "FILE:LINE", as kept for the whole file and as written in a message.
    static Where where_of(const GuardianRow& guardian)
    {
        return {static_cast<std::uint32_t>(guardian.line), static_cast<std::uint8_t>(guardian.in_guardians_file)};
    }

    std::string where_text(const Where& where) const
    {
        return (where.file != 0 ? m_report.guardians_file : m_file) + ':' + std::to_string(where.line);
    }

    std::string where_text(const GuardianRow& guardian) const { return where_text(where_of(guardian)); }

    void describe(const detail::Sources& sources)
    {
        m_report.layout = sources.layout;
        m_report.layout_forced = sources.layout_forced;
        m_report.columns = sources.columns;
        m_report.ignored_columns = sources.ignored;
        m_report.delimiter = sources.delimiter;
        m_report.encoding = sources.encoding;
    }

    std::string header_of(std::string_view field) const
    {
        for (const auto& column : m_report.columns) {
            if (column.field == field && column.file == m_file) {
                return column.header;
            }
        }
        return std::string(field);
    }

    // Checks across rows, and against the school: guardians given twice must agree; a
    // student's address must be at the school's domain.
    void check_row(const PupilRow& row, ProblemList& problems)
    {
        if (row.email && !row.email->empty() && !m_options.student_domain.empty() &&
            !at_domain(*row.email, m_options.student_domain)) {
            problems.add(credenza::i18n::format(_fmt("{}: {}: '{}' is not an address of the school's domain '{}': a student's "
                                     "credentials go only to their institutional address (fix it in the register, "
                                     "or set [import] check_student_domain = false)"),
                                     where(row), header_of("student_email"), *row.email, m_options.student_domain));
        }
        for (const auto& guardian : row.guardians) {
            const std::string_view email = guardian.email ? std::string_view(*guardian.email) : std::string_view();
            const auto [found, inserted] = m_guardians_seen.try_emplace( // copies nothing when seen already
                TaxKey(guardian.tax_code), guardian.surname, guardian.name, email, where_of(guardian));
            if (inserted) {
                continue;
            }
            auto& seen = found->second;
            const auto field = guardian.position > 0 && m_report.layout == Layout::pupil_rows
                                   ? fmt::format("guardian{}", guardian.position)
                                   : std::string("guardian");
            if (seen.surname != guardian.surname || seen.name != guardian.name) {
                problems.add(credenza::i18n::format(_fmt("{}: {}_name: guardian '{}' is '{} {}' here but '{} {}' at {}"),
                                         where_text(guardian), field, guardian.tax_code, guardian.name, guardian.surname,
                                         seen.name, seen.surname, where_text(seen.where)));
            } else if (!email.empty() && !seen.email.empty() && !same_address(seen.email, email)) {
                problems.add(credenza::i18n::format(_fmt("{}: {}_email: guardian '{}' has address '{}' here but '{}' at {}"),
                                         where_text(guardian), field, guardian.tax_code, email, seen.email, where_text(seen.where)));
            } else if (seen.email.empty()) {
                seen.email = email;
            }
        }
    }

    void review(const std::string& change, const Who& who, const std::string& user_code, const FieldChange& field = {})
    {
        if (!m_options.keep_review) {
            return;
        }
        m_report.review.push_back({change, std::string(who.kind), std::string(who.class_name), user_code,
                                   std::string(who.tax_code), std::string(who.surname), std::string(who.name),
                                   field.field, field.old_value, field.new_value});
    }

    // The audit row of an account this import disabled or enabled again: when, by whom and why (a
    // fixed reason word, never a name or an address), for whoever looks the account up later.
    void audit_status(std::string_view action, const std::string& user_code, std::string_view reason)
    {
        audit::append(m_db, m_clock, m_options.operator_name, action, user_code, fmt::format("reason={}", reason));
    }

    // Lists the changes of a person and audits each one on their account: user code and field, never values.
    void record_changes(const Who& who, std::int64_t person_id, AccountKind kind,
                        const std::vector<FieldChange>& changes)
    {
        if (changes.empty()) {
            return;
        }
        const std::string user_code = store::account_user_code(m_db, person_id, kind).value_or("");
        for (const auto& change : changes) {
            if (!change.listed) {
                review("changed", who, user_code, change);
            }
            audit::append(m_db, m_clock, m_options.operator_name, "import change", user_code,
                          fmt::format("field={}", change.field));
        }
    }

    // Upserts a person; returns it as stored before (its address included) and whether it was new
    // (then only its id, and an empty address).
    // A new person is inserted with `email_if_new` (a guardian's address, so that it is written once).
    // `written_here`: this import may have inserted the person already (as a pupil, or as a guardian),
    // so that the persons recorded before it began are not all there are.
    store::Person upsert_person(const std::string& tax_code, const std::string& surname, const std::string& name,
                                bool written_here, bool& added, std::vector<FieldChange>& changes,
                                std::string_view email_if_new = {})
    {
        added = false;
        std::optional<store::Person> person;
        if (const auto recorded = m_recorded_persons.find(TaxKey(tax_code)); recorded != m_recorded_persons.end()) {
            person = store::find_person(m_db, recorded->second);
        } else if (written_here) {
            person = store::find_person_by_tax_code(m_db, tax_code);
        }
        if (person) {
            if (person->surname != surname || person->name != name) {
                store::rename_person(m_db, person->id, surname, name, m_now);
                if (person->surname != surname) {
                    changes.push_back({"surname", person->surname, surname});
                }
                if (person->name != name) {
                    changes.push_back({"name", person->name, name});
                }
            }
            return std::move(*person);
        }
        added = true;
        // Nothing was stored before: only the new id (callers read the id and the address before).
        return {m_batch->add_person(tax_code, surname, name, email_if_new), {}, {}, {}, {}};
    }

    // `added`: the person is new in this import, so has no account yet (no query to find one).
    void ensure_account(std::int64_t person_id, AccountKind kind, const Who& who, bool added)
    {
        if (const auto account = added ? std::nullopt : store::find_enrolled_account(m_db, person_id, kind)) {
            if (account->status == AccountStatus::disabled && account->disabled_by == DisabledBy::import) {
                store::enable_account_disabled_by_import(m_db, person_id, kind, m_now);
                ++m_report.accounts_enabled;
                const std::string user_code = store::account_user_code(m_db, person_id, kind).value_or("");
                review("enabled", who, user_code);
                audit_status("import enable", user_code, "pupil back");
            }
            return;
        }
        const auto generator_kind =
            kind == AccountKind::family ? credentials::AccountKind::family : credentials::AccountKind::student;
        // 40 random bits or more: a code already given is rare, and simply drawn again (by the batch).
        m_batch->add_account(person_id, kind, m_generator.user_code(generator_kind));
        ++m_report.accounts_created;
    }

    // What an address becomes: the file's, or the recorded one when the file leaves it empty
    // (cleared only with --clear-empty and a column that says so). Counts and lists kept values; a
    // clearing is counted and listed by the caller (note_cleared), once it knows whether it is held.
    // A view of `given` or `recorded`, or "".
    std::string_view merged_address(const std::optional<std::string_view>& given, const std::string& recorded,
                                    const Who& who, const std::string& user_code, const std::string& field)
    {
        const std::string_view file_value = given.value_or(std::string_view());
        if (!file_value.empty() || recorded.empty()) {
            return file_value;
        }
        if (given && m_options.clear_empty) {
            return {};
        }
        ++m_report.kept;
        review("kept", who, user_code, {field, recorded, ""}); // the file's side: empty, as in the file
        return recorded;
    }

    // A recorded address that an empty cell cleared (--clear-empty), applied: counted, and listed once.
    // Returns the change to record, marked as listed.
    FieldChange note_cleared(const Who& who, const std::string& user_code, const std::string& field,
                             const std::string& recorded)
    {
        ++m_report.cleared;
        FieldChange change{field, recorded, "", true};
        review("cleared", who, user_code, change);
        return change;
    }

    // An address change of an account that had a letter or a password waits for --accept-changes; so
    // does a recorded address cleared (--clear-empty): no recovery letter could reach the holder after it.
    // `where_`: the row, written as "FILE:LINE" only for a change listed.
    bool address_change_allowed(std::int64_t person_id, AccountKind kind, std::string_view tax_code,
                                std::string_view old_email, std::string_view new_email, const Where& where_,
                                const Who& who, const std::string& field)
    {
        if (old_email.empty()) {
            return true;
        }
        const auto user_code = store::user_code_with_credentials(m_db, person_id, kind);
        if (!user_code) {
            return true;
        }
        m_report.address_changes.push_back({*user_code, std::string(tax_code), std::string(old_email),
                                            std::string(new_email), where_text(where_),
                                            m_options.accept_changes});
        if (!m_options.accept_changes) {
            review("held", who, *user_code, {field, std::string(old_email), std::string(new_email)});
            // For `report problems` (held by the latest import); never the addresses themselves.
            audit::append(m_db, m_clock, m_options.operator_name, "import held", *user_code,
                          fmt::format("held={}", field));
        }
        return m_options.accept_changes;
    }

    bool first_cycle(const std::string& class_name) const
    {
        if (m_options.all_first_cycle) {
            return true;
        }
        return std::any_of(m_options.first_cycle_classes.begin(), m_options.first_cycle_classes.end(),
                           [&](const std::string& pattern) {
                               return pattern.ends_with('*')
                                          ? class_name.starts_with(std::string_view(pattern).substr(0, pattern.size() - 1))
                                          : class_name == pattern;
                           });
    }

    void apply(const PupilRow& row)
    {
        const Who who{"pupil", row.class_name, row.tax_code, row.surname, row.name};
        bool added = false;
        std::vector<FieldChange> changes;
        // Enrolled for the first time as a pupil, but maybe a guardian on an earlier row.
        const bool written_here = m_guardian_ids.contains(TaxKey(row.tax_code));
        const std::int64_t pupil_id = upsert_person(row.tax_code, row.surname, row.name, written_here, added, changes).id;
        bool held = false;
        apply_pupil(pupil_id, row, added, who, changes, held);

        for (const auto& guardian : row.guardians) {
            apply_guardian(guardian, row);
        }
        apply_links(pupil_id, row, who, added, changes);
        if (first_cycle(row.class_name)) {
            ++m_report.first_cycle_pupils; // their parents log in for them: no student account
            if (!added) {
                // One made before the school said so (or in a second-cycle class last year) stops
                // working, as a leaving pupil's does; it comes back if the pupil reaches the second cycle.
                const int disabled = store::disable_student_account_of_left_pupil(m_db, pupil_id, m_now);
                if (disabled > 0) {
                    m_report.accounts_disabled += disabled;
                    m_report.first_cycle_disabled += disabled;
                    const std::string user_code =
                        store::account_user_code(m_db, pupil_id, AccountKind::student).value_or("");
                    review("disabled", who, user_code);
                    audit_status("import disable", user_code, "first cycle");
                }
            }
        } else {
            ensure_account(pupil_id, AccountKind::student, who, added);
        }

        if (added) {
            ++m_report.pupils.added;
            review("new", who, "");
        } else if (!changes.empty()) {
            ++m_report.pupils.changed;
            record_changes(who, pupil_id, AccountKind::student, changes);
        } else if (held) {
            ++m_report.pupils.held;
        } else {
            ++m_report.pupils.unchanged;
        }
    }

    // `held`: set when a change of the pupil waits for --accept-changes.
    void apply_pupil(std::int64_t pupil_id, const PupilRow& row, bool added, const Who& who,
                     std::vector<FieldChange>& changes, bool& held)
    {
        // A guardian may be enrolled as a pupil for the first time: a person, but no pupil yet.
        const auto stored = added ? std::nullopt : store::find_pupil(m_db, pupil_id);
        if (!stored) {
            m_batch->add_pupil({pupil_id, row.birth_date.iso(), row.class_name, m_report.school_year,
                                row.email.value_or(""), PupilStatus::active});
            if (!added) {
                changes.push_back({"class", "", row.class_name});
            }
            return;
        }
        const std::string user_code = store::account_user_code(m_db, pupil_id, AccountKind::student).value_or("");
        store::Pupil wanted{pupil_id, row.birth_date.iso(), row.class_name, m_report.school_year,
                            std::string(merged_address(row.email ? std::optional<std::string_view>(*row.email) : std::nullopt,
                                                       stored->institutional_email, who, user_code, "student_email")),
                            PupilStatus::active};
        if (!same_address(stored->institutional_email, wanted.institutional_email) &&
            !address_change_allowed(pupil_id, AccountKind::student, row.tax_code, stored->institutional_email,
                                    wanted.institutional_email, Where{static_cast<std::uint32_t>(row.line), 0}, who,
                                    "student_email")) {
            wanted.institutional_email = stored->institutional_email;
            held = true;
        }
        const auto compare = [&](const char* field, const std::string& old_value, const std::string& new_value) {
            if (old_value != new_value) {
                changes.push_back({field, old_value, new_value});
            }
        };
        compare("birth_date", stored->birth_date, wanted.birth_date);
        compare("class", stored->class_name, wanted.class_name);
        compare("school_year", stored->school_year, wanted.school_year);
        if (!same_address(stored->institutional_email, wanted.institutional_email)) {
            if (wanted.institutional_email.empty()) { // cleared, not held
                changes.push_back(note_cleared(who, user_code, "student_email", stored->institutional_email));
            } else {
                compare("student_email", stored->institutional_email, wanted.institutional_email);
            }
        }
        if (stored->status != PupilStatus::active) {
            changes.push_back({"status", std::string(to_string(stored->status)), "active"});
        }
        if (stored->birth_date != wanted.birth_date || stored->class_name != wanted.class_name ||
            stored->school_year != wanted.school_year ||
            !same_address(stored->institutional_email, wanted.institutional_email) ||
            stored->status != PupilStatus::active) {
            store::update_pupil(m_db, wanted, m_now);
            if (!same_address(stored->institutional_email, wanted.institutional_email) &&
                !wanted.institutional_email.empty()) { // a cleared address has no letter to send again
                for (const auto& requeued : store::requeue_bounced_letters(m_db, pupil_id, m_now)) {
                    audit::append(m_db, m_clock, m_options.operator_name,
                                  fmt::format("queue {}", to_string(requeued.purpose)), requeued.user_code,
                                  fmt::format("letter={} after=bounce", requeued.letter_id));
                }
            }
        }
    }

    // A guardian as first seen in the file, recorded (the person) but not yet settled (address, account).
    struct PendingGuardian
    {
        Who who;                           // views into the row, until own() (the row is gone when it waits)
        Where where;
        std::string field;
        std::optional<std::string_view> given; // the file's address: a view into the row (or "" once it waits)
        store::Person before;              // as stored before the import
        bool added = false;
        std::string_view inserted_email;   // the address a new person was inserted with (as `given`)
        std::vector<FieldChange> changes;
        std::size_t file_index = 0;        // in m_file_guardians
        std::array<std::string, 3> owned;  // class, codice fiscale, surname and name once it waits
        std::string owned_name;

        // Copies what `who` views, to outlive the row; in place (m_waiting_guardians never moves it).
        void own()
        {
            owned = {std::string(who.class_name), std::string(who.tax_code), std::string(who.surname)};
            owned_name = who.name;
            who = {who.kind, owned[0], owned[1], owned[2], owned_name};
            // It waits only without an address: nothing more of the row to keep.
            if (given) {
                given = std::string_view();
            }
            inserted_email = {};
        }
    };

    void apply_guardian(const GuardianRow& guardian, const PupilRow& row)
    {
        const auto [applied, first_sight] = m_guardian_ids.emplace(TaxKey(guardian.tax_code), 0);
        if (!first_sight) {
            return; // a guardian of several pupils: recorded once, from the first row
        }
        const std::string field = guardian.position > 0 && m_report.layout == Layout::pupil_rows
                                      ? "guardian" + std::to_string(guardian.position) + "_email"
                                      : std::string("guardian_email");
        PendingGuardian pending{{"guardian", row.class_name, guardian.tax_code, guardian.surname, guardian.name},
                                where_of(guardian),
                                field,
                                guardian.email ? std::optional<std::string_view>(*guardian.email) : std::nullopt,
                                {},
                                false,
                                guardian.email ? std::string_view(*guardian.email) : std::string_view(),
                                {},
                                m_file_guardians.size(),
                                {},
                                {}};
        // A guardian may be enrolled as a pupil on this row or an earlier one.
        const bool written_here = m_file_pupils.contains(TaxKey(guardian.tax_code));
        pending.before = upsert_person(guardian.tax_code, guardian.surname, guardian.name, written_here, pending.added,
                                       pending.changes, pending.inserted_email);
        applied->second = pending.before.id;
        m_file_guardians.push_back({TaxKey(guardian.tax_code), "", where_of(guardian), field});
        if (pending.given.value_or(std::string_view()).empty()) {
            // A guardian of several pupils may have the address on a later row only: settled at the end.
            m_waiting_guardians.push_back(std::move(pending));
            m_waiting_guardians.back().own();
            return;
        }
        settle_guardian(pending);
    }

    void finish_waiting_guardians()
    {
        for (auto& pending : m_waiting_guardians) {
            if (const auto seen = m_guardians_seen.find(TaxKey(pending.who.tax_code));
                seen != m_guardians_seen.end() && !seen->second.email.empty()) {
                pending.given = seen->second.email;
            }
            settle_guardian(pending);
        }
        m_waiting_guardians.clear();
    }

    // The guardian's address (the file's, or the recorded one it keeps), account, review and counts.
    void settle_guardian(PendingGuardian& pending)
    {
        const Who& who = pending.who;
        const std::int64_t id = pending.before.id;
        const bool added = pending.added;
        auto& changes = pending.changes;
        const std::string user_code =
            added ? std::string() : store::account_user_code(m_db, id, AccountKind::family).value_or("");
        const std::string& old_email = pending.before.email;
        std::string_view stored_email = old_email;
        const std::string_view email = merged_address(pending.given, old_email, who, user_code, "email");
        const bool differs = !same_address(old_email, email);
        const bool allowed =
            differs && address_change_allowed(id, AccountKind::family, who.tax_code, old_email, email, pending.where, who, "email");
        if (allowed) {
            if (!added || email != pending.inserted_email) {
                store::set_person_email(m_db, id, email, m_now);
            }
            stored_email = email;
            if (!added && !email.empty()) {
                // A letter that bounced goes again, to the corrected address (a new person has no letter).
                for (const auto& requeued : store::requeue_bounced_letters(m_db, id, m_now)) {
                    audit::append(m_db, m_clock, m_options.operator_name,
                                  fmt::format("queue {}", to_string(requeued.purpose)), requeued.user_code,
                                  fmt::format("letter={} after=bounce", requeued.letter_id));
                }
                changes.push_back({"email", old_email, std::string(email)});
            } else if (!added) { // cleared, not held: no letter to send again
                changes.push_back(note_cleared(who, user_code, "email", old_email));
            }
        }
        if (stored_email.empty()) {
            // Named as the secretary phones the family: surname, name, the pupil's class (no address, no secret).
            m_report.warnings.push_back(credenza::i18n::format(
                _fmt("{}: {}: guardian {} {} ('{}', of a pupil of class {}) has no e-mail address: no letter can "
                     "reach them until the register records one"),
                where_text(pending.where), header_of(pending.field), who.surname, who.name, who.tax_code,
                who.class_name));
        }
        m_file_guardians[pending.file_index].email = stored_email;
        ensure_account(id, AccountKind::family, who, added);
        if (added) {
            ++m_report.guardians.added;
            review("new", who, "");
        } else if (!changes.empty()) {
            ++m_report.guardians.changed;
            record_changes(who, id, AccountKind::family, changes);
        } else if (differs && !allowed) {
            ++m_report.guardians.held;
        } else {
            ++m_report.guardians.unchanged;
        }
    }

    // The file's guardians of a pupil. A recorded guardian the file does not name is kept (an
    // empty cell is not a deletion) unless another guardian takes their numbered place in a
    // row per pupil, or --clear-empty says so.
    void apply_links(std::int64_t pupil_id, const PupilRow& row, const Who& who, bool added,
                     std::vector<FieldChange>& changes)
    {
        if (added) { // a new pupil has no guardian yet: the file's are its links, and no change is listed
            auto& links = m_links; // reused from one pupil to the next
            links.clear();
            for (const auto& guardian : row.guardians) {
                const std::int64_t guardian_id = m_guardian_ids.at(TaxKey(guardian.tax_code));
                if (std::none_of(links.begin(), links.end(),
                                 [&](const store::Guardianship& link) { return link.guardian_id == guardian_id; })) {
                    links.push_back({guardian_id, guardian.position});
                }
            }
            m_batch->add_guardians(pupil_id, links);
            return;
        }
        std::map<std::int64_t, int> current;
        if (!added) { // a new pupil has no guardian yet
            for (const auto& link : store::guardians_of_pupil(m_db, pupil_id)) {
                current.emplace(link.guardian_id, link.position);
            }
        }
        std::map<std::int64_t, int> wanted;
        std::map<std::int64_t, const std::string*> file_tax_codes; // the file's guardians, without a query
        std::set<int> positions;
        for (const auto& guardian : row.guardians) {
            const std::int64_t guardian_id = m_guardian_ids.at(TaxKey(guardian.tax_code));
            wanted.emplace(guardian_id, guardian.position);
            file_tax_codes.emplace(guardian_id, &guardian.tax_code);
            positions.insert(guardian.position);
        }
        for (const auto& [guardian_id, position] : current) {
            if (wanted.contains(guardian_id)) {
                continue;
            }
            const std::string tax_code = stored_person(guardian_id).tax_code;
            const bool replaced = m_report.layout == Layout::pupil_rows && positions.contains(position);
            if (replaced || m_options.clear_empty) { // no longer linked: the class their account may be disabled in
                m_unlinked_class.insert_or_assign(tax_code, std::string(who.class_name));
            }
            if (replaced) {
                changes.push_back({fmt::format("guardian{}", position), tax_code, ""});
            } else if (m_options.clear_empty) {
                ++m_report.cleared;
                FieldChange change{fmt::format("guardian{}", position), tax_code, "", true};
                review("cleared", who, "", change);
                changes.push_back(std::move(change));
            } else {
                ++m_report.kept;
                review("kept", who, "", {fmt::format("guardian{}", position), tax_code, ""});
                wanted.emplace(guardian_id, position);
            }
        }
        if (current == wanted) {
            return;
        }
        for (const auto& [guardian_id, position] : wanted) {
            if (!current.contains(guardian_id)) {
                const auto in_file = file_tax_codes.find(guardian_id);
                changes.push_back({fmt::format("guardian{}", position), "",
                                   in_file != file_tax_codes.end() ? *in_file->second : stored_person(guardian_id).tax_code});
            }
        }
        std::vector<store::Guardianship> links;
        for (const auto& [guardian_id, position] : wanted) {
            links.push_back({guardian_id, position});
        }
        if (added) {
            m_batch->add_guardians(pupil_id, links);
        } else {
            store::replace_guardians(m_db, pupil_id, links);
        }
    }

    // A person this import has written already.
    store::Person stored_person(std::int64_t id)
    {
        auto person = store::find_person(m_db, id);
        if (!person) {
            throw Error(ErrorCode::not_found, credenza::i18n::format(_fmt("no person {}"), id));
        }
        return std::move(*person);
    }

    bool in_scope(const std::string& class_name) const
    {
        return m_options.classes.empty() || m_options.classes.contains(class_name);
    }

    int count_active_in_scope()
    {
        int count = 0;
        for (const auto& pupil : store::active_pupil_codes(m_db)) {
            count += in_scope(pupil.class_name) ? 1 : 0;
        }
        return count;
    }

    // Pupils absent from the file have left: their student accounts are disabled. With
    // --classes, only pupils of those classes can leave.
    void mark_left()
    {
        // Every pupil of the file is active now: with every class in scope and no more active pupils
        // than the file has, nobody leaves, and no pupil need be read (a first import, most re-imports).
        if (m_options.classes.empty() &&
            static_cast<std::size_t>(store::count_active_pupils(m_db)) == m_file_pupils.size()) {
            return;
        }
        // Most imports send nobody away: the full rows, sorted for the review, only when some leave.
        const auto codes = store::active_pupil_codes(m_db);
        if (std::none_of(codes.begin(), codes.end(), [&](const store::ActivePupil& pupil) {
                return !m_file_pupils.contains(TaxKey(pupil.tax_code)) && in_scope(pupil.class_name);
            })) {
            return;
        }
        std::vector<store::ActivePupil> leaving;
        for (auto& pupil : store::active_pupils(m_db)) {
            if (!m_file_pupils.contains(TaxKey(pupil.tax_code)) && in_scope(pupil.class_name)) {
                leaving.push_back(std::move(pupil));
            }
        }
        for (const auto& pupil : leaving) {
            store::mark_pupil_left(m_db, pupil.person_id, m_now);
            const int disabled = store::disable_student_account_of_left_pupil(m_db, pupil.person_id, m_now);
            m_report.accounts_disabled += disabled;
            review("leaving", {"pupil", pupil.class_name, pupil.tax_code, pupil.surname, pupil.name}, pupil.user_code);
            if (disabled > 0) {
                audit_status("import disable", pupil.user_code, "pupil left");
            }
        }
        m_report.pupils.left = static_cast<int>(leaving.size());
    }

    // A family account lives while its holder has an active pupil.
    void update_family_accounts()
    {
        // Every family account this import made has an active pupil (a guardian of the file's, active,
        // pupil): only those recorded before it may have none (5% of a first import went to this query).
        if (!m_families_before) {
            return;
        }
        if (m_options.keep_review) { // the UPDATE below counts them; the names are for the review only
            for (const auto& family : store::families_without_active_pupil(m_db)) {
                // A guardian no pupil links to any more (replaced, or cleared) has no class recorded: the
                // class of the pupil whose row unlinked them, when this import did.
                std::string_view class_name = family.class_name;
                if (const auto unlinked = m_unlinked_class.find(family.tax_code);
                    class_name.empty() && unlinked != m_unlinked_class.end()) {
                    class_name = unlinked->second;
                }
                review("disabled", {"guardian", class_name, family.tax_code, family.surname, family.name},
                       family.user_code);
            }
        }
        const auto disabled_codes = store::disable_family_accounts_without_active_pupil(m_db, m_now);
        for (const auto& user_code : disabled_codes) {
            audit_status("import disable", user_code, "no active pupil");
        }
        const int disabled = static_cast<int>(disabled_codes.size());
        m_report.accounts_disabled += disabled;
        m_report.guardians.left = disabled;
    }

    // ascii_lower(address) as a key, with no lower-cased copy (views of m_file_guardians, no longer growing).
    struct FoldedHash
    {
        std::size_t operator()(std::string_view address) const noexcept
        {
            std::size_t hash = 14695981039346656037ULL; // FNV-1a
            for (const char c : address) {
                hash = (hash ^ static_cast<unsigned char>(util::ascii_lower(c))) * 1099511628211ULL;
            }
            return hash;
        }
    };
    struct FoldedEqual
    {
        bool operator()(std::string_view a, std::string_view b) const noexcept { return same_address(a, b); }
    };

    void warn_shared_addresses()
    {
        std::unordered_map<std::string_view, const FileGuardian*, FoldedHash, FoldedEqual> by_address;
        by_address.reserve(m_file_guardians.size());
        for (const auto& guardian : m_file_guardians) {
            if (guardian.email.empty()) {
                continue;
            }
            const auto [found, inserted] = by_address.emplace(guardian.email, &guardian);
            if (!inserted) {
                m_report.warnings.push_back(credenza::i18n::format(
                    _fmt("{}: {}: '{}' is also the address of guardian '{}' ({}): both letters go to one mailbox"),
                    where_text(guardian.where), header_of(guardian.field), guardian.email, found->second->tax_code.view(),
                    where_text(found->second->where)));
            }
        }
    }

    // Last year's file imported by mistake would send this year's pupils away.
    // `latest`: the newest school year in the database before this import.
    void check_not_older_year(const std::optional<std::string>& latest) const
    {
        if (latest && m_report.school_year < *latest && !m_options.confirm_mass_leave) {
            throw Error(ErrorCode::bad_input,
                        credenza::i18n::format(_fmt("'{}' is imported as school year {} but the database already holds {}"), m_file,
                                    m_report.school_year, *latest),
                        Hint::check_school_year);
        }
    }

    void check_mass_leave() const
    {
        const int left = m_report.pupils.left;
        if (!m_options.confirm_mass_leave && m_active_before >= 10 && left * 2 > m_active_before) {
            throw Error(ErrorCode::bad_input,
                        credenza::i18n::format(_fmt("'{}' would mark {} of the {} active pupils as left and disable their accounts"),
                                    m_file, left, m_active_before),
                        Hint::whole_enrolment);
        }
    }

    struct FileGuardian
    {
        TaxKey tax_code; // of the file: 16 characters
        std::string email;
        Where where;
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
    bool m_families_before = false; // whether any family account was active before this import
    store::ImportBatch* m_batch = nullptr; // run()'s, while it runs
    // Looked up once or more per row: hashed, not ordered (the profile of a 20,000-pupil import had
    // a tenth of its time in string comparisons of ordered sets).
    std::unordered_set<TaxKey, TaxKeyHash> m_file_pupils;
    std::unordered_map<TaxKey, SeenGuardian, TaxKeyHash> m_guardians_seen;
    // Every person recorded before this import, by codice fiscale: one query instead of one per row
    // (O(persons in the database) in memory, about 100 bytes each; none for a first import).
    std::unordered_map<TaxKey, std::int64_t, TaxKeyHash> m_recorded_persons;
    std::unordered_map<TaxKey, std::int64_t, TaxKeyHash> m_guardian_ids; // the file's guardians applied so far, by codice fiscale
    std::vector<FileGuardian> m_file_guardians;
    std::vector<store::Guardianship> m_links; // a new pupil's, while it is applied
    std::map<std::string, std::string> m_unlinked_class; // guardians unlinked from a pupil: codice fiscale -> class
    std::deque<PendingGuardian> m_waiting_guardians; // first seen with no address: settled at the end of the file
};

} // namespace

bool ImportReport::changes_anything() const
{
    return pupils.added + pupils.changed + pupils.left + guardians.added + guardians.changed + guardians.left +
               accounts_created + accounts_disabled + accounts_enabled + cleared >
           0;
}

ImportReport import_enrolment(store::Database& db, const Clock& clock, const ImportOptions& options,
                              const credentials::Generator& generator)
{
    return Importer(db, clock, options, generator).run();
}

std::map<std::string, std::string> parse_saved_map(std::string_view text, std::string_view where)
{
    std::map<std::string, std::string> map;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(';', start), text.size());
        const std::string entry = util::trim(text.substr(start, end - start));
        start = end + 1;
        if (entry.empty()) {
            continue;
        }
        const auto equals = entry.rfind('=');
        if (equals == std::string::npos || equals == 0 || equals + 1 == entry.size()) {
            throw Error(ErrorCode::config, credenza::i18n::format(_fmt("{}: bad entry '{}': use 'COLUMN=field; COLUMN=field'"), where,
                                                       entry));
        }
        map[util::trim(entry.substr(0, equals))] = util::trim(entry.substr(equals + 1));
    }
    return map;
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
        return _("use the form YYYY/YYYY, e.g. 2025/2026");
    }
    if (second != first + 1) {
        return _("the second year must follow the first");
    }
    if (first < 2000 || first > 2100) {
        return _("the year is out of range");
    }
    return {};
}

} // namespace credenza::enrolment
