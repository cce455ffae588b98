#pragma once
// Settings from the INI config file and the CREDENZA_* environment, so that the CLI and any
// other front end read the same configuration. man/credenza.conf.5 documents every key.

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace credenza::config {

// [school] — overrides what `credenza init` stored in the database; empty = not set.
struct SchoolSettings
{
    std::string code, name, portal_url, domain;
    // Which pupils are in the first cycle (primary and lower secondary): under law 182/2025 art. 51
    // they get no login of their own. "secondo" = none, "primo" = all, "both" = those of
    // first_cycle_classes (class names, or prefixes ending in '*', separated by spaces or commas).
    std::string cycle = "secondo";
    std::string first_cycle_classes;
    // The IANA time zone people read times in ("Europe/Rome"); "" = the system's.
    std::string timezone;

    friend bool operator==(const SchoolSettings&, const SchoolSettings&) = default;
};

// [mail]
struct MailSettings
{
    std::string transport = "dir";  // "dir" | "smtp"
    std::string from;               // overrides the init value when set
    std::string outbox = "outbox";  // for the dir transport
    std::string template_dir;       // the school's own templates, "" = built-in
    std::string language = "it";    // "it" | "en"
    int daily_cap = 2000;           // 1..1000000
    int rate_per_minute = 0;        // 0 = unlimited
    int alert_after_hours = 24;     // a letter waiting longer than this is reported even under -q; 0 = never
    std::string student_tone = "informal"; // "informal" (tu) | "formal" (Lei): how letters address students
    bool verp = false;              // envelope sender "local+L<token>@domain": bounces name their letter

    friend bool operator==(const MailSettings&, const MailSettings&) = default;
};

// [smtp]
struct SmtpSettings
{
    std::string url;                // smtp://host:587 or smtps://host:465
    std::string tls = "starttls";   // starttls | implicit | none
    std::string user;
    std::string password_file;      // a 0600 file; the password may also come from CREDENZA_SMTP_PASSWORD
    std::string ca_file;            // extra CA bundle (tests use a self-signed cert)
    bool verify_peer = true;
    int connections = 4;            // 1..16
    int timeout_seconds = 60;       // 1..600

    friend bool operator==(const SmtpSettings&, const SmtpSettings&) = default;
};

// [imap]: the mailbox the bounces come back to (credenza bounces)
struct ImapSettings
{
    std::string url;                // imaps://host/INBOX or imap://host:143/INBOX (STARTTLS)
    std::string tls = "implicit";   // implicit (imaps) | starttls | none (this machine only, no password)
    std::string user;
    std::string password_file;      // a 0600 file holding the password (a Workspace app password)
    std::string ca_file;            // extra CA bundle (tests use a self-signed cert)
    bool verify_peer = true;
    std::string processed_folder = "credenza-processed"; // where read reports are moved (created if missing)
    int purge_after_days = 0;       // 0..3650: processed reports older than this are deleted; 0 = never
    int timeout_seconds = 60;       // 1..600

    friend bool operator==(const ImapSettings&, const ImapSettings&) = default;
};

// [credentials]
struct CredentialSettings
{
    std::string key_file;           // "" = "<db>.key"
    int kdf_memlimit_mib = 64;      // bounds checked by the credentials module, not here
    int kdf_opslimit = 2;
    int password_length = 12;
    int pin_length = 6;
    std::string user_code_format = "{kind}XXXXXXXX";
    int parallel_hashes = 0;        // Argon2id runs at once per database (verify, passwd, pin); 0 = cores
    int hash_wait_seconds = 30;     // how long one waits for its turn before exit 75

    friend bool operator==(const CredentialSettings&, const CredentialSettings&) = default;
};

// [policy]
struct PolicySettings
{
    int initial_password_days = 30;     // 1..365
    int pin_max_failures = 10;          // 3..100
    int password_max_failures = 100;    // 10..1000
    int password_slowdown_after = 5;    // 1..100
    int recover_interval_minutes = 15;  // 1..1440
    bool self_service_recover = true;
    std::string family_login = "password";  // "password" | "spid_cie" (law 182/2025: families log in with SPID or CIE)
    int password_min_length = 15;       // 8..64 (NIST SP 800-63B-4: 15 for a single factor, 8 with a second)
    int pin_slowdown_after = 3;         // 1..100: wrong PINs before each further one waits (30 s doubling)
    int expired_password_grace_days = 7; // 0..90: an expired initial password may still be changed this long
    int recovery_hours = 24;            // 1..24: how long a recovery letter's secrets wait to be used
    int recover_requester_per_hour = 5; // 1..1000: recovery requests per requester key per hour
    // A general word list (one a line) chosen passwords must not be, besides the embedded Italian
    // list: Debian's cracklib-runtime by default; "" = the Italian list only.
    std::string password_blocklist = "/usr/share/dict/cracklib-small";
    int reminder_interval_days = 14;    // 1..365: at most one reminder of how to log in per account this often

    friend bool operator==(const PolicySettings&, const PolicySettings&) = default;
};

// [import]
struct ImportSettings
{
    std::string map;                // saved --map entries: "Header=field; Other header=field"
    std::string layout = "auto";    // auto | pupil-rows | guardian-rows
    bool check_student_domain = true; // a student address must be at the school's domain (when it has one)
    std::string snapshot_dir;       // where the snapshots taken before an import go, "" = beside the database
    int snapshots_kept = 5;         // 1..100

    friend bool operator==(const ImportSettings&, const ImportSettings&) = default;
};

// [ui]
struct UiSettings
{
    std::string language; // "" = follow the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), "it", "en"

    friend bool operator==(const UiSettings&, const UiSettings&) = default;
};

struct Settings
{
    std::string db;                                  // "" = not set by file/env (the CLI then uses ./credenza.db)
    std::optional<std::filesystem::path> config_file; // the file that was read, if any
    SchoolSettings school;
    MailSettings mail;
    SmtpSettings smtp;
    ImapSettings imap;
    CredentialSettings credentials;
    PolicySettings policy;
    ImportSettings import;
    UiSettings ui;

    friend bool operator==(const Settings&, const Settings&) = default;
};

// The names of the variables set in the process environment (read from `environ`).
std::vector<std::string> process_environment_names();

struct LoadOptions
{
    std::optional<std::filesystem::path> config_file; // from --config; must exist if given
    std::function<const char*(const char*)> getenv = [](const char* name) { return std::getenv(name); };
    std::filesystem::path default_config = "/etc/credenza/credenza.conf"; // read only when it exists
    // getenv can only answer for names we ask about; finding an unknown CREDENZA_* variable needs the
    // list of names that are set. Tests replace both with the same fake environment.
    std::function<std::vector<std::string>()> environment_names = process_environment_names;
};

// Built-in defaults < config file (--config, else $CREDENZA_CONFIG, else default_config if it exists)
// < environment (CREDENZA_DB, CREDENZA_<SECTION>_<KEY>). CREDENZA_SMTP_PASSWORD is a secret, not a
// setting: it is neither read nor rejected here. Throws Error(ErrorCode::config) naming the file and
// line, or the environment variable, of the first bad setting.
Settings load_settings(const LoadOptions& options = {});

// Every key the file accepts, as written there: "db", "school.code", ..., "policy.password_min_length".
std::vector<std::string> setting_keys();

// The environment variable of a key: "smtp.url" -> "CREDENZA_SMTP_URL", "db" -> "CREDENZA_DB".
std::string environment_name(const std::string& key);

} // namespace credenza::config
