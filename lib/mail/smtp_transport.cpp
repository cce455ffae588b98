#include <credenza/mail/transport.hpp>

#include <credenza/error.hpp>

#include <credenza/util/text.hpp>

#include <curl/curl.h>
#include <fmt/format.h>
#include <sodium.h>

#include <cstring>
#include <mutex>

namespace credenza::mail {

namespace {

constexpr std::size_t k_max_reply = 512;

// Everything after "smtp://" or "smtps://" up to the path: where "user:password@" would sit.
std::string_view authority(std::string_view url)
{
    const auto scheme_end = url.find("://");
    const std::string_view rest = url.substr(scheme_end + 3);
    return rest.substr(0, rest.find('/'));
}

void validate(const SmtpOptions& options)
{
    const bool plain_scheme = options.url.starts_with("smtp://");
    const bool tls_scheme = options.url.starts_with("smtps://");
    if (!plain_scheme && !tls_scheme) {
        // The url is not echoed: a misplaced password could be in it.
        throw Error(ErrorCode::config, "smtp url must start with 'smtp://' or 'smtps://'");
    }
    if (authority(options.url).find('@') != std::string_view::npos) {
        throw Error(ErrorCode::config, "smtp url must not hold a user or password: set the smtp user and password apart");
    }
    if (authority(options.url).empty()) {
        throw Error(ErrorCode::config, fmt::format("smtp url '{}' names no host", options.url));
    }
    if (options.tls == "implicit" && !tls_scheme) {
        throw Error(ErrorCode::config, fmt::format("smtp tls 'implicit' needs an 'smtps://' url, not '{}'", options.url));
    }
    if ((options.tls == "starttls" || options.tls == "none") && !plain_scheme) {
        throw Error(ErrorCode::config,
                    fmt::format("smtp tls '{}' needs an 'smtp://' url, not '{}' (use tls 'implicit')", options.tls,
                                options.url));
    }
    if (options.tls != "starttls" && options.tls != "implicit" && options.tls != "none") {
        throw Error(ErrorCode::config,
                    fmt::format("smtp tls '{}' is not one of 'starttls', 'implicit', 'none'", options.tls));
    }
    if (options.timeout_seconds <= 0) {
        throw Error(ErrorCode::config, fmt::format("smtp timeout '{}' must be a positive number of seconds",
                                                   options.timeout_seconds));
    }
    for (const char character : options.helo_domain) {
        const bool allowed = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z')
                          || (character >= '0' && character <= '9') || character == '.' || character == '-';
        if (!allowed) {
            throw Error(ErrorCode::config, fmt::format("smtp helo domain '{}' is not a host name", options.helo_domain));
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
        throw Error(ErrorCode::bad_input, fmt::format("envelope {} address is not a bare e-mail address", role));
    }
}

bool is_reply_code(std::string_view line)
{
    return line.size() >= 3 && line[0] >= '2' && line[0] <= '5' && line[1] >= '0' && line[1] <= '9'
        && line[2] >= '0' && line[2] <= '9';
}

} // namespace

void global_init()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw Error(ErrorCode::internal, "cannot initialise libcurl");
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
        error[0] = '\0';
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
            } else if (last_code != 221) {
                refusal_code = 0;
                refusal_reply.clear();
            }
        }
    }

    static int on_debug(CURL* /*handle*/, curl_infotype type, char* data, std::size_t size, void* user)
    {
        // Only what the server says: what we send (HEADER_OUT, DATA_OUT) holds AUTH and the letter.
        if (type != CURLINFO_HEADER_IN) {
            return 0;
        }
        auto& state = *static_cast<State*>(user);
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
        return error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(code));
    }
};

namespace {

template <typename Value>
void set_option(CURL* handle, CURLoption option, Value value, std::string_view name)
{
    const CURLcode result = curl_easy_setopt(handle, option, value);
    if (result != CURLE_OK) {
        throw Error(ErrorCode::config, fmt::format("cannot set smtp option '{}': {}", name, curl_easy_strerror(result)));
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
    m_state->handle = curl_easy_init();
    CURL* handle = m_state->handle;
    if (handle == nullptr) {
        throw Error(ErrorCode::internal, "cannot create a libcurl handle");
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
        curl_easy_cleanup(m_state->handle); // sends QUIT on an open connection
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
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients(curl_slist_append(nullptr, to.c_str()),
                                                                          &curl_slist_free_all);
    if (!recipients) {
        throw Error(ErrorCode::internal, "out of memory building the recipient list");
    }
    state.reset_transfer(message);
    set_option(handle, CURLOPT_MAIL_FROM, from.c_str(), "mail from");
    set_option(handle, CURLOPT_MAIL_RCPT, recipients.get(), "mail rcpt");
    set_option(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()), "size");

    const CURLcode result = curl_easy_perform(handle);
    // libcurl keeps the pointer; the list dies with this call.
    curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, static_cast<curl_slist*>(nullptr));

    if (result == CURLE_OK) {
        return Delivery{classify(state.last_code, state.last_reply), state.last_code, state.last_reply};
    }
    switch (result) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_FAILED_INIT:
        throw Error(ErrorCode::config, fmt::format("cannot use smtp server '{}': {}", m_state->url,
                                                   state.curl_error(result)));
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
        if (state.last_code == 0) {
            return Delivery{Outcome::unavailable, 0, state.curl_error(result)};
        }
        break;
    case CURLE_LOGIN_DENIED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_PEER_FAILED_VERIFICATION:
        // Wrong credentials or TLS that cannot be had: every letter would meet the same fate.
        return Delivery{Outcome::paused, state.refusal_code,
                        state.refusal_code != 0 ? state.refusal_reply : state.curl_error(result)};
    default:
        break;
    }
    if (state.refusal_code != 0) {
        return Delivery{classify(state.refusal_code, state.refusal_reply), state.refusal_code, state.refusal_reply};
    }
    // No refusal to go by: the connection failed, dropped or timed out.
    return Delivery{Outcome::deferred, 0, state.curl_error(result)};
}

} // namespace credenza::mail
