#pragma once
// `credenza check`: everything a school's installation needs, looked at without sending a letter
// and without changing anything (in the spirit of `postfix check` and `nginx -t`).

#include <filesystem>
#include <string>
#include <vector>

#include <credenza/config/settings.hpp>
#include <credenza/error.hpp>
#include <credenza/time.hpp>

namespace credenza::setup {

struct CheckResult
{
    std::string name;   // stable, for JSON: "database", "key_file", "templates", "mail", "bounces",
                        // "daily_cap"
    bool passed = false;
    std::string detail; // what was found, or what is wrong (never a secret, never a url)
    ErrorCode code = ErrorCode::config; // when failed: the kind of failure, for the exit status
    std::string setting; // when failed because of a setting: its key ("smtp.user"), else "";
                         // "imap.folder" for the folder at the end of [imap] url
};

struct CheckOptions
{
    std::filesystem::path database;  // the database file
    std::filesystem::path key_file;  // its pepper key file
    bool connect = true;             // SMTP: connect, TLS, AUTH, MAIL FROM + RSET; IMAP: login, EXAMINE the
                                     // folder; false: settings only
    bool integrity = true;           // PRAGMA integrity_check (reads the whole file)
    bool daily_cap = true;           // the letters due against the daily cap
};

// One result per check, in order: database, key_file, templates, mail, bounces (only when [imap] url
// is set), daily_cap. Never throws for what it checks; a check that cannot run because an earlier
// one failed says so and fails.
std::vector<CheckResult> check_installation(const config::Settings& settings, const Clock& clock,
                                            const CheckOptions& options);

} // namespace credenza::setup
