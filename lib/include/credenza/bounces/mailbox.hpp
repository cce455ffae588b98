#pragma once
// The mailbox the bounces come back to, behind an interface so that unit tests use a fake; the
// real one speaks IMAP through libcurl (imaps://, or imap:// with STARTTLS required).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/config/settings.hpp>
#include <credenza/time.hpp>

namespace credenza::bounces {

class Mailbox
{
public:
    virtual ~Mailbox() = default;
    // The UIDs of the messages in the mailbox read (the url's), oldest first.
    virtual std::vector<std::uint32_t> message_uids() = 0;
    // The whole message, for the parser only: never stored.
    virtual std::string fetch(std::uint32_t uid) = 0;
    // Creates the folder unless it exists.
    virtual void ensure_folder(std::string_view folder) = 0;
    // Moves the message to the folder (never deletes it from the server).
    virtual void move(std::uint32_t uid, std::string_view folder) = 0;
    // Deletes the messages of `folder` that arrived before `before`; returns how many.
    virtual int purge(std::string_view folder, TimePoint before) = 0;
};

// Letters, digits, spaces and ". _ - /", 1 to 100 characters: nothing IMAP would need to quote.
bool is_folder_name(std::string_view name);

struct ImapOptions
{
    std::string url;                // imaps://host[:port]/MAILBOX, imap://host[:port]/MAILBOX
    std::string tls = "implicit";   // implicit | starttls | none
    std::string user;
    std::string password;           // the transport wipes its copy
    std::string ca_file;
    bool verify_peer = true;
    int timeout_seconds = 60;
};

// The options of [imap], the password read from its 0600 password_file. Error(config) when the
// url is missing, or the file cannot be read or is readable by others.
ImapOptions imap_options(const config::ImapSettings& settings);

// Error(config) for a bad url/tls combination, an unencrypted connection to another machine or with
// a password, a refused login, a certificate that does not verify, a host that does not resolve or
// a mailbox that cannot be selected; Error(temporary) when the server cannot be reached or the
// connection fails. No message repeats the url.
std::unique_ptr<Mailbox> open_imap_mailbox(ImapOptions options);

// What `credenza check` learns of the bounce mailbox: the login, then the folder of the url opened
// read-only (IMAP EXAMINE: no message is marked, moved or loses its \Recent flag).
struct MailboxProbe
{
    enum class Outcome {
        passed,        // logged in and examined the folder (or, without connecting: settings consistent)
        misconfigured, // a person must fix `setting` (a refused login, a missing folder, a certificate)
        unavailable,   // the server cannot be reached, or the connection failed: try again later
    };
    Outcome outcome = Outcome::passed;
    std::string host;    // the server's host name (never the url)
    std::string folder;  // the folder of the url ("INBOX" when it names none)
    int messages = -1;   // the messages in the folder (EXISTS) when examined, else -1
    bool connected = false; // the outcome is the server's (else the settings' alone)
    std::string reason;  // when failed: what went wrong, in the server's or libcurl's words; never the password
    std::string setting; // when misconfigured: "imap.user" (login refused), "imap.folder" (the folder at
                         // the end of [imap] url cannot be examined), "imap.ca_file", "imap.tls", "imap.url"
};

// Validates the options as open_imap_mailbox does (Error(config) as it does) and, when `connect`,
// logs in and examines the folder. Changes nothing on the server; wipes its copy of the password.
MailboxProbe probe_imap_mailbox(ImapOptions options, bool connect);

} // namespace credenza::bounces
