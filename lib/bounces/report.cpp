#include <credenza/bounces/report.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include <credenza/util/text.hpp>

#include "i18n/gettext.hpp"

namespace credenza::bounces {

namespace {

constexpr std::size_t k_max_diagnostic = 300;
constexpr int k_max_depth = 4;        // nested multiparts read at most this deep
constexpr std::size_t k_max_parts = 32;

using util::ascii_lower;

bool contains(std::string_view haystack, std::string_view needle)
{
    return ascii_lower(haystack).find(ascii_lower(needle)) != std::string::npos;
}

// One line of printable text: controls become spaces, runs of blanks one space, at most `limit` bytes.
std::string one_line(std::string_view text, std::size_t limit = k_max_diagnostic)
{
    std::string out;
    bool blank = false;
    for (const char c : text) {
        const bool space = c == ' ' || c == '\t' || util::is_ascii_control(c);
        if (space) {
            blank = !out.empty();
            continue;
        }
        if (blank) {
            out += ' ';
            blank = false;
        }
        out += c;
        if (out.size() >= limit) {
            break;
        }
    }
    // Never cut a UTF-8 sequence in two.
    while (!out.empty() && !util::is_valid_utf8(out)) {
        out.pop_back();
    }
    return out;
}

std::vector<std::string_view> lines_of(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        auto line = text.substr(start, end - start);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

struct Headers
{
    std::vector<std::pair<std::string, std::string>> fields; // lower-case name, unfolded value
    bool readable = false;                                    // at least one "Name: value" line

    std::string get(std::string_view name) const
    {
        for (const auto& [key, value] : fields) {
            if (key == name) {
                return value;
            }
        }
        return {};
    }
    std::vector<std::string> all(std::string_view name) const
    {
        std::vector<std::string> values;
        for (const auto& [key, value] : fields) {
            if (key == name) {
                values.push_back(value);
            }
        }
        return values;
    }
};

bool is_field_name(std::string_view name)
{
    return !name.empty() && name.size() < 80 && std::all_of(name.begin(), name.end(), [](char c) {
        return c > ' ' && c < 127 && c != ':';
    });
}

// Headers up to the first empty line; `body` gets what follows.
Headers read_headers(std::string_view text, std::string_view* body = nullptr)
{
    Headers headers;
    std::size_t start = 0;
    std::size_t body_start = text.size();
    while (start < text.size()) {
        auto end = text.find('\n', start);
        const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
        auto line = text.substr(start, (end == std::string_view::npos ? text.size() : end) - start);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (line.empty()) {
            body_start = next;
            break;
        }
        if ((line.front() == ' ' || line.front() == '\t') && !headers.fields.empty()) {
            auto& value = headers.fields.back().second;
            if (value.size() < 4096) {
                value += ' ';
                value += util::trim(line);
            }
        } else if (const auto colon = line.find(':'); colon != std::string_view::npos && is_field_name(line.substr(0, colon))) {
            headers.fields.emplace_back(ascii_lower(line.substr(0, colon)), util::trim(line.substr(colon + 1)));
            headers.readable = true;
        }
        start = next;
    }
    if (body != nullptr) {
        *body = body_start < text.size() ? text.substr(body_start) : std::string_view();
    }
    return headers;
}

struct ContentType
{
    std::string type = "text/plain"; // lower case
    std::string boundary;
    std::string report_type;         // lower case
};

std::string parameter(std::string_view value, std::string_view name)
{
    const std::string lower = ascii_lower(value);
    std::size_t at = 0;
    while ((at = lower.find(name, at)) != std::string::npos) {
        const bool starts = at > 0 && (lower[at - 1] == ';' || lower[at - 1] == ' ' || lower[at - 1] == '\t');
        std::size_t after = at + name.size();
        while (after < lower.size() && lower[after] == ' ') {
            ++after;
        }
        if (starts && after < lower.size() && lower[after] == '=') {
            ++after;
            while (after < value.size() && value[after] == ' ') {
                ++after;
            }
            if (after < value.size() && value[after] == '"') {
                const auto close = value.find('"', after + 1);
                return std::string(value.substr(after + 1, (close == std::string_view::npos ? value.size() : close) - after - 1));
            }
            const auto stop = value.find_first_of("; \t", after);
            return std::string(value.substr(after, (stop == std::string_view::npos ? value.size() : stop) - after));
        }
        at += name.size();
    }
    return {};
}

ContentType content_type(const Headers& headers)
{
    ContentType type;
    const std::string value = headers.get("content-type");
    if (value.empty()) {
        return type;
    }
    type.type = ascii_lower(util::trim(value.substr(0, value.find(';'))));
    type.boundary = parameter(value, "boundary");
    type.report_type = ascii_lower(parameter(value, "report-type"));
    return type;
}

struct Part
{
    Headers headers;
    ContentType type;
    std::string_view body;
};

std::vector<std::string_view> split_multipart(std::string_view body, std::string_view boundary)
{
    std::vector<std::string_view> parts;
    if (boundary.empty() || boundary.size() > 200) {
        return parts;
    }
    const std::string delimiter = "--" + std::string(boundary);
    std::optional<std::size_t> part_start;
    std::size_t start = 0;
    while (start < body.size()) {
        auto end = body.find('\n', start);
        const std::size_t next = end == std::string_view::npos ? body.size() : end + 1;
        auto line = body.substr(start, (end == std::string_view::npos ? body.size() : end) - start);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (line.starts_with(delimiter)) {
            const auto rest = util::trim(line.substr(delimiter.size()));
            if (rest.empty() || rest == "--") {
                if (part_start) {
                    parts.push_back(body.substr(*part_start, start - *part_start));
                    if (parts.size() >= k_max_parts) {
                        return parts;
                    }
                }
                if (rest == "--") {
                    return parts;
                }
                part_start = next;
            }
        }
        start = next;
    }
    return parts; // no closing delimiter: the parts seen so far
}

// Every leaf part of the message, depth first, and the report type of a multipart/report.
void collect_parts(std::string_view text, int depth, std::vector<Part>& parts, bool& is_report)
{
    std::string_view body;
    Headers headers = read_headers(text, &body);
    ContentType type = content_type(headers);
    if (type.type.starts_with("multipart/") && depth < k_max_depth) {
        if (type.type == "multipart/report" && type.report_type.find("delivery-status") != std::string::npos) {
            is_report = true;
        }
        for (const auto part : split_multipart(body, type.boundary)) {
            collect_parts(part, depth + 1, parts, is_report);
        }
        return;
    }
    parts.push_back({std::move(headers), std::move(type), body});
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

std::string decode_quoted_printable(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '=') {
            out += text[i];
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == '\n') {
            i += 1;
        } else if (i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
            i += 2;
        } else if (i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += '=';
        }
    }
    return out;
}

std::string part_text(const Part& part)
{
    if (ascii_lower(part.headers.get("content-transfer-encoding")) == "quoted-printable") {
        return decode_quoted_printable(part.body);
    }
    return std::string(part.body);
}

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

// The first RFC 3463 status "c.sss.ddd" in a text (c 2, 4 or 5), standing alone.
std::string find_status(std::string_view text)
{
    for (std::size_t i = 0; i + 4 < text.size(); ++i) {
        const char c = text[i];
        if ((c != '2' && c != '4' && c != '5') || text[i + 1] != '.'
            || (i > 0 && (is_digit(text[i - 1]) || text[i - 1] == '.'))) {
            continue;
        }
        std::size_t j = i + 2;
        std::size_t digits = 0;
        while (j < text.size() && is_digit(text[j]) && digits < 4) {
            ++j;
            ++digits;
        }
        if (digits == 0 || digits > 3 || j >= text.size() || text[j] != '.') {
            continue;
        }
        std::size_t k = j + 1;
        digits = 0;
        while (k < text.size() && is_digit(text[k]) && digits < 4) {
            ++k;
            ++digits;
        }
        if (digits == 0 || digits > 3 || (k < text.size() && (is_digit(text[k]) || text[k] == '.'))) {
            continue;
        }
        return std::string(text.substr(i, k - i));
    }
    return {};
}

// The first SMTP reply code "4xx"/"5xx" starting a word in a line: "550 user unknown".
std::string find_reply_code(std::string_view line)
{
    for (std::size_t i = 0; i + 3 <= line.size(); ++i) {
        if ((line[i] == '4' || line[i] == '5') && is_digit(line[i + 1]) && is_digit(line[i + 2])
            && (i == 0 || !(is_digit(line[i - 1]) || line[i - 1] == '.'))
            && (i + 3 == line.size() || line[i + 3] == ' ' || line[i + 3] == '-')) {
            return std::string(line.substr(i, 3));
        }
    }
    return {};
}

void add_unique(std::vector<std::string>& list, std::string value)
{
    if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end() && list.size() < 64) {
        list.push_back(std::move(value));
    }
}

// Every "<id@domain>" in a header value (In-Reply-To, References, Message-ID).
void add_message_ids(std::string_view value, std::vector<std::string>& ids)
{
    std::size_t at = 0;
    while ((at = value.find('<', at)) != std::string_view::npos) {
        const auto close = value.find('>', at);
        if (close == std::string_view::npos) {
            return;
        }
        const auto id = value.substr(at, close - at + 1);
        if (id.size() <= 250 && id.find('@') != std::string_view::npos && id.find_first_of(" \t<", 1) == std::string_view::npos) {
            add_unique(ids, std::string(id));
        }
        at = close + 1;
    }
}

// VERP tokens "+L<hex>@" in an address header.
void add_verp_tokens(std::string_view value, std::vector<std::string>& tokens)
{
    std::size_t at = 0;
    while ((at = value.find("+L", at)) != std::string_view::npos) {
        std::size_t end = at + 2;
        while (end < value.size() && hex_value(value[end]) >= 0) {
            ++end;
        }
        if (end < value.size() && value[end] == '@' && end - at - 2 >= 16) {
            add_unique(tokens, ascii_lower(value.substr(at + 2, end - at - 2)));
        }
        at = end;
    }
}

// "Message-ID: <...>" lines of a returned copy or of quoted original headers.
void add_quoted_message_ids(std::string_view text, std::vector<std::string>& ids)
{
    for (auto line : lines_of(text)) {
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '>')) {
            line.remove_prefix(1);
        }
        if (line.size() > 11 && ascii_lower(line.substr(0, 11)) == "message-id:") {
            add_message_ids(line.substr(11), ids);
        }
    }
}

// "rfc822; parent@example.org" -> "parent@example.org"
std::string address_of(std::string_view value)
{
    if (const auto semicolon = value.find(';'); semicolon != std::string_view::npos) {
        value.remove_prefix(semicolon + 1);
    }
    std::string address = util::trim(value, " \t<>");
    return one_line(address, 254);
}

// The per-recipient fields of a message/delivery-status body, groups split by empty lines.
std::vector<Headers> status_groups(std::string_view text)
{
    std::vector<Headers> groups;
    std::string current;
    auto flush = [&] {
        if (!current.empty()) {
            groups.push_back(read_headers(current));
            current.clear();
        }
    };
    for (const auto line : lines_of(text)) {
        if (util::trim(line).empty()) {
            flush();
        } else {
            current.append(line);
            current += '\n';
        }
        if (groups.size() > 64) {
            break;
        }
    }
    flush();
    return groups;
}

bool is_returned_headers(const std::string& type)
{
    return type == "text/rfc822-headers" || type == "message/rfc822" || type == "message/global"
        || type == "message/global-headers";
}

// RFC 3464: the first failed recipient, else the first delayed, else the first delivered.
bool read_delivery_status(const std::vector<Part>& parts, Report& report)
{
    bool seen = false;
    for (const auto& part : parts) {
        if (part.type.type == "message/delivery-status" || part.type.type == "message/global-delivery-status") {
            seen = true;
            const std::string text = part_text(part);
            std::optional<Headers> failed;
            std::optional<Headers> delayed;
            std::optional<Headers> other;
            for (auto& group : status_groups(text)) {
                const std::string action = ascii_lower(group.get("action"));
                if (action.empty()) {
                    continue;
                }
                if (action == "failed" && !failed) {
                    failed = group;
                } else if (action == "delayed" && !delayed) {
                    delayed = group;
                } else if (!other) {
                    other = group;
                }
            }
            const Headers* chosen = failed ? &*failed : delayed ? &*delayed : other ? &*other : nullptr;
            if (chosen == nullptr) {
                report.kind = ReportKind::malformed; // a status part with no recipient's Action
                continue;
            }
            report.status = find_status(chosen->get("status"));
            report.diagnostic = one_line(chosen->get("diagnostic-code"));
            report.recipient = address_of(chosen->get("final-recipient"));
            if (report.recipient.empty()) {
                report.recipient = address_of(chosen->get("original-recipient"));
            }
            if (failed) {
                if (report.status.empty()) {
                    report.status = find_status(report.diagnostic);
                }
                if (report.status.empty()) {
                    const auto code = find_reply_code(report.diagnostic);
                    report.status = code.empty() ? "" : std::string(1, code[0]) + ".0.0";
                }
                report.kind = report.status.empty() ? ReportKind::malformed : ReportKind::failed;
            } else {
                report.kind = delayed ? ReportKind::delayed : ReportKind::delivered;
            }
            return true;
        }
    }
    return seen;
}

bool looks_like_bounce(const Headers& headers)
{
    const std::string from = ascii_lower(headers.get("from"));
    const std::string subject = ascii_lower(headers.get("subject"));
    if (from.find("mailer-daemon") != std::string::npos || from.find("postmaster") != std::string::npos) {
        return true;
    }
    constexpr std::array<std::string_view, 10> subjects = {
        "undelivered mail returned to sender", "mail delivery failed", "undeliverable",
        "delivery status notification", "delivery failure", "returned mail", "failure notice",
        "mail delivery system", "non recapitabile", "warning: message"};
    return std::any_of(subjects.begin(), subjects.end(),
                       [&](std::string_view s) { return subject.find(s) != std::string::npos; });
}

bool looks_like_auto_reply(const Headers& headers)
{
    const std::string submitted = ascii_lower(headers.get("auto-submitted"));
    if (!submitted.empty() && submitted != "no") {
        return true;
    }
    if (!headers.get("x-autoreply").empty() || !headers.get("x-autorespond").empty()
        || ascii_lower(headers.get("precedence")) == "auto_reply") {
        return true;
    }
    const std::string subject = ascii_lower(headers.get("subject"));
    constexpr std::array<std::string_view, 7> subjects = {"out of office", "automatic reply", "auto:",
                                                          "risposta automatica", "fuori sede", "vacation",
                                                          "autoreply"};
    return std::any_of(subjects.begin(), subjects.end(),
                       [&](std::string_view s) { return subject.find(s) != std::string::npos; });
}

// The text that describes a failure, before the returned copy of the original.
std::string_view report_text(std::string_view text)
{
    constexpr std::array<std::string_view, 5> markers = {
        "------ This is a copy of the message", "Original message headers:", "----- Original message -----",
        "------ Original message", "--- Below this line is a copy of the message"};
    std::size_t cut = text.size();
    for (const auto marker : markers) {
        cut = std::min(cut, text.find(marker));
    }
    return text.substr(0, cut);
}

bool is_bare_address_line(std::string_view line)
{
    const std::string address = util::trim(line, " \t<>:");
    const auto at = address.find('@');
    return at != std::string::npos && at > 0 && at + 1 < address.size() && address.size() <= 254
        && address.find_first_of(" \t,;()\"'") == std::string::npos && address.find('@', at + 1) == std::string::npos;
}

// Postfix, Exim, Exchange and Gmail in their plain-text shapes: a status or reply code in the text.
void read_plain_bounce(const Headers& top, const std::vector<Part>& parts, Report& report)
{
    std::string text;
    for (const auto& part : parts) {
        if (part.type.type == "text/plain" && text.size() < 256 * 1024) {
            text += part_text(part);
            text += '\n';
        }
        if (is_returned_headers(part.type.type)) {
            add_message_ids(read_headers(part.body).get("message-id"), report.message_ids);
        }
    }
    add_quoted_message_ids(text, report.message_ids);
    const std::string_view described = report_text(text);

    for (const auto line : lines_of(described)) {
        if (report.recipient.empty() && is_bare_address_line(line)) {
            report.recipient = one_line(util::trim(line, " \t<>:"), 254);
        }
        if (report.status.empty()) {
            if (auto status = find_status(line); !status.empty()) {
                report.status = status;
                report.diagnostic = one_line(line);
            } else if (auto code = find_reply_code(line); !code.empty()) {
                report.status = std::string(1, code[0]) + ".0.0";
                report.diagnostic = one_line(line);
            }
        }
    }
    const std::string subject = ascii_lower(top.get("subject"));
    const bool delay = subject.find("delay") != std::string::npos || subject.find("warning") != std::string::npos
                    || contains(described, "will continue to try") || contains(described, "has been delayed")
                    || contains(described, "not yet been delivered") || contains(described, "will retry");
    if (delay && !report.status.starts_with('5')) {
        report.kind = ReportKind::delayed;
        return;
    }
    if (report.status.empty()) {
        const bool permanent = contains(described, "permanent error") || contains(described, "could not be delivered")
                            || contains(described, "delivery has failed") || contains(described, "address not found");
        if (permanent) {
            report.status = "5.0.0";
        }
    }
    report.kind = report.status.empty() ? ReportKind::malformed
                : report.status.starts_with('2') ? ReportKind::delivered
                                                 : ReportKind::failed;
}

} // namespace

Report parse_report(std::string_view message)
{
    Report report;
    std::string_view body;
    const Headers top = read_headers(message, &body);
    if (!top.readable) {
        report.kind = ReportKind::malformed;
        return report;
    }
    add_message_ids(top.get("message-id"), report.message_ids);
    if (!report.message_ids.empty()) {
        report.report_id = report.message_ids.front();
        report.message_ids.clear();
    }
    for (const auto& name : {"in-reply-to", "references"}) {
        add_message_ids(top.get(name), report.message_ids);
    }
    for (const auto& name : {"to", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to", "cc"}) {
        for (const auto& value : top.all(name)) {
            add_verp_tokens(value, report.verp_tokens);
        }
    }

    std::vector<Part> parts;
    bool is_report = false;
    collect_parts(message, 0, parts, is_report);

    if (is_report) {
        if (!read_delivery_status(parts, report)) {
            report.kind = ReportKind::malformed;
        }
        // The returned headers may follow the status part.
        for (const auto& part : parts) {
            if (is_returned_headers(part.type.type)) {
                add_message_ids(read_headers(part.body).get("message-id"), report.message_ids);
            }
        }
        return report;
    }
    if (looks_like_bounce(top)) {
        read_plain_bounce(top, parts, report);
        return report;
    }
    report.kind = looks_like_auto_reply(top) ? ReportKind::auto_reply : ReportKind::not_report;
    return report;
}

const char* status_reason(std::string_view status)
{
    const auto first_dot = status.find('.');
    const std::string_view detail = first_dot == std::string_view::npos ? std::string_view() : status.substr(first_dot + 1);
    struct Reason
    {
        std::string_view detail;
        const char* words;
    };
    static constexpr std::array<Reason, 14> reasons = {{
        {"1.1", N_("mailbox does not exist")},
        {"1.10", N_("mailbox does not exist")},
        {"1.2", N_("the address's domain does not exist or takes no mail")},
        {"1.3", N_("the address is not valid")},
        {"1.6", N_("mailbox has moved")},
        {"2.1", N_("mailbox disabled")},
        {"2.2", N_("mailbox full")},
        {"2.3", N_("message too large for the mailbox")},
        {"3.4", N_("message too large for the recipient's server")},
        {"4.1", N_("the recipient's server does not answer")},
        {"4.4", N_("the recipient's domain cannot be reached")},
        {"4.7", N_("delivery time expired")},
        {"7.1", N_("refused by the recipient's server (sender not allowed or spam filter)")},
        {"1.0", N_("the address is not valid")},
    }};
    for (const auto& reason : reasons) {
        if (detail == reason.detail) {
            return reason.words;
        }
    }
    if (detail.starts_with("7.")) {
        return N_("refused by the recipient's server's policy");
    }
    return status.starts_with('4') ? N_("temporary failure at the recipient's server")
                                   : N_("refused by the recipient's server");
}

std::string verp_address(std::string_view sender, std::string_view token)
{
    const auto at = sender.rfind('@');
    if (at == std::string_view::npos || token.empty()) {
        return std::string(sender);
    }
    return std::string(sender.substr(0, at)) + "+L" + std::string(token) + std::string(sender.substr(at));
}

std::string message_id_token(std::string_view message_id)
{
    if (message_id.size() < 3 || message_id.front() != '<') {
        return {};
    }
    const auto at = message_id.find('@');
    if (at == std::string_view::npos || at < 2) {
        return {};
    }
    const auto token = message_id.substr(1, at - 1);
    if (!std::all_of(token.begin(), token.end(), [](char c) { return hex_value(c) >= 0; })) {
        return {};
    }
    return ascii_lower(token);
}

std::string_view to_string(ReportKind kind)
{
    switch (kind) {
    case ReportKind::failed: return "failed";
    case ReportKind::delayed: return "delayed";
    case ReportKind::delivered: return "delivered";
    case ReportKind::auto_reply: return "auto_reply";
    case ReportKind::not_report: return "not_report";
    case ReportKind::malformed: return "malformed";
    }
    return "not_report";
}

} // namespace credenza::bounces
