#include <credenza/mail/transport.hpp>

#include <credenza/error.hpp>

#include <credenza/util/text.hpp>

#include <curl/curl.h>
#include <fmt/format.h>
#include <sodium.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <poll.h>
#include "i18n/gettext.hpp"
#include "mail/curl_api.hpp"

namespace credenza::mail {

using detail::curl;

namespace {

constexpr std::size_t k_max_reply = 512;

// Everything after "smtp://" or "smtps://" up to the path: where "user:password@" would sit.
std::string_view authority(std::string_view url)
{
    const auto scheme_end = url.find("://");
    const std::string_view rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
    return rest.substr(0, rest.find('/'));
}

// No message here repeats the url: a misplaced password could be in it.
void validate(const SmtpOptions& options)
{
    const bool plain_scheme = options.url.starts_with("smtp://");
    const bool tls_scheme = options.url.starts_with("smtps://");
    if (!plain_scheme && !tls_scheme) {
        throw Error(ErrorCode::config, _("smtp url must start with 'smtp://' or 'smtps://'"));
    }
    if (authority(options.url).find('@') != std::string_view::npos) {
        throw Error(ErrorCode::config, _("smtp url must not hold a user or password: set the smtp user and password apart"));
    }
    if (url_host(options.url).empty()) {
        throw Error(ErrorCode::config, _("smtp url names no host"));
    }
    if (options.tls == "implicit" && !tls_scheme) {
        throw Error(ErrorCode::config, _("smtp tls 'implicit' needs an 'smtps://' url"));
    }
    if ((options.tls == "starttls" || options.tls == "none") && !plain_scheme) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("smtp tls '{}' needs an 'smtp://' url (use tls 'implicit' for 'smtps://')"), options.tls));
    }
    if (options.tls != "starttls" && options.tls != "implicit" && options.tls != "none") {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("smtp tls '{}' is not one of 'starttls', 'implicit', 'none'"), options.tls));
    }
    if (options.tls == "none" && (!is_loopback_host(url_host(options.url)) || !options.password.empty())) {
        // Letters carry passwords and PINs: in clear only to a server on this machine, and never AUTH.
        throw Error(ErrorCode::config, _("smtp tls 'none' is allowed only for a server on this machine and without "
                                       "a password: use 'starttls' or 'implicit'"));
    }
    if (options.timeout_seconds <= 0) {
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("smtp timeout '{}' must be a positive number of seconds"),
                                                   options.timeout_seconds));
    }
    for (const char character : options.helo_domain) {
        const bool allowed = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z')
                          || (character >= '0' && character <= '9') || character == '.' || character == '-';
        if (!allowed) {
            throw Error(ErrorCode::config, credenza::i18n::format(_fmt("smtp helo domain '{}' is not a host name"), options.helo_domain));
        }
    }
}

// curl sends the URL's path as the EHLO name.
std::string url_with_helo(const SmtpOptions& options)
{
    std::string url = options.url;
    const auto scheme_end = url.find("://") + 3;
    const bool has_path = url.find('/', scheme_end) != std::string::npos;
    if (!options.helo_domain.empty()) {
        if (has_path) {
            url.erase(url.find('/', scheme_end));
        }
        url += "/" + options.helo_domain;
    }
    return url;
}

void require_envelope_address(std::string_view role, std::string_view address)
{
    bool bad = address.empty() || address.find('@') == std::string_view::npos;
    for (const char byte : address) {
        // A CR or LF here would let the address write SMTP commands of its own.
        bad = bad || util::is_ascii_control(byte)
           || std::string_view(" <>").find(byte) != std::string_view::npos;
    }
    if (bad) {
        throw Error(ErrorCode::bad_input, credenza::i18n::format(_fmt("envelope {} address is not a bare e-mail address"), role));
    }
}

bool is_reply_code(std::string_view line)
{
    return line.size() >= 3 && line[0] >= '2' && line[0] <= '5' && line[1] >= '0' && line[1] <= '9'
        && line[2] >= '0' && line[2] <= '9';
}

} // namespace

std::string url_host(std::string_view url)
{
    std::string_view host = authority(url);
    if (const auto at = host.rfind('@'); at != std::string_view::npos) {
        host.remove_prefix(at + 1);
    }
    if (host.starts_with('[')) {
        return std::string(host.substr(0, host.find(']') + 1));
    }
    return std::string(host.substr(0, host.find(':')));
}

bool is_loopback_host(std::string_view host)
{
    return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

void global_init()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl().global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw Error(ErrorCode::internal, _("cannot initialise libcurl"));
        }
    });
}

struct SmtpTransport::State
{
    CURL* handle = nullptr;
    char error[CURL_ERROR_SIZE] = {};
    std::string url;

    // The message being uploaded.
    std::string_view upload;
    std::size_t uploaded = 0;

    // The server's replies, assembled from the lines libcurl shows its debug callback.
    std::string pending_bytes;
    std::string reply_in_progress;
    std::string last_reply;
    int last_code = 0;
    // The refusal that ended the transfer: kept past the "221 Bye" that follows it when curl
    // closes the connection, cleared by any later success (curl's EHLO -> HELO fallback).
    std::string refusal_reply;
    int refusal_code = 0;
    // The verb of the command the refusal answered ("MAIL", "AUTH", ...): never its argument.
    std::string command;
    std::string refusal_command;

    void reset_transfer(std::string_view message)
    {
        upload = message;
        uploaded = 0;
        pending_bytes.clear();
        reply_in_progress.clear();
        last_reply.clear();
        last_code = 0;
        refusal_reply.clear();
        refusal_code = 0;
        command.clear();
        refusal_command.clear();
        error[0] = '\0';
    }

    void take_command(std::string_view line)
    {
        // Only the verbs curl sends; AUTH's continuation lines (the credentials) are never kept.
        for (const std::string_view verb : {"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"}) {
            if (line.starts_with(verb)) {
                command = std::string(verb);
                return;
            }
        }
    }

    // "250-first" ... "250 last" becomes one line "250 first last".
    void take_line(std::string_view line)
    {
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
            line.remove_suffix(1);
        }
        if (!is_reply_code(line)) {
            return;
        }
        const bool more = line.size() > 3 && line[3] == '-';
        const std::string_view text = line.size() > 4 ? line.substr(4) : std::string_view();
        if (reply_in_progress.empty()) {
            reply_in_progress = std::string(line.substr(0, 3));
        }
        if (!text.empty() && reply_in_progress.size() < k_max_reply) {
            reply_in_progress += ' ';
            reply_in_progress += text;
        }
        if (!more) {
            last_code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            last_reply = reply_in_progress.substr(0, k_max_reply);
            for (char& character : last_reply) {
                if (util::is_ascii_control(character)) {
                    character = ' ';
                }
            }
            reply_in_progress.clear();
            if (last_code >= 400) {
                refusal_code = last_code;
                refusal_reply = last_reply;
                refusal_command = command;
            } else if (last_code != 221) {
                refusal_code = 0;
                refusal_reply.clear();
                refusal_command.clear();
            }
        }
    }

    static int on_debug(CURL* /*handle*/, curl_infotype type, char* data, std::size_t size, void* user)
    {
        // What the server says; of what we send (it holds AUTH and the letter) only the verb.
        auto& state = *static_cast<State*>(user);
        if (type == CURLINFO_HEADER_OUT) {
            state.take_command(std::string_view(data, size));
            return 0;
        }
        if (type != CURLINFO_HEADER_IN) {
            return 0;
        }
        state.pending_bytes.append(data, size);
        for (auto end = state.pending_bytes.find('\n'); end != std::string::npos;
             end = state.pending_bytes.find('\n')) {
            state.take_line(std::string_view(state.pending_bytes).substr(0, end + 1));
            state.pending_bytes.erase(0, end + 1);
        }
        return 0;
    }

    static std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user)
    {
        auto& state = *static_cast<State*>(user);
        const std::size_t length = std::min(size * count, state.upload.size() - state.uploaded);
        std::memcpy(buffer, state.upload.data() + state.uploaded, length);
        state.uploaded += length;
        return length;
    }

    std::string curl_error(CURLcode code) const
    {
        return error[0] != '\0' ? std::string(error) : std::string(curl().easy_strerror(code));
    }
};

namespace {

template <typename Value>
void set_option(CURL* handle, CURLoption option, Value value, std::string_view name)
{
    const CURLcode result = curl().easy_setopt(handle, option, value);
    if (result != CURLE_OK) {
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("cannot set smtp option '{}': {}"), name, curl().easy_strerror(result)));
    }
}

} // namespace

SmtpTransport::SmtpTransport(SmtpOptions options) : m_options(options), m_state(std::make_unique<State>())
{
    // The caller's copy is theirs to wipe; this parameter's copy is ours.
    sodium_memzero(options.password.data(), options.password.size());
    try {
        open();
    } catch (...) {
        // No destructor runs for a half-built object: clean up as it would.
        close();
        throw;
    }
}

SmtpTransport::~SmtpTransport()
{
    close();
}

void SmtpTransport::open()
{
    validate(m_options);
    global_init();

    m_state->url = url_with_helo(m_options);
    m_state->handle = curl().easy_init();
    CURL* handle = m_state->handle;
    if (handle == nullptr) {
        throw Error(ErrorCode::internal, _("cannot create a libcurl handle"));
    }
    set_option(handle, CURLOPT_URL, m_state->url.c_str(), "url");
    set_option(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps", "protocols");
    set_option(handle, CURLOPT_USE_SSL, static_cast<long>(m_options.tls == "none" ? CURLUSESSL_NONE : CURLUSESSL_ALL),
               "tls");
    if (!m_options.user.empty()) {
        set_option(handle, CURLOPT_USERNAME, m_options.user.c_str(), "user");
        set_option(handle, CURLOPT_PASSWORD, m_options.password.c_str(), "password");
    }
    if (!m_options.ca_file.empty()) {
        set_option(handle, CURLOPT_CAINFO, m_options.ca_file.c_str(), "ca_file");
    }
    set_option(handle, CURLOPT_SSL_VERIFYPEER, m_options.verify_peer ? 1L : 0L, "verify_peer");
    set_option(handle, CURLOPT_SSL_VERIFYHOST, m_options.verify_peer ? 2L : 0L, "verify_peer");
    set_option(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(m_options.timeout_seconds), "timeout");
    set_option(handle, CURLOPT_TIMEOUT, static_cast<long>(m_options.timeout_seconds), "timeout");
    set_option(handle, CURLOPT_NOSIGNAL, 1L, "nosignal");
    set_option(handle, CURLOPT_UPLOAD, 1L, "upload");
    set_option(handle, CURLOPT_READFUNCTION, &State::on_read, "read function");
    set_option(handle, CURLOPT_READDATA, m_state.get(), "read data");
    set_option(handle, CURLOPT_ERRORBUFFER, m_state->error, "error buffer");
    // Verbose only so the debug callback sees the server's replies; it prints nothing.
    set_option(handle, CURLOPT_DEBUGFUNCTION, &State::on_debug, "debug function");
    set_option(handle, CURLOPT_DEBUGDATA, m_state.get(), "debug data");
    set_option(handle, CURLOPT_VERBOSE, 1L, "verbose");
}

void SmtpTransport::close() noexcept
{
    if (m_state && m_state->handle != nullptr) {
        curl().easy_cleanup(m_state->handle); // sends QUIT on an open connection
        m_state->handle = nullptr;
    }
    sodium_memzero(m_options.password.data(), m_options.password.size());
}

Delivery SmtpTransport::deliver(const Envelope& envelope, std::string_view message)
{
    require_envelope_address("sender", envelope.from);
    require_envelope_address("recipient", envelope.to);
    State& state = *m_state;
    CURL* handle = state.handle;

    const std::string from = "<" + envelope.from + ">";
    const std::string to = "<" + envelope.to + ">";
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients(curl().slist_append(nullptr, to.c_str()),
                                                                          curl().slist_free_all);
    if (!recipients) {
        throw Error(ErrorCode::internal, _("out of memory building the recipient list"));
    }
    state.reset_transfer(message);
    set_option(handle, CURLOPT_MAIL_FROM, from.c_str(), "mail from");
    set_option(handle, CURLOPT_MAIL_RCPT, recipients.get(), "mail rcpt");
    set_option(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()), "size");

    const CURLcode result = curl().easy_perform(handle);
    // libcurl keeps the pointer; the list dies with this call.
    curl().easy_setopt(handle, CURLOPT_MAIL_RCPT, static_cast<curl_slist*>(nullptr));

    if (result == CURLE_OK) {
        return Delivery{classify(state.last_code, state.last_reply), state.last_code, state.last_reply, ""};
    }
    return failure(result);
}

// What a failed transfer means: a setting to fix, a server out of reach, or the server's refusal.
Delivery SmtpTransport::failure(int code)
{
    State& state = *m_state;
    const auto result = static_cast<CURLcode>(code);
    const auto misconfigured = [&](std::string_view setting) {
        return Delivery{Outcome::misconfigured, state.refusal_code,
                        state.refusal_code != 0 ? state.refusal_reply : state.curl_error(result), std::string(setting)};
    };
    switch (result) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_FAILED_INIT:
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("cannot use the smtp server: {}"), state.curl_error(result)));
    case CURLE_COULDNT_RESOLVE_HOST:
        return misconfigured("smtp.url");
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_PEER_FAILED_VERIFICATION:
        return misconfigured("smtp.ca_file");
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_USE_SSL_FAILED:
        return misconfigured("smtp.tls");
    case CURLE_LOGIN_DENIED:
        // Refused credentials (530/534/535), or no AUTH mechanism both sides know.
        return misconfigured("smtp.user");
    case CURLE_COULDNT_CONNECT:
        if (state.last_code == 0) {
            return Delivery{Outcome::unavailable, 0, state.curl_error(result), ""};
        }
        break;
    default:
        break;
    }
    if (state.refusal_code == 530 || state.refusal_code == 534 || state.refusal_code == 535) {
        return misconfigured("smtp.user"); // "authentication required", "mechanism too weak", "credentials invalid"
    }
    if (state.refusal_command == "MAIL" && state.refusal_code >= 500
        && classify(state.refusal_code, state.refusal_reply) == Outcome::failed) {
        return misconfigured("mail.from"); // the server does not accept this sender
    }
    if (state.refusal_code != 0) {
        return Delivery{classify(state.refusal_code, state.refusal_reply), state.refusal_code, state.refusal_reply, ""};
    }
    // No refusal to go by: the connection failed, dropped or timed out.
    return Delivery{Outcome::deferred, 0, state.curl_error(result), ""};
}

namespace {

// Sends one command on a connect-only handle and reads its reply (a multi-line reply in full);
// false when the connection failed or timed out.
bool converse(CURL* handle, const std::string& command, int timeout_seconds, std::string& reply)
{
    curl_socket_t socket = CURL_SOCKET_BAD;
    if (curl().easy_getinfo(handle, CURLINFO_ACTIVESOCKET, &socket) != CURLE_OK || socket == CURL_SOCKET_BAD) {
        return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    const auto wait = [&](short events) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return false;
        }
        pollfd descriptor{socket, events, 0};
        return ::poll(&descriptor, 1, static_cast<int>(left.count())) > 0;
    };
    for (std::size_t sent = 0; sent < command.size();) {
        std::size_t written = 0;
        const CURLcode result = curl().easy_send(handle, command.data() + sent, command.size() - sent, &written);
        if (result == CURLE_AGAIN) {
            if (!wait(POLLOUT)) {
                return false;
            }
            continue;
        }
        if (result != CURLE_OK) {
            return false;
        }
        sent += written;
    }
    std::string received;
    while (true) {
        // A complete reply ends with a line "NNN text" (a space, not a dash, after the code).
        const auto last_start = received.size() >= 2 ? received.rfind('\n', received.size() - 2) : std::string::npos;
        const std::string_view last = std::string_view(received).substr(last_start == std::string::npos ? 0 : last_start + 1);
        if (!received.empty() && received.back() == '\n' && is_reply_code(last) && (last.size() < 4 || last[3] != '-')) {
            break;
        }
        char buffer[512];
        std::size_t got = 0;
        const CURLcode result = curl().easy_recv(handle, buffer, sizeof buffer, &got);
        if (result == CURLE_AGAIN) {
            if (!wait(POLLIN)) {
                return false;
            }
            continue;
        }
        if (result != CURLE_OK || got == 0 || received.size() > 4 * k_max_reply) {
            return false;
        }
        received.append(buffer, got);
    }
    reply = std::move(received);
    return true;
}

} // namespace

Delivery SmtpTransport::probe(std::string_view sender)
{
    require_envelope_address("sender", sender);
    State& state = *m_state;
    state.reset_transfer({});
    // A handle of its own: a connect-only connection is never reused for letters.
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl().easy_duphandle(state.handle), curl().easy_cleanup);
    if (!handle) {
        throw Error(ErrorCode::internal, _("cannot create a libcurl handle"));
    }
    set_option(handle.get(), CURLOPT_UPLOAD, 0L, "upload");
    set_option(handle.get(), CURLOPT_CONNECT_ONLY, 1L, "connect only");
    // Connects, greets, STARTTLS, verifies the certificate and authenticates.
    const CURLcode result = curl().easy_perform(handle.get());
    if (result != CURLE_OK) {
        return failure(result);
    }
    std::string reply;
    const auto command = fmt::format("MAIL FROM:<{}>\r\n", sender);
    if (!converse(handle.get(), command, m_options.timeout_seconds, reply)) {
        return Delivery{Outcome::deferred, 0, "the server did not answer MAIL FROM in time", ""};
    }
    state.command = "MAIL";
    for (std::size_t start = 0; start < reply.size();) {
        const auto end = reply.find('\n', start);
        state.take_line(std::string_view(reply).substr(start, end == std::string::npos ? std::string::npos : end - start + 1));
        start = end == std::string::npos ? reply.size() : end + 1;
    }
    std::string ignored;
    converse(handle.get(), "RSET\r\n", m_options.timeout_seconds, ignored);
    converse(handle.get(), "QUIT\r\n", m_options.timeout_seconds, ignored);
    if (state.last_code >= 200 && state.last_code < 300) {
        return Delivery{Outcome::sent, state.last_code, state.last_reply, ""};
    }
    return failure(CURLE_SEND_ERROR);
}

} // namespace credenza::mail
