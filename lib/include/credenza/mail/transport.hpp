#pragma once
// Where composed messages go: an SMTP server (libcurl) or a directory of .eml files.
// The dispatcher sees only Transport, so tests can substitute a fake.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace credenza::mail {

enum class Outcome {
    sent,     // a 2xx reply to the message itself
    deferred, // 4xx or a connection problem: try this letter again later
    failed,   // 5xx: this letter will never go through as it is
    paused,   // a provider limit or a server-wide problem: stop the whole batch for now
    unavailable, // the server cannot be reached at all: stop the batch, retry on the next run
    misconfigured, // a setting must be fixed (AUTH refused, certificate, host name, sender, TLS):
                   // stop the batch; the letter spends no attempt and is due again at once
};

struct Delivery
{
    Outcome outcome = Outcome::sent;
    int code = 0;      // SMTP reply code of the DATA (or the failing) step; 0 without one
    std::string reply; // the server's reply on one line, curl's error, or the file written
    std::string setting; // misconfigured: the key to fix ("smtp.user", "smtp.ca_file", "smtp.url",
                         // "smtp.tls", "mail.from"); "" otherwise
};

// 2xx sent; 421, "450 4.2.1", "452 4.5.3" and "550 5.4.5" (provider limits) paused;
// other 4xx deferred; other 5xx failed; 0 (no reply: connection error) deferred.
Outcome classify(int code, std::string_view reply);

// What a letter is, in words a person looking for it among files recognises. Never a secret.
struct LetterLabel
{
    std::string user_code;
    std::string kind;       // "family", "student", "reset", "recovery", "spid"
    std::string surname;    // the holder's
    std::string class_name; // the (first) pupil's class; "" when none
};

struct Envelope
{
    std::string from; // bare addresses, no "<>"
    std::string to;
    LetterLabel label = {}; // the directory transport names files by it; SMTP ignores it
};

class Transport
{
public:
    virtual ~Transport() = default;
    // Never throws for what a server replies; throws Error(config, io, bad_input) only for
    // local problems (misconfiguration, an unwritable directory, an envelope address with
    // characters that would corrupt the SMTP conversation).
    virtual Delivery deliver(const Envelope& envelope, std::string_view message) = 0;
    // Tries everything a delivery needs short of a recipient (for SMTP: connection, TLS and its
    // certificate, AUTH, and MAIL FROM `sender` followed by RSET), and sends nothing. `sent` when
    // all passed; otherwise the outcome a delivery would have had.
    virtual Delivery probe(std::string_view /*sender*/) { return Delivery{Outcome::sent, 0, "", ""}; }
};

// Each message as "<outbox>/<class>_<surname>_<user code>_<UTC timestamp>-<random>.eml" (the
// label's words folded to ASCII letters, digits and '-'; a part left out when empty), mode 0600,
// in a directory made 0700: written to a temporary name, fsynced, renamed, directory fsynced.
// Beside them, one index per transport (one per send run), "index-<UTC timestamp>-<random>.tsv":
// a header line, then file, user code, kind, surname, class and address of every letter written,
// replaced whole (a temporary file renamed) after each letter so that it never shows half a line.
// Delivery{sent, 0, "<path>"}. Error(cannot_create) when the directory cannot be made.
class DirectoryTransport final : public Transport
{
public:
    explicit DirectoryTransport(std::filesystem::path outbox);
    Delivery deliver(const Envelope& envelope, std::string_view message) override;
    // The index this transport writes (it exists once a letter was delivered).
    const std::filesystem::path& index_path() const { return m_index_path; }

private:
    std::filesystem::path m_outbox;
    std::filesystem::path m_index_path;
    std::string m_index;
};

// The file name a letter gets in the outbox, before its timestamp: "5A_Citro_F4K7Q2M9X" for
// class "5A", surname "Citrò", user code "F4K7Q2M9X"; "" for an empty label.
std::string outbox_name_stem(const LetterLabel& label);

struct SmtpOptions
{
    std::string url;              // smtp://host:port or smtps://host:port
    std::string tls = "starttls"; // starttls (never falls back to plain) | implicit (smtps) | none
    std::string user;
    std::string password;         // read by the caller from env or file; the transport wipes its copy
    std::string ca_file;
    bool verify_peer = true;
    int timeout_seconds = 60;
    std::string helo_domain;      // the EHLO name; curl's default when empty
};

// The host of an smtp:// or smtps:// url, without user, port or path (an IPv6 literal keeps its
// brackets): "smtp://127.0.0.1:2525" -> "127.0.0.1"; "" when there is none.
std::string url_host(std::string_view url);

// Whether a host is this machine: localhost, 127.0.0.0/8 or ::1 (where tls "none" is allowed).
bool is_loopback_host(std::string_view host);

// curl_global_init, once per process; call before starting threads. Idempotent, thread-safe.
void global_init();

// One libcurl easy handle, reused for every message so the connection is reused.
// Not thread-safe: one per thread. Error(config) for an unusable url/tls combination, and for
// tls "none" to a host other than this machine (127.0.0.0/8, ::1, localhost) or with a password.
// No message ever repeats the url (a misplaced password could be in it).
class SmtpTransport final : public Transport
{
public:
    explicit SmtpTransport(SmtpOptions options);
    ~SmtpTransport() override;
    SmtpTransport(const SmtpTransport&) = delete;
    SmtpTransport& operator=(const SmtpTransport&) = delete;
    Delivery deliver(const Envelope& envelope, std::string_view message) override;
    Delivery probe(std::string_view sender) override;

private:
    struct State;
    void open();
    void close() noexcept;
    Delivery failure(int curl_code);

    SmtpOptions m_options;
    std::unique_ptr<State> m_state;
};

} // namespace credenza::mail
