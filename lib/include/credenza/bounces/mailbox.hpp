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

} // namespace credenza::bounces
