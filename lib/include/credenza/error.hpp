#pragma once
// The one error type the library throws. The CLI maps its code to a sysexits
// exit status in one place (cli/exit_codes.cpp); the library never exits.

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

class Error : public std::runtime_error
{
public:
    Error(ErrorCode code, const std::string& message, std::vector<std::string> details = {})
        : std::runtime_error(message), m_code(code), m_details(std::move(details))
    {
    }

    ErrorCode code() const noexcept { return m_code; }

    // Further lines, each complete, such as "FILE:LINE: field: reason" for every bad row.
    const std::vector<std::string>& details() const noexcept { return m_details; }

private:
    ErrorCode m_code;
    std::vector<std::string> m_details;
};

} // namespace credenza
