#pragma once
// credenza::Session: the one way a front end (the CLI, the register's web front end) works with a
// school's credentials. Opened from settings, it owns the database, the pepper keys, the policy,
// the clock and the operator — all given by the caller, never guessed inside — and offers every
// operation with the same checks and audit rows whoever calls it.
// A Session (and its database connection) is used by one thread at a time: a front end serving
// requests on several threads opens one per thread (or guards one with its own lock).

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/accounts/accounts.hpp>
#include <credenza/accounts/identity.hpp>
#include <credenza/accounts/logins.hpp>
#include <credenza/accounts/lifecycle.hpp>
#include <credenza/accounts/verify.hpp>
#include <credenza/audit/log.hpp>
#include <credenza/bounces/read.hpp>
#include <credenza/config/settings.hpp>
#include <credenza/credentials/hasher.hpp>
#include <credenza/credentials/secret.hpp>
#include <credenza/dispatch/issue.hpp>
#include <credenza/dispatch/send.hpp>
#include <credenza/enrolment/import.hpp>
#include <credenza/provisioning/address.hpp>
#include <credenza/reports/activation.hpp>
#include <credenza/reports/classes.hpp>
#include <credenza/reports/deliveries.hpp>
#include <credenza/reports/problems.hpp>
#include <credenza/reports/summary.hpp>
#include <credenza/store/backup.hpp>
#include <credenza/store/logins.hpp>
#include <credenza/store/school.hpp>
#include <credenza/time.hpp>

namespace credenza {

struct SessionOptions
{
    config::Settings settings;            // config::load_settings(), or made by the front end
    std::filesystem::path database;       // "" = settings.db, else ./credenza.db
    std::string operator_name;            // who acts, as the audit log records it: required
    const Clock* clock = nullptr;         // nullptr = the wall clock
};

struct SendRequest
{
    int limit = 0;                                // at most this many letters; 0 = all due
    std::optional<int> rate_per_minute;           // default: [mail] rate_per_minute
    int jobs = 0;                                 // hashing threads; 0 = one per core
    bool dry_run = false;
    bool retry_now = false;
    const std::atomic<bool>* stop = nullptr;      // finish what is in flight, then stop
    std::function<void(const dispatch::Progress&)> progress;
};

struct SendOutcome
{
    dispatch::SendReport report;
    bool to_directory = false;            // letters went to files that hold secrets in clear
    std::filesystem::path outbox;
};

struct WorkspaceExport
{
    std::size_t rows = 0;
    credentials::Secret csv;              // only when no destination was given: the caller writes it
};

// Where a school's files are: the database given (else [db] of the settings, else ./credenza.db),
// and its key file ([credentials] key_file, else the database's path with ".key").
std::filesystem::path database_path(const config::Settings& settings, const std::filesystem::path& given = {});
std::filesystem::path key_path(const config::Settings& settings, const std::filesystem::path& database);

// What `import --undo` did.
struct ImportUndo
{
    std::filesystem::path snapshot;       // the state brought back (deleted once restored)
    std::filesystem::path before_undo;    // a copy of the state before the undo
    std::vector<std::string> letters_kept; // accounts that got letters since: credentials carried over
    std::vector<std::string> letters_lost; // accounts the undone import made and that got letters since
    std::string file;                     // the undone import's file name, from its audit row ("" if unknown)
    std::string imported_at;              // when it ran, as stored ("2026-12-02T21:19:48Z"; "" if unknown)
};

class Session
{
public:
    // Error(no_input) when the database does not exist (create it with setup::initialise),
    // Error(usage) without an operator.
    static Session open(SessionOptions options);

    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;
    ~Session();

    const config::Settings& settings() const;
    const Clock& clock() const;
    const std::string& operator_name() const;
    const std::filesystem::path& database_path() const;
    std::filesystem::path key_path() const;
    LoginMethod family_login() const;     // [policy] family_login
    const store::School& school();
    store::Database& database();

    // The hasher of this school's pepper, loaded once; Error(config) when the key file does not
    // hold the key the database was made with.
    const credentials::Hasher& hasher();

    // Adds the [import] settings, then, unless it is a dry run, snapshots the database first
    // (kept only when the import changed something; the last [import] snapshots_kept are kept).
    enrolment::ImportReport import_enrolment(enrolment::ImportOptions options);
    // Brings back the state before the last import that changed something. Holds the send lock
    // (Error(temporary) while a send runs). Accounts that got letters since keep their credentials;
    // Error(usage, Hint::confirm) when the undone import made accounts that got letters, unless `confirm`.
    ImportUndo undo_import(bool confirm);
    dispatch::IssueReport issue(dispatch::IssueOptions options);
    // Holds the send lock (Error(temporary) while another send runs) and picks the transport.
    SendOutcome send(const SendRequest& request);

    accounts::VerifyResult verify(std::string_view account, credentials::Purpose purpose, std::string_view secret);
    accounts::ChangeResult change_password(std::string_view account, std::string_view current,
                                           std::string_view replacement);
    accounts::ChangeResult change_pin(std::string_view account, std::string_view current,
                                      std::string_view replacement);
    accounts::ResetResult reset(std::string_view account, const std::string& reason, bool new_pin);
    // "Password dimenticata?": queues a letter to the recorded address only; says nothing of whether
    // anything matched. `requester` (e.g. the front end's client address, "" = none) is rate-limited
    // too; it is kept only as a keyed hash.
    void recover(std::string_view code_or_email, std::string_view requester = {});

    std::vector<accounts::AccountInfo> list_accounts(const accounts::AccountFilter& filter = {});
    // The same, each account handed to `visit` as it is made (accounts::for_each_account).
    void for_each_account(const accounts::AccountFilter& filter, const std::function<void(accounts::AccountInfo&&)>& visit);
    accounts::AccountInfo find_account(std::string_view account);
    std::vector<accounts::AccountInfo> find_accounts(std::string_view text); // accounts::find_accounts
    bool set_enabled(std::string_view account, bool enabled, const std::string& reason);
    std::vector<provisioning::Proposal> address_proposals(const std::vector<std::string>& classes);
    std::vector<provisioning::Proposal> apply_address_proposals(const std::vector<std::string>& classes, bool dry_run);
    // The Google Admin console CSV of the pupils without an institutional address, audited. With a
    // destination it is written there as a new 0600 file (never over an existing one); without, it
    // is returned for the caller to deliver.
    WorkspaceExport export_workspace(const std::vector<std::string>& classes,
                                     const std::optional<std::filesystem::path>& destination);

    reports::Summary summary(const reports::Filter& filter = {});
    std::vector<reports::ClassProgress> class_progress(const reports::Filter& filter = {});
    std::vector<reports::Delivery> deliveries(const reports::Filter& filter = {});
    std::vector<reports::Problem> problems(const reports::Filter& filter = {});
    std::vector<audit::Entry> audit_entries(const audit::EntryFilter& filter = {});
    // Checks the keyed chain (the key file is needed); with kept_head ("ID:HASH" from
    // audit_chain_head earlier), also that the chain still holds that row.
    audit::ChainCheck verify_audit_chain(std::string_view kept_head = {});
    std::string audit_chain_head();
    store::BackupResult backup(const std::filesystem::path& destination);
    // A dated backup in a folder of backups, keeping the newest `keep` (0 = all): see store/backup.hpp.
    store::RotatedBackup backup_into_directory(const std::filesystem::path& directory, int keep);

    // SPID, CIE and eIDAS logins (accounts/identity.hpp, accounts/logins.hpp, reports/activation.hpp).
    accounts::Identity identify(const accounts::IdentityRequest& request);
    store::LoginRecord login_record(std::int64_t account_id);
    // [policy] reminder_interval_days apart at least.
    accounts::ReminderReport remind_never_logged_in(const std::vector<std::string>& classes, bool dry_run);
    // Aligns the family accounts with [policy] family_login, which must already say `to`.
    accounts::FamilyLoginSwitch switch_family_login(LoginMethod to, bool dry_run);
    reports::Activation activation(const std::vector<std::string>& classes);
    // Reads the [imap] bounce mailbox and records its delivery reports (bounces/read.hpp).
    bounces::ReadReport read_bounces(bool dry_run, std::optional<int> purge_after_days = std::nullopt);

    // The rows of deliveries(), one at a time as they are read: a report printed as it goes.
    void for_each_delivery(const reports::Filter& filter, const std::function<void(reports::Delivery&&)>& visit);
    // The rows of audit_entries(), one at a time as they are read.
    void for_each_audit_entry(const audit::EntryFilter& filter, const std::function<void(audit::Entry&&)>& visit);

private:
    struct State;
    explicit Session(std::unique_ptr<State> state);
    void load_audit_key();
    reports::ProblemRules problem_rules() const;
    std::unique_ptr<State> m_state;
};

} // namespace credenza
