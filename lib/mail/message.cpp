#include <credenza/mail/message.hpp>

#include <credenza/error.hpp>
#include <credenza/mail/mime.hpp>
#include <credenza/util/text.hpp>

#include "random.hpp"

#include <fmt/format.h>

#include <ctime>
#include "i18n/gettext.hpp"

namespace credenza::mail {

namespace {

constexpr std::size_t k_max_header_line = 78;

bool has_control(std::string_view text)
{
    for (const char byte : text) {
        if (util::is_ascii_control(byte)) {
            return true;
        }
    }
    return false;
}

void require_no_control(std::string_view header, std::string_view text)
{
    // The value is left out of the message: it may be anything, even part of a letter.
    if (has_control(text)) {
        throw Error(ErrorCode::bad_input,
                    credenza::i18n::format(_fmt("header '{}' would hold a line break or control character"), header));
    }
}

// An addr-spec fit to stand between "<>" in a header: printable ASCII without the characters
// that would end or split it.
void require_plain_address(std::string_view header, std::string_view email)
{
    require_no_control(header, email);
    bool has_at = false;
    for (const char byte : email) {
        const auto value = static_cast<unsigned char>(byte);
        if (value > 0x7E || std::string_view(" <>\"(),;\\").find(byte) != std::string_view::npos) {
            throw Error(ErrorCode::bad_input,
                        credenza::i18n::format(_fmt("header '{}': address '{}' has a character not allowed here"), header,
                                    email));
        }
        has_at = has_at || byte == '@';
    }
    if (!has_at) {
        throw Error(ErrorCode::bad_input, credenza::i18n::format(_fmt("header '{}': '{}' is not an e-mail address"), header, email));
    }
}

bool is_printable_ascii(std::string_view text)
{
    for (const char byte : text) {
        const auto value = static_cast<unsigned char>(byte);
        if (value < 0x20 || value > 0x7E) {
            return false;
        }
    }
    return true;
}

std::string quoted_string(std::string_view text)
{
    std::string out = "\"";
    for (const char character : text) {
        if (character == '"' || character == '\\') {
            out += '\\';
        }
        out += character;
    }
    out += '"';
    return out;
}

std::string format_address(std::string_view header, const Address& address)
{
    require_no_control(header, address.name);
    require_plain_address(header, address.email);
    if (address.name.empty()) {
        return address.email;
    }
    const std::string name = is_printable_ascii(address.name) && address.name.find("=?") == std::string::npos
                               ? quoted_string(address.name)
                               : encode_header_text(address.name);
    return name + " <" + address.email + ">";
}

// "Name: value" with CRLF inserted before spaces so lines stay within 78 columns where the
// words allow it (a single longer word stays whole: RFC 5322 allows up to 998).
std::string header_line(std::string_view name, std::string_view value)
{
    std::string out(name);
    out += ':';
    std::size_t line_length = out.size();
    bool line_has_text = false;
    std::size_t position = 0;
    while (true) {
        const std::size_t space = value.find(' ', position);
        const std::string_view word =
            value.substr(position, space == std::string_view::npos ? std::string_view::npos : space - position);
        if (line_has_text && !word.empty() && line_length + 1 + word.size() > k_max_header_line) {
            out += "\r\n";
            line_length = 0;
            line_has_text = false;
        }
        out += ' ';
        out += word;
        line_length += 1 + word.size();
        line_has_text = line_has_text || !word.empty();
        if (space == std::string_view::npos) {
            break;
        }
        position = space + 1;
    }
    out += "\r\n";
    return out;
}

std::string format_date(std::chrono::system_clock::time_point date)
{
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t seconds = std::chrono::system_clock::to_time_t(date);
    std::tm utc{};
    if (gmtime_r(&seconds, &utc) == nullptr) {
        throw Error(ErrorCode::bad_input, _("message date is out of range"));
    }
    return fmt::format("{}, {} {} {} {:02}:{:02}:{:02} +0000", days[utc.tm_wday], utc.tm_mday, months[utc.tm_mon],
                       utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

void require_message_id(std::string_view id)
{
    require_no_control("Message-ID", id);
    const auto at = id.find('@');
    if (id.size() < 5 || id.front() != '<' || id.back() != '>' || at == std::string_view::npos
        || id.find_first_of(" <>", 1) != id.size() - 1) {
        throw Error(ErrorCode::bad_input, credenza::i18n::format(_fmt("header 'Message-ID': '{}' is not '<id@domain>'"), id));
    }
}

std::string text_part_body(std::string_view text)
{
    std::string body = quoted_printable(text);
    if (body.size() < 2 || body.compare(body.size() - 2, 2, "\r\n") != 0) {
        body += "\r\n";
    }
    return body;
}

} // namespace

std::string make_message_id(std::string_view domain)
{
    if (domain.empty() || has_control(domain) || domain.find_first_of(" <>@\"") != std::string_view::npos
        || !is_printable_ascii(domain)) {
        throw Error(ErrorCode::bad_input, credenza::i18n::format(_fmt("'{}' cannot be the domain of a Message-ID"), domain));
    }
    return fmt::format("<{}@{}>", detail::random_hex(16), domain);
}

std::string compose(const Message& message)
{
    require_no_control("Subject", message.subject);
    require_message_id(message.message_id);

    std::string out;
    out += header_line("Date", format_date(message.date));
    out += header_line("From", format_address("From", message.from));
    out += header_line("To", format_address("To", message.to));
    out += header_line("Subject", encode_header_text(message.subject));
    out += header_line("Message-ID", message.message_id);
    out += "MIME-Version: 1.0\r\n";

    constexpr std::string_view text_headers =
        "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n";
    if (message.html.empty()) {
        out += text_headers;
        out += "\r\n";
        out += text_part_body(message.text);
        return out;
    }

    // "=_" never occurs in quoted-printable text, so the boundary cannot collide with a part.
    const std::string boundary = "=_credenza_" + detail::random_hex(12);
    out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n";
    out += "\r\n";
    out += "This is a MIME message in two formats: plain text and HTML.\r\n";
    out += "--" + boundary + "\r\n";
    out += text_headers;
    out += "\r\n";
    out += text_part_body(message.text);
    out += "--" + boundary + "\r\n";
    out += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n";
    out += "\r\n";
    out += text_part_body(message.html);
    out += "--" + boundary + "--\r\n";
    return out;
}

} // namespace credenza::mail
