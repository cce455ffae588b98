#pragma once
// The one error type the library throws: a code (what kind of failure), the message (what failed,
// with its subject), and a hint (what the user can do next). The library words the failure; each
// front end words the hint its own way, since only it knows its commands and options (the CLI does
// it, and maps codes to sysexits exit statuses, in cli/messages.cpp). The library never exits.

#include <stdexcept>
#include <string>
#include <vector>

namespace credenza {

enum class ErrorCode {
    usage,            // a call that makes no sense (bad option value)      -> 64
    bad_input,        // data that does not validate                        -> 65
    not_found,        // no such account / file / row                       -> 65 or 66 (no_input)
    no_input,         // an input file that cannot be opened                -> 66
    smtp_unavailable, // the SMTP server cannot be reached at all           -> 69
    cannot_create,    // an output that exists already or cannot be made    -> 73
    io,               // read/write failure, database corruption            -> 74
    temporary,        // try again later (lock held, deferred letters)      -> 75
    smtp_temporary,   // a 4xx reply or a dropped connection                -> 75
    smtp_permanent,   // a 5xx reply                                        -> 65
    locked,           // account locked, disabled or expired; permission    -> 77
    permission,       // file permissions unsafe or not allowed             -> 77
    config,           // bad configuration                                  -> 78
    internal,         // a bug                                              -> 70
};

// What the user can do next about an Error. The words belong to the front end.
enum class Hint {
    none,
    initialise,         // the database does not exist yet: create it (credenza init)
    confirm,            // the operation needs an explicit confirmation (--yes)
    give_reason,        // the operation needs a written reason (--reason)
    reset_pin_too,      // only the PIN can be regenerated for this account (--pin)
    enable_account,     // the account is disabled: enable it first (credenza account enable)
    set_domain,         // the school's domain is not recorded (init --domain, or [school] domain)
    wait_for_send,      // another send holds the lock: wait for it to finish
    check_school_year,  // an older school year than the database's: check it, or confirm (--year, --yes)
    whole_enrolment,    // most pupils would leave: is it the whole school's export? confirm (--yes)
    map_column,         // a required column is missing: rename it or map it (--map)
    save_as_csv,        // a workbook or another file that is not CSV: save it as CSV (import)
    fix_sender,         // the sender is not a valid address: fix [mail] from (or init's --mail-from)
    no_database_here,   // no database where one was looked for: point at the school's (--db, db, CREDENZA_DB)
    wait_for_hashes,    // every hashing turn stayed taken: try again, or allow more ([credentials] parallel_hashes)
};

class Error : public std::runtime_error
{
public:
    Error(ErrorCode code, const std::string& message, std::vector<std::string> details = {}, Hint hint = Hint::none)
        : std::runtime_error(message), m_code(code), m_details(std::move(details)), m_hint(hint)
    {
    }
    Error(ErrorCode code, const std::string& message, Hint hint) : Error(code, message, {}, hint) {}

    ErrorCode code() const noexcept { return m_code; }
    Hint hint() const noexcept { return m_hint; }

    // Further lines, each complete, such as "FILE:LINE: field: reason" for every bad row.
    const std::vector<std::string>& details() const noexcept { return m_details; }

private:
    ErrorCode m_code;
    std::vector<std::string> m_details;
    Hint m_hint = Hint::none;
};

} // namespace credenza
