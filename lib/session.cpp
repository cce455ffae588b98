#include <credenza/session.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <credenza/accounts/hash_turn.hpp>
#include <credenza/audit/log.hpp>
#include <credenza/credentials/database_key.hpp>
#include <credenza/credentials/generator.hpp>
#include <credenza/credentials/key_ring.hpp>
#include <credenza/store/schema.hpp>
#include <credenza/store/school.hpp>
#include <credenza/dispatch/transports.hpp>
#include <credenza/enrolment/fields.hpp>
#include <credenza/provisioning/workspace.hpp>
#include <credenza/setup/check.hpp>
#include <credenza/store/audit.hpp>
#include <credenza/store/database.hpp>
#include <credenza/store/snapshots.hpp>
#include <credenza/time.hpp>
#include <credenza/util/files.hpp>
#include "i18n/gettext.hpp"

namespace credenza {

struct Session::State
{
    config::Settings settings;
    std::filesystem::path database_path;
    std::string operator_name;
    const Clock* clock = nullptr;
    store::Database database;
    int version_before = 0; // the file's schema version before this open upgraded it
    std::optional<credentials::KeyRing> keys; // loaded by the first operation that hashes
    std::optional<credentials::Hasher> hasher;
    std::optional<store::School> school;

    State(SessionOptions options, std::filesystem::path path)
        : settings(std::move(options.settings)), database_path(std::move(path)),
          operator_name(std::move(options.operator_name)),
          clock(options.clock != nullptr ? options.clock : &system_clock()),
          database(store::Database::open(database_path)), version_before(database.version_at_open())
    {
    }
};

namespace {

credentials::GeneratorSettings generator_settings_of(const config::Settings& settings)
{
    credentials::GeneratorSettings generator;
    generator.password_length = static_cast<std::size_t>(settings.credentials.password_length);
    generator.pin_length = static_cast<std::size_t>(settings.credentials.pin_length);
    generator.user_code_format = settings.credentials.user_code_format;
    return generator;
}

// [school] cycle and first_cycle_classes into an import's options.
void set_school_cycle(const config::SchoolSettings& school, enrolment::ImportOptions& options)
{
    options.all_first_cycle = school.cycle == "primo";
    if (school.cycle != "both") {
        return;
    }
    std::string word;
    const auto flush = [&] {
        if (!word.empty()) {
            const bool prefix = word.ends_with('*');
            const auto name = enrolment::normalise_class(prefix ? word.substr(0, word.size() - 1) : word);
            options.first_cycle_classes.push_back(prefix ? name + "*" : name);
            word.clear();
        }
    };
    for (const char c : school.first_cycle_classes + " ") {
        if (c == ' ' || c == ',' || c == '\t') {
            flush();
        } else {
            word += c;
        }
    }
    if (options.first_cycle_classes.empty()) {
        throw Error(ErrorCode::config, _("[school] cycle is 'both' but first_cycle_classes names no class: list the "
                                       "first-cycle classes (e.g. 'first_cycle_classes = 1A 2A 3A' or 'P*'), or set "
                                       "cycle to 'primo' or 'secondo'"));
    }
}

} // namespace

std::filesystem::path database_path(const config::Settings& settings, const std::filesystem::path& given)
{
    if (!given.empty()) {
        return given;
    }
    return settings.db.empty() ? std::filesystem::path("credenza.db") : std::filesystem::path(settings.db);
}

std::filesystem::path key_path(const config::Settings& settings, const std::filesystem::path& database)
{
    const auto& configured = settings.credentials.key_file;
    return configured.empty() ? std::filesystem::path(database.string() + ".key") : std::filesystem::path(configured);
}

Session Session::open(SessionOptions options)
{
    if (options.operator_name.empty()) {
        throw Error(ErrorCode::usage, _("a session needs the name of its operator for the audit log"));
    }
    auto path = credenza::database_path(options.settings, options.database);
    Session session(std::make_unique<State>(std::move(options), std::move(path)));
    session.load_audit_key();
    return session;
}

void Session::load_audit_key()
{
    // The audit chain is keyed from the key file. A session that cannot read it may still list
    // and report; a command that writes then says what is missing (audit/log.hpp), and one
    // that hashes says it as before.
    try {
        m_state->keys = credentials::KeyRing::load(key_path());
        credentials::require_database_key(m_state->database, *m_state->keys, key_path());
    } catch (const Error&) {
        m_state->keys.reset();
        return;
    }
    const std::string key_id = store::school_key_id(m_state->database);
    auto& db = m_state->database;
    db.set_audit_key(audit::derive_key(*m_state->keys, key_id.empty() ? m_state->keys->current_id() : key_id));
    // The unkeyed log of a database this very open upgraded from schema 1 is sealed now. Never
    // later: an unkeyed tail found afterwards was rewritten by someone without the key file, and
    // sealing it would hide that (audit verify reports it; writing stops with Error(config)).
    if (m_state->version_before < 2) {
        store::Transaction transaction(db);
        if (audit::seal(db, clock(), m_state->operator_name)) {
            transaction.commit();
        }
    }
}

Session::Session(std::unique_ptr<State> state) : m_state(std::move(state)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

const config::Settings& Session::settings() const
{
    return m_state->settings;
}

const Clock& Session::clock() const
{
    return *m_state->clock;
}

const std::string& Session::operator_name() const
{
    return m_state->operator_name;
}

const std::filesystem::path& Session::database_path() const
{
    return m_state->database_path;
}

std::filesystem::path Session::key_path() const
{
    return credenza::key_path(m_state->settings, m_state->database_path);
}

LoginMethod Session::family_login() const
{
    return m_state->settings.policy.family_login == "spid_cie" ? LoginMethod::spid_cie : LoginMethod::password;
}

const store::School& Session::school()
{
    if (!m_state->school) {
        m_state->school = store::load_school(m_state->database, m_state->settings);
    }
    return *m_state->school;
}

store::Database& Session::database()
{
    return m_state->database;
}

namespace {

// verify, passwd and pin each run Argon2id, one process per login in a front end: their turns
// bound the memory. send is one process whose --jobs threads bound it, and takes no turn.
accounts::HashTurn hash_turn(const config::Settings& settings, const std::filesystem::path& database)
{
    return accounts::HashTurn(database, accounts::parallel_hashes_or_cores(settings.credentials.parallel_hashes),
                              std::chrono::seconds(settings.credentials.hash_wait_seconds));
}

} // namespace

const credentials::Hasher& Session::hasher()
{
    if (!m_state->hasher) {
        if (!m_state->keys) {
            m_state->keys = credentials::KeyRing::load(key_path());
        }
        // A key file from another school, or a lost rotation, would make every login fail quietly.
        credentials::require_database_key(m_state->database, *m_state->keys, key_path());
        const auto& credentials_settings = m_state->settings.credentials;
        m_state->hasher.emplace(*m_state->keys, credentials::KdfCost::from_settings(
                                                    credentials_settings.kdf_memlimit_mib, credentials_settings.kdf_opslimit));
    }
    return *m_state->hasher;
}

namespace {

std::filesystem::path snapshot_directory(const config::Settings& settings, const std::filesystem::path& database)
{
    if (!settings.import.snapshot_dir.empty()) {
        return settings.import.snapshot_dir;
    }
    const auto parent = database.parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
}

} // namespace

enrolment::ImportReport Session::import_enrolment(enrolment::ImportOptions options)
{
    const auto& settings = m_state->settings.import;
    options.operator_name = m_state->operator_name;
    // The saved mapping of the school's register; a --map of the command line wins over it.
    for (auto& [column, field] : enrolment::parse_saved_map(settings.map, "[import] map")) {
        options.column_map.emplace(column, field);
    }
    if (options.layout == enrolment::Layout::automatic && !options.guardians_file) {
        options.layout = enrolment::parse_layout(settings.layout).value_or(enrolment::Layout::automatic);
    }
    if (settings.check_student_domain) {
        options.student_domain = school().domain;
    }
    set_school_cycle(m_state->settings.school, options);
    const credentials::Generator generator(generator_settings_of(m_state->settings));
    if (options.dry_run) {
        return enrolment::import_enrolment(m_state->database, clock(), options, generator);
    }
    const auto directory = snapshot_directory(m_state->settings, m_state->database_path);
    std::error_code made;
    if (std::filesystem::create_directories(directory, made)) {
        std::filesystem::permissions(directory, std::filesystem::perms::owner_all, made);
    }
    const auto snapshot = store::take_import_snapshot(m_state->database, directory, clock().now());
    enrolment::ImportReport report;
    try {
        report = enrolment::import_enrolment(m_state->database, clock(), options, generator);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(snapshot, ignored);
        throw;
    }
    if (report.changes_anything()) {
        report.snapshot = snapshot.string();
        store::prune_import_snapshots(m_state->database, directory, settings.snapshots_kept);
    } else {
        std::error_code ignored;
        std::filesystem::remove(snapshot, ignored);
    }
    return report;
}

namespace {

// What the secretary knows of the import an undo takes back: its file and its time. The snapshot's
// name holds the time it was taken ("<database>.import-20261202T211948Z-00.snapshot"); the import's
// own audit row, the first "import" row from that time on, names the file ("file=NAME year=...").
void describe_undone_import(store::Database& database, ImportUndo& undo)
{
    const std::string name = undo.snapshot.filename().string();
    const auto start = name.rfind(".import-");
    if (start == std::string::npos || name.size() < start + 8 + 16) {
        return;
    }
    const std::string stamp = name.substr(start + 8, 16); // 20261202T211948Z
    if (stamp[8] != 'T' || stamp[15] != 'Z') {
        return;
    }
    const std::string since = fmt::format("{}-{}-{}T{}:{}:{}Z", stamp.substr(0, 4), stamp.substr(4, 2),
                                          stamp.substr(6, 2), stamp.substr(9, 2), stamp.substr(11, 2),
                                          stamp.substr(13, 2));
    undo.imported_at = since;
    std::vector<audit::Entry> imports;
    for (auto& entry : audit::list_entries(database, {"", since})) {
        if (entry.action == "import" && entry.detail.starts_with("file=")) {
            imports.push_back(std::move(entry));
        }
    }
    // An earlier import's row can share the snapshot's second: then which row is this import's is
    // not known, and only the time is named.
    const bool earlier_possible =
        std::any_of(imports.begin(), imports.end(), [&](const audit::Entry& entry) { return entry.at == since; });
    if (imports.empty() || (earlier_possible && imports.size() > 1)) {
        return;
    }
    const auto& entry = imports.front();
    const auto end = entry.detail.find(" year=");
    undo.file = entry.detail.substr(5, end == std::string::npos ? std::string::npos : end - 5);
    undo.imported_at = entry.at;
}

} // namespace

ImportUndo Session::undo_import(bool confirm)
{
    const dispatch::SendLock lock(m_state->database_path);
    auto& database = m_state->database;
    const auto directory = snapshot_directory(m_state->settings, m_state->database_path);
    const auto snapshots = store::import_snapshots(database, directory);
    if (snapshots.empty()) {
        throw Error(ErrorCode::no_input,
                    credenza::i18n::format(_fmt("no import to undo: no snapshot of '{}' in '{}'"), m_state->database_path.string(),
                                directory.string()));
    }
    ImportUndo undo;
    undo.snapshot = snapshots.back();
    const auto since = store::letters_since_snapshot(database, undo.snapshot);
    undo.letters_kept = since.kept;
    undo.letters_lost = since.lost;
    describe_undone_import(database, undo);
    if (!since.lost.empty() && !confirm) {
        std::vector<std::string> details;
        for (const auto& code : since.lost) {
            details.push_back(credenza::i18n::format(_fmt("{}: made by the import and sent its credentials since"), code));
        }
        // The import as the secretary knows it: its file and when it ran, as the undo itself says.
        const std::string when =
            undo.imported_at.empty() ? std::string() : local_time(undo.imported_at, reader_style(credenza::i18n::language()));
        const std::string what =
            !undo.file.empty()
                ? credenza::i18n::format(_fmt("undoing the import of '{}' on {} would delete {} accounts whose "
                                              "credentials were mailed"),
                                         undo.file, when, since.lost.size())
            : !when.empty()
                ? credenza::i18n::format(_fmt("undoing the import on {} would delete {} accounts whose credentials were "
                                              "mailed"),
                                         when, since.lost.size())
                : credenza::i18n::format(_fmt("undoing the import of snapshot '{}' would delete {} accounts whose "
                                              "credentials were mailed"),
                                         undo.snapshot.filename().string(), since.lost.size());
        throw Error(ErrorCode::usage, what, details, Hint::confirm);
    }
    auto name = undo.snapshot.filename().string();
    name.replace(name.find(".import-"), 8, ".before-undo-");
    undo.before_undo = directory / name;
    store::restore_import_snapshot(database, undo.snapshot, undo.before_undo);
    audit::append(database, clock(), m_state->operator_name, "import undo", "",
                  fmt::format("snapshot={} letters kept={} lost={}", undo.snapshot.filename().string(),
                              since.kept.size(), since.lost.size()));
    std::error_code ignored;
    std::filesystem::remove(undo.snapshot, ignored);
    store::prune_import_snapshots(database, directory, m_state->settings.import.snapshots_kept);
    return undo;
}

dispatch::IssueReport Session::issue(dispatch::IssueOptions options)
{
    options.operator_name = m_state->operator_name;
    return dispatch::issue_letters(m_state->database, clock(), options);
}

SendOutcome Session::send(const SendRequest& request)
{
    const auto& settings = m_state->settings;
    dispatch::SendLock lock(m_state->database_path);
    // The cheap part of `credenza check`, before any letter is claimed: a problem a person must fix
    // stops the run here, and no letter spends an attempt on it.
    setup::CheckOptions checks;
    checks.database = m_state->database_path;
    checks.key_file = key_path();
    checks.connect = false;
    checks.integrity = false;
    checks.daily_cap = false;
    for (const auto& result : setup::check_installation(settings, clock(), checks)) {
        if (!result.passed) {
            throw Error(result.code, result.detail);
        }
    }
    const auto& school_ = school();
    const auto transport = dispatch::choose_transport(settings);
    const auto& hasher_ = hasher();
    const credentials::Generator generator(generator_settings_of(settings));

    dispatch::SendOptions options;
    options.limit = request.limit;
    options.rate_per_minute = request.rate_per_minute.value_or(settings.mail.rate_per_minute);
    options.jobs = request.jobs;
    options.connections = transport.connections;
    options.daily_cap = settings.mail.daily_cap;
    options.dry_run = request.dry_run;
    options.retry_now = request.retry_now;
    options.alert_after_hours = settings.mail.alert_after_hours;
    options.initial_password_days = settings.policy.initial_password_days;
    options.recovery_hours = settings.policy.recovery_hours;
    options.language = settings.mail.language;
    options.family_spid = family_login() == LoginMethod::spid_cie;
    options.self_service_recover = settings.policy.self_service_recover;
    options.student_formal = settings.mail.student_tone == "formal";
    options.verp = settings.mail.verp;
    options.template_dir = settings.mail.template_dir;
    options.operator_name = m_state->operator_name;
    options.stop = request.stop;

    SendOutcome outcome;
    outcome.report = dispatch::send_letters(m_state->database, clock(), school_, hasher_, generator, transport.factory, options,
                                            request.progress);
    outcome.to_directory = transport.directory;
    outcome.outbox = transport.outbox;
    return outcome;
}

accounts::VerifyResult Session::verify(std::string_view account, credentials::Purpose purpose, std::string_view secret)
{
    const auto& hasher_ = hasher();
    // The turn covers the count and the hashes, not the write of the outcome (accounts::verify_secret).
    return accounts::verify_secret(m_state->database, clock(), hasher_, m_state->settings.policy, account, purpose, secret,
                                   m_state->operator_name, [this] {
                                       const auto& credentials = m_state->settings.credentials;
                                       return std::make_unique<accounts::HashTurn>(
                                           m_state->database_path,
                                           accounts::parallel_hashes_or_cores(credentials.parallel_hashes),
                                           std::chrono::seconds(credentials.hash_wait_seconds));
                                   });
}

accounts::ChangeResult Session::change_password(std::string_view account, std::string_view current,
                                                std::string_view replacement)
{
    const auto& hasher_ = hasher();
    const auto turn = hash_turn(m_state->settings, m_state->database_path);
    return accounts::change_password(m_state->database, clock(), hasher_, m_state->settings, account, current, replacement,
                                     m_state->operator_name);
}

accounts::ChangeResult Session::change_pin(std::string_view account, std::string_view current,
                                           std::string_view replacement)
{
    const auto& hasher_ = hasher();
    const auto turn = hash_turn(m_state->settings, m_state->database_path);
    return accounts::change_pin(m_state->database, clock(), hasher_, m_state->settings, account, current, replacement,
                                m_state->operator_name);
}

accounts::ResetResult Session::reset(std::string_view account, const std::string& reason, bool new_pin)
{
    return accounts::reset_credentials(m_state->database, clock(), account, reason, new_pin, m_state->operator_name,
                                       family_login() == LoginMethod::spid_cie);
}

void Session::recover(std::string_view code_or_email, std::string_view requester)
{
    const std::string tag = requester.empty() ? std::string() : hasher().tag("requester", requester);
    accounts::recover(m_state->database, clock(), m_state->settings.policy, code_or_email, m_state->operator_name, tag);
}

std::vector<accounts::AccountInfo> Session::list_accounts(const accounts::AccountFilter& filter)
{
    return accounts::list_accounts(m_state->database, clock(), filter);
}

void Session::for_each_account(const accounts::AccountFilter& filter,
                               const std::function<void(accounts::AccountInfo&&)>& visit)
{
    accounts::for_each_account(m_state->database, clock(), filter, visit);
}

accounts::AccountInfo Session::find_account(std::string_view account)
{
    return accounts::find_account(m_state->database, clock(), account);
}

std::vector<accounts::AccountInfo> Session::find_accounts(std::string_view text)
{
    return accounts::find_accounts(m_state->database, clock(), text);
}

bool Session::set_enabled(std::string_view account, bool enabled, const std::string& reason)
{
    return accounts::set_enabled(m_state->database, clock(), account, enabled, reason, m_state->operator_name);
}

std::vector<provisioning::Proposal> Session::address_proposals(const std::vector<std::string>& classes)
{
    return provisioning::propose_addresses(m_state->database, school().domain, classes);
}

std::vector<provisioning::Proposal> Session::apply_address_proposals(const std::vector<std::string>& classes,
                                                                     bool dry_run)
{
    return provisioning::apply_proposals(m_state->database, clock(), school().domain, classes, dry_run, m_state->operator_name);
}

WorkspaceExport Session::export_workspace(const std::vector<std::string>& classes,
                                          const std::optional<std::filesystem::path>& destination)
{
    const auto proposals = address_proposals(classes);
    const credentials::Generator generator(generator_settings_of(m_state->settings));
    WorkspaceExport result;
    result.rows = proposals.size();
    result.csv = provisioning::workspace_csv(proposals, generator);
    if (destination) {
        try {
            util::write_new_file(*destination, result.csv.view(), 0600);
        } catch (const util::FileError& error) {
            if (error.already_exists()) {
                throw Error(ErrorCode::cannot_create,
                            credenza::i18n::format(_fmt("'{}' already exists: choose a new name (it would hold passwords, so it is "
                                        "never overwritten)"),
                                        destination->string()));
            }
            throw;
        }
        result.csv = credentials::Secret();
    }
    store::Transaction transaction(m_state->database);
    audit::append(m_state->database, clock(), m_state->operator_name, "export gworkspace", "",
                  fmt::format("rows={}{}", proposals.size(),
                              classes.empty() ? std::string() : fmt::format(" classes={}", fmt::join(classes, ","))));
    transaction.commit();
    return result;
}

reports::ProblemRules Session::problem_rules() const
{
    const auto& policy = m_state->settings.policy;
    reports::ProblemRules rules;
    rules.pin_max_failures = policy.pin_max_failures;
    rules.password_max_failures = policy.password_max_failures;
    rules.initial_password_days = policy.initial_password_days;
    rules.now = clock().now();
    return rules;
}

reports::Summary Session::summary(const reports::Filter& filter)
{
    return reports::summary(m_state->database, filter, problem_rules());
}

std::vector<reports::ClassProgress> Session::class_progress(const reports::Filter& filter)
{
    return reports::class_progress(m_state->database, filter);
}

std::vector<reports::Delivery> Session::deliveries(const reports::Filter& filter)
{
    return reports::deliveries(m_state->database, filter);
}

std::vector<reports::Problem> Session::problems(const reports::Filter& filter)
{
    return reports::problems(m_state->database, filter, problem_rules());
}

std::vector<audit::Entry> Session::audit_entries(const audit::EntryFilter& filter)
{
    return audit::list_entries(m_state->database, filter);
}

audit::ChainCheck Session::verify_audit_chain(std::string_view kept_head)
{
    if (m_state->database.audit_key().empty()) {
        hasher(); // says why the key file cannot be read
    }
    return audit::verify_chain(m_state->database, kept_head);
}

std::string Session::audit_chain_head()
{
    return audit::chain_head(m_state->database);
}

store::BackupResult Session::backup(const std::filesystem::path& destination)
{
    return store::backup_database(m_state->database, destination);
}

store::RotatedBackup Session::backup_into_directory(const std::filesystem::path& directory, int keep)
{
    return store::backup_into_directory(m_state->database, m_state->database_path, directory, clock().now(), keep);
}

accounts::Identity Session::identify(const accounts::IdentityRequest& request)
{
    return accounts::identify(m_state->database, clock(), request, m_state->operator_name);
}

store::LoginRecord Session::login_record(std::int64_t account_id)
{
    return store::login_record(m_state->database, account_id);
}

accounts::ReminderReport Session::remind_never_logged_in(const std::vector<std::string>& classes, bool dry_run)
{
    accounts::ReminderOptions options;
    options.classes = classes;
    options.interval_days = m_state->settings.policy.reminder_interval_days;
    options.dry_run = dry_run;
    return accounts::remind_never_logged_in(m_state->database, clock(), options, m_state->operator_name);
}

accounts::FamilyLoginSwitch Session::switch_family_login(LoginMethod to, bool dry_run)
{
    return accounts::switch_family_login(m_state->database, clock(), family_login(), to, dry_run,
                                         m_state->operator_name);
}

reports::Activation Session::activation(const std::vector<std::string>& classes)
{
    return reports::activation(m_state->database, clock(), classes);
}

} // namespace credenza

namespace credenza {

bounces::ReadReport Session::read_bounces(bool dry_run, std::optional<int> purge_after_days)
{
    const auto& settings = m_state->settings.imap;
    auto mailbox = bounces::open_imap_mailbox(bounces::imap_options(settings));
    bounces::ReadOptions options;
    options.processed_folder = settings.processed_folder;
    options.purge_after_days = purge_after_days.value_or(settings.purge_after_days);
    options.dry_run = dry_run;
    options.operator_name = m_state->operator_name;
    return bounces::read_bounces(m_state->database, clock(), *mailbox, options);
}

void Session::for_each_delivery(const reports::Filter& filter,
                                const std::function<void(reports::Delivery&&)>& visit)
{
    reports::for_each_delivery(m_state->database, filter, visit);
}

void Session::for_each_audit_entry(const audit::EntryFilter& filter,
                                   const std::function<void(audit::Entry&&)>& visit)
{
    store::find_audit_rows(m_state->database, filter.account, filter.since, [&](store::AuditRow&& row) {
        visit({row.id, std::move(row.at), std::move(row.operator_name), std::move(row.action), std::move(row.account),
               std::move(row.detail)});
    });
}

} // namespace credenza
