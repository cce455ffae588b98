#include <credenza/bounces/mailbox.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <tuple>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <curl/curl.h>
#include <sodium.h>
#include <sys/stat.h>

#include <credenza/error.hpp>
#include <credenza/mail/transport.hpp>

#include "i18n/gettext.hpp"
#include "mail/curl_api.hpp"

namespace credenza::bounces {

using mail::detail::curl;

namespace {

constexpr std::size_t k_max_message = 32 * 1024 * 1024; // a report bigger than this is not read whole

// "imaps://host:993/INBOX" -> {"imaps://host:993/", "INBOX"}
std::pair<std::string, std::string> split_url(const std::string& url)
{
    const auto scheme_end = url.find("://");
    const auto path = scheme_end == std::string::npos ? std::string::npos : url.find('/', scheme_end + 3);
    if (path == std::string::npos) {
        return {url + "/", "INBOX"};
    }
    std::string mailbox = url.substr(path + 1);
    if (mailbox.empty()) {
        mailbox = "INBOX";
    }
    return {url.substr(0, path + 1), mailbox};
}

std::string url_escape(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '.' || c == '/') {
            out += c;
        } else {
            constexpr const char* hex = "0123456789ABCDEF";
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 15];
        }
    }
    return out;
}

void validate(const ImapOptions& options)
{
    const bool plain_scheme = options.url.starts_with("imap://");
    const bool tls_scheme = options.url.starts_with("imaps://");
    if (!plain_scheme && !tls_scheme) {
        throw Error(ErrorCode::config, _("imap url must start with 'imap://' or 'imaps://'"));
    }
    if (mail::url_host(options.url).empty()) {
        throw Error(ErrorCode::config, _("imap url names no host"));
    }
    if (options.tls == "implicit" && !tls_scheme) {
        throw Error(ErrorCode::config, _("imap tls 'implicit' needs an 'imaps://' url (or set tls 'starttls')"));
    }
    if ((options.tls == "starttls" || options.tls == "none") && !plain_scheme) {
        throw Error(ErrorCode::config,
                    i18n::format(_fmt("imap tls '{}' needs an 'imap://' url (use tls 'implicit' for 'imaps://')"),
                                 options.tls));
    }
    if (options.tls != "starttls" && options.tls != "implicit" && options.tls != "none") {
        throw Error(ErrorCode::config,
                    i18n::format(_fmt("imap tls '{}' is not one of 'implicit', 'starttls', 'none'"), options.tls));
    }
    if (options.tls == "none" && (!mail::is_loopback_host(mail::url_host(options.url)) || !options.password.empty())) {
        throw Error(ErrorCode::config, _("imap tls 'none' is allowed only for a server on this machine and without "
                                         "a password: use 'implicit' or 'starttls'"));
    }
}

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user)
{
    auto& out = *static_cast<std::string*>(user);
    const std::size_t bytes = size * count;
    if (out.size() + bytes > k_max_message) {
        return 0; // stops the transfer: CURLE_WRITE_ERROR
    }
    out.append(data, bytes);
    return bytes;
}

template <typename Value>
void set_option(CURL* handle, CURLoption option, Value value)
{
    if (curl().easy_setopt(handle, option, value) != CURLE_OK) {
        throw Error(ErrorCode::internal, "cannot set a libcurl option for imap");
    }
}

std::vector<std::uint32_t> numbers_after(std::string_view text, std::string_view keyword)
{
    std::vector<std::uint32_t> numbers;
    std::size_t at = 0;
    while ((at = text.find(keyword, at)) != std::string_view::npos) {
        at += keyword.size();
        const auto end = text.find('\n', at);
        std::string_view line = text.substr(at, (end == std::string_view::npos ? text.size() : end) - at);
        std::size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && (line[i] < '0' || line[i] > '9')) {
                ++i;
            }
            std::uint32_t value = 0;
            const auto [next, error] = std::from_chars(line.data() + i, line.data() + line.size(), value);
            if (error == std::errc() && next != line.data() + i) {
                numbers.push_back(value);
                i = static_cast<std::size_t>(next - line.data());
            } else {
                ++i;
            }
        }
    }
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    return numbers;
}

// The Error of a failed IMAP command, with what libcurl said, for the probe to sort.
class ImapFailure final : public Error
{
public:
    ImapFailure(ErrorCode code, const std::string& message, CURLcode result, std::string why)
        : Error(code, message), m_result(result), m_why(std::move(why))
    {
    }
    CURLcode result() const noexcept { return m_result; }
    const std::string& why() const noexcept { return m_why; }

private:
    CURLcode m_result;
    std::string m_why;
};

// The count of "* N EXISTS" in the untagged replies of a SELECT or EXAMINE; -1 when none.
int exists_count(std::string_view replies)
{
    std::size_t start = 0;
    while (start < replies.size()) {
        auto end = replies.find('\n', start);
        if (end == std::string_view::npos) {
            end = replies.size();
        }
        std::string_view line = replies.substr(start, end - start);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.remove_suffix(1);
        }
        constexpr std::string_view suffix = " EXISTS";
        if (line.starts_with("* ") && line.ends_with(suffix)) {
            const std::string_view number = line.substr(2, line.size() - 2 - suffix.size());
            int value = 0;
            const auto [next, error] = std::from_chars(number.data(), number.data() + number.size(), value);
            if (error == std::errc() && next == number.data() + number.size()) {
                return value;
            }
        }
        start = end + 1;
    }
    return -1;
}

// CURLOPT_DEBUGFUNCTION: the first refusal the server sent ("NO Mailbox doesn't exist: X"), without
// its tag, printable ASCII only. Lines sent to the server are never looked at.
int on_debug(CURL* /*handle*/, curl_infotype type, char* data, std::size_t size, void* user)
{
    if (type != CURLINFO_HEADER_IN || user == nullptr) {
        return 0;
    }
    std::string_view line(data, size);
    if (line.starts_with("* ") || line.starts_with("+")) {
        return 0; // untagged data and continuations: not the answer
    }
    const auto space = line.find(' ');
    if (space == std::string_view::npos) {
        return 0;
    }
    line.remove_prefix(space + 1);
    auto& kept = *static_cast<std::string*>(user);
    if (!kept.empty() || !(line.starts_with("NO ") || line.starts_with("BAD "))) {
        return 0; // not a refusal (the OK of the LOGOUT that follows one), or not the first
    }
    std::string answer;
    for (const char c : line.substr(0, 200)) {
        if (c >= ' ' && c <= '~') {
            answer += c;
        }
    }
    while (!answer.empty() && answer.back() == ' ') {
        answer.pop_back();
    }
    kept = std::move(answer);
    return 0;
}

// A mailbox name as an IMAP quoted string; "" when it holds a control character.
std::string quoted_mailbox(std::string_view name)
{
    std::string out = "\"";
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return "";
        }
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + '"';
}

std::string imap_date(TimePoint when)
{
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    return fmt::format("{}-{}-{}", utc.tm_mday, months[utc.tm_mon], utc.tm_year + 1900);
}

class ImapMailbox final : public Mailbox
{
public:
    explicit ImapMailbox(ImapOptions options) : m_options(std::move(options))
    {
        try {
            open();
        } catch (...) {
            // No destructor runs for a half-built object: clean up as it would.
            close();
            throw;
        }
    }

    ~ImapMailbox() override { close(); }
    ImapMailbox(const ImapMailbox&) = delete;
    ImapMailbox& operator=(const ImapMailbox&) = delete;

    // The folder of the url opened read-only (EXAMINE: nothing changes, not even \Recent); its replies.
    std::string examine()
    {
        const std::string name = quoted_mailbox(m_mailbox);
        if (name.empty()) {
            const std::string problem = _("the folder name holds a control character");
            throw ImapFailure(ErrorCode::config, problem, CURLE_QUOTE_ERROR, problem);
        }
        // libcurl says only "Quote command returned error" when the server refuses: keep the server's
        // own answer (the lines it sends; never those sent to it, the login among them).
        std::string answer;
        set_option(m_handle, CURLOPT_DEBUGFUNCTION, &on_debug);
        set_option(m_handle, CURLOPT_DEBUGDATA, &answer);
        set_option(m_handle, CURLOPT_VERBOSE, 1L);
        const auto quiet = [this] {
            curl().easy_setopt(m_handle, CURLOPT_VERBOSE, 0L);
            curl().easy_setopt(m_handle, CURLOPT_DEBUGDATA, nullptr);
        };
        try {
            std::string replies = request(m_root, ("EXAMINE " + name).c_str());
            quiet();
            return replies;
        } catch (const ImapFailure& failure) {
            quiet();
            if (failure.result() == CURLE_QUOTE_ERROR && !answer.empty()) {
                throw ImapFailure(failure.code(), failure.what(), failure.result(), answer);
            }
            throw;
        }
    }

    std::vector<std::uint32_t> message_uids() override
    {
        return numbers_after(request(mailbox_url(m_mailbox), "UID SEARCH ALL"), "* SEARCH");
    }

private:
    void open()
    {
        validate(m_options);
        mail::global_init();
        std::tie(m_root, m_mailbox) = split_url(m_options.url);
        m_handle = curl().easy_init();
        if (m_handle == nullptr) {
            throw Error(ErrorCode::internal, "cannot create a libcurl handle");
        }
        set_option(m_handle, CURLOPT_PROTOCOLS_STR, "imap,imaps");
        set_option(m_handle, CURLOPT_USE_SSL,
                   static_cast<long>(m_options.tls == "none" ? CURLUSESSL_NONE : CURLUSESSL_ALL));
        if (!m_options.user.empty()) {
            set_option(m_handle, CURLOPT_USERNAME, m_options.user.c_str());
            set_option(m_handle, CURLOPT_PASSWORD, m_options.password.c_str());
        }
        if (!m_options.ca_file.empty()) {
            set_option(m_handle, CURLOPT_CAINFO, m_options.ca_file.c_str());
        }
        set_option(m_handle, CURLOPT_SSL_VERIFYPEER, m_options.verify_peer ? 1L : 0L);
        set_option(m_handle, CURLOPT_SSL_VERIFYHOST, m_options.verify_peer ? 2L : 0L);
        set_option(m_handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(m_options.timeout_seconds));
        set_option(m_handle, CURLOPT_TIMEOUT, static_cast<long>(m_options.timeout_seconds));
        set_option(m_handle, CURLOPT_NOSIGNAL, 1L);
        set_option(m_handle, CURLOPT_WRITEFUNCTION, &on_write);
        set_option(m_handle, CURLOPT_WRITEDATA, &m_out);
        set_option(m_handle, CURLOPT_ERRORBUFFER, m_error);
        // Checks the connection, TLS and the login at once, before any message is looked at.
        m_capabilities = request(m_root, "CAPABILITY");
    }

    void close() noexcept
    {
        if (m_handle != nullptr) {
            curl().easy_cleanup(m_handle);
            m_handle = nullptr;
        }
        wipe();
    }

public:
    std::string fetch(std::uint32_t uid) override
    {
        return request(mailbox_url(m_mailbox) + ";UID=" + std::to_string(uid), nullptr);
    }

    void ensure_folder(std::string_view folder) override
    {
        const std::string listed = request(m_root, fmt::format("LIST \"\" \"{}\"", folder).c_str());
        if (listed.find("* LIST") == std::string::npos) {
            request(m_root, fmt::format("CREATE \"{}\"", folder).c_str());
        }
    }

    void move(std::uint32_t uid, std::string_view folder) override
    {
        const std::string url = mailbox_url(m_mailbox);
        if (m_capabilities.find("MOVE") != std::string::npos) {
            request(url, fmt::format("UID MOVE {} \"{}\"", uid, folder).c_str());
            return;
        }
        // RFC 3501 without MOVE: a copy, then the original flagged and expunged (UIDPLUS: only it).
        request(url, fmt::format("UID COPY {} \"{}\"", uid, folder).c_str());
        request(url, fmt::format("UID STORE {} +FLAGS.SILENT (\\Deleted)", uid).c_str());
        request(url, m_capabilities.find("UIDPLUS") != std::string::npos ? fmt::format("UID EXPUNGE {}", uid).c_str()
                                                                          : "EXPUNGE");
    }

    int purge(std::string_view folder, TimePoint before) override
    {
        const std::string url = mailbox_url(folder);
        const auto uids = numbers_after(request(url, fmt::format("UID SEARCH BEFORE {}", imap_date(before)).c_str()),
                                        "* SEARCH");
        if (uids.empty()) {
            return 0;
        }
        std::string set;
        for (const auto uid : uids) {
            if (!set.empty()) {
                set += ',';
            }
            set += std::to_string(uid);
        }
        request(url, fmt::format("UID STORE {} +FLAGS.SILENT (\\Deleted)", set).c_str());
        request(url, m_capabilities.find("UIDPLUS") != std::string::npos ? fmt::format("UID EXPUNGE {}", set).c_str()
                                                                          : "EXPUNGE");
        return static_cast<int>(uids.size());
    }

private:
    std::string mailbox_url(std::string_view mailbox) const { return m_root + url_escape(mailbox); }

    // One command (a custom request, or a plain fetch when `command` is null); its output.
    std::string request(const std::string& url, const char* command)
    {
        m_out.clear();
        m_error[0] = '\0';
        set_option(m_handle, CURLOPT_URL, url.c_str());
        set_option(m_handle, CURLOPT_CUSTOMREQUEST, command);
        const CURLcode result = curl().easy_perform(m_handle);
        if (result != CURLE_OK) {
            fail(result, command);
        }
        return std::move(m_out);
    }

    [[noreturn]] void fail(CURLcode result, const char* command)
    {
        const std::string why = m_error[0] != '\0' ? std::string(m_error) : std::string(curl().easy_strerror(result));
        const auto [code, message] = failure_message(result, command, why);
        throw ImapFailure(code, message, result, why);
    }

    std::pair<ErrorCode, std::string> failure_message(CURLcode result, const char* command, const std::string& why) const
    {
        switch (result) {
        case CURLE_LOGIN_DENIED:
            return {ErrorCode::config,
                    i18n::format(_fmt("the imap server refused the login of '{}' or the mailbox '{}': {}: check "
                                      "[imap] user, password_file and url"),
                                 m_options.user, m_mailbox, why)};
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_USE_SSL_FAILED:
            return {ErrorCode::config,
                    i18n::format(_fmt("cannot trust the imap server's certificate or TLS: {}: check [imap] url, "
                                      "tls and ca_file"),
                                 why)};
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
            return {ErrorCode::config, i18n::format(_fmt("cannot use the imap server: {}: check [imap] url"), why)};
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_SSL_CONNECT_ERROR:
            return {ErrorCode::temporary, i18n::format(_fmt("cannot reach the imap server: {}: try again later"), why)};
        default:
            break;
        }
        return {ErrorCode::temporary,
                i18n::format(_fmt("the imap server did not do '{}': {}"),
                             command == nullptr ? std::string("FETCH") : std::string(command).substr(0, 40), why)};
    }

    void wipe() noexcept { sodium_memzero(m_options.password.data(), m_options.password.size()); }

    ImapOptions m_options;
    std::string m_root;
    std::string m_mailbox;
    CURL* m_handle = nullptr;
    std::string m_out;
    std::string m_capabilities;
    char m_error[CURL_ERROR_SIZE] = {};
};

std::string read_password_file(const std::string& path)
{
    struct stat info{};
    if (::stat(path.c_str(), &info) != 0) {
        throw Error(ErrorCode::config, i18n::format(_fmt("cannot read [imap] password_file '{}': {}"), path,
                                                    std::strerror(errno)));
    }
    if ((info.st_mode & 077) != 0) {
        throw Error(ErrorCode::config, i18n::format(_fmt("[imap] password_file '{}' is readable by other users: "
                                                         "chmod 600 '{}'"),
                                                    path, path));
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    if (!in && !in.eof()) {
        throw Error(ErrorCode::config, i18n::format(_fmt("cannot read [imap] password_file '{}'"), path));
    }
    std::string password = content.str();
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
        password.pop_back();
    }
    return password;
}

} // namespace

bool is_folder_name(std::string_view name)
{
    return !name.empty() && name.size() <= 100 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '.'
            || c == '_' || c == '-' || c == '/';
    });
}

ImapOptions imap_options(const config::ImapSettings& settings)
{
    if (settings.url.empty()) {
        throw Error(ErrorCode::config, _("no bounce mailbox is configured: set [imap] url (and user, password_file)"));
    }
    ImapOptions options;
    options.url = settings.url;
    options.tls = settings.tls;
    options.user = settings.user;
    if (!settings.password_file.empty()) {
        options.password = read_password_file(settings.password_file);
    }
    options.ca_file = settings.ca_file;
    options.verify_peer = settings.verify_peer;
    options.timeout_seconds = settings.timeout_seconds;
    return options;
}

std::unique_ptr<Mailbox> open_imap_mailbox(ImapOptions options)
{
    return std::make_unique<ImapMailbox>(std::move(options));
}

MailboxProbe probe_imap_mailbox(ImapOptions options, bool connect)
{
    struct Wipe
    {
        std::string& password;
        ~Wipe() { sodium_memzero(password.data(), password.size()); }
    } wipe{options.password};
    validate(options);
    MailboxProbe probe;
    probe.host = mail::url_host(options.url);
    probe.folder = split_url(options.url).second;
    const auto misconfigured = [&probe](std::string setting, std::string reason) {
        probe.outcome = MailboxProbe::Outcome::misconfigured;
        probe.setting = std::move(setting);
        probe.reason = std::move(reason);
        return probe;
    };
    // Without a user libcurl never logs in; without a password the login can only be refused.
    if (options.user.empty() && !options.password.empty()) {
        return misconfigured("imap.user", _("[imap] password_file is set, but no [imap] user"));
    }
    if (!options.user.empty() && options.password.empty() && options.tls != "none") {
        return misconfigured("imap.password_file", _("[imap] user is set, but no password in [imap] password_file"));
    }
    if (!connect) {
        return probe;
    }
    probe.connected = true;
    try {
        ImapMailbox mailbox(options); // a copy it wipes; connects, TLS, logs in (CAPABILITY)
        probe.messages = exists_count(mailbox.examine());
        return probe;
    } catch (const ImapFailure& failure) {
        switch (failure.result()) {
        case CURLE_LOGIN_DENIED: return misconfigured("imap.user", failure.why());
        case CURLE_QUOTE_ERROR: return misconfigured("imap.folder", failure.why());
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE: return misconfigured("imap.ca_file", failure.why());
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_USE_SSL_FAILED: return misconfigured("imap.tls", failure.why());
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT: return misconfigured("imap.url", failure.why());
        default: break;
        }
        probe.outcome = MailboxProbe::Outcome::unavailable;
        probe.reason = failure.why();
        return probe;
    }
}

} // namespace credenza::bounces
