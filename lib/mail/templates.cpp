#include <credenza/mail/templates.hpp>

#include <credenza/embedded.hpp>
#include <credenza/error.hpp>
#include <credenza/mail/mime.hpp>
#include <credenza/util/text.hpp>

#include <fmt/args.h>
#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include "i18n/gettext.hpp"

namespace credenza::mail {

namespace {

constexpr std::string_view k_subject_prefix = "Subject:";

// The fields a letter may use; check_template fills each with a placeholder.
constexpr std::string_view k_known_fields[] = {"school_name", "portal_url", "user_code", "password", "pin",
                                               "name",        "pupils",     "credentials", "expires", "email"};

bool is_language_tag(std::string_view language)
{
    if (language.empty() || language.size() > 16) {
        return false;
    }
    for (const char character : language) {
        const bool allowed = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z')
                          || (character >= '0' && character <= '9') || character == '-' || character == '_';
        if (!allowed) {
            return false;
        }
    }
    return true;
}

std::string without_carriage_returns(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t position = 0; position < text.size(); ++position) {
        if (text[position] == '\r' && position + 1 < text.size() && text[position + 1] == '\n') {
            continue;
        }
        out += text[position];
    }
    return out;
}

Template parse_template(std::string_view file_text, std::string origin)
{
    const std::string text = without_carriage_returns(file_text);
    const auto first_end = text.find('\n');
    const std::string_view first_line = std::string_view(text).substr(0, first_end);
    if (first_line.substr(0, k_subject_prefix.size()) != k_subject_prefix || first_end == std::string::npos
        || text.compare(first_end + 1, 1, "\n") != 0) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("template '{}': the first line must be 'Subject: ...' and the second empty"),
                                origin));
    }
    std::string_view subject = first_line.substr(k_subject_prefix.size());
    while (!subject.empty() && (subject.front() == ' ' || subject.front() == '\t')) {
        subject.remove_prefix(1);
    }
    while (!subject.empty() && (subject.back() == ' ' || subject.back() == '\t')) {
        subject.remove_suffix(1);
    }
    return Template{std::string(subject), text.substr(first_end + 2), std::move(origin)};
}

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    if (in) {
        content << in.rdbuf();
    }
    if (!in || in.bad()) {
        throw Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot read template '{}': {}"), path.string(), std::strerror(errno)));
    }
    return content.str();
}

// Names every field the text uses that `fields` lacks: fmt alone would only say "argument not found".
void require_known_fields(const Template& letter, std::string_view text,
                          const std::map<std::string, std::string>& fields)
{
    for (std::size_t position = 0; position < text.size(); ++position) {
        if (text[position] != '{') {
            continue;
        }
        if (position + 1 < text.size() && text[position + 1] == '{') {
            ++position;
            continue;
        }
        const auto end = text.find_first_of(":!}", position + 1);
        if (end == std::string_view::npos) {
            return; // fmt reports the unmatched brace
        }
        const std::string name(text.substr(position + 1, end - position - 1));
        if (name.empty()) {
            // A field without a name would take an argument by position, and a letter has none.
            throw Error(ErrorCode::config,
                        credenza::i18n::format(_fmt("template '{}': a field needs a name, such as {{user_code}} ('{{{{' writes a brace)"),
                                    letter.origin));
        }
        if (fields.find(name) == fields.end()) {
            std::string known;
            for (const auto& [field, value] : fields) {
                known += known.empty() ? "{" : ", {";
                known += field + "}";
            }
            throw Error(ErrorCode::config,
                        credenza::i18n::format(_fmt("template '{}': unknown field '{{{}}}' (known: {})"), letter.origin, name, known));
        }
        position = end;
    }
}

std::string format_text(const Template& letter, std::string_view text,
                        const std::map<std::string, std::string>& fields)
{
    require_known_fields(letter, text, fields);
    fmt::dynamic_format_arg_store<fmt::format_context> store;
    store.reserve(fields.size(), fields.size());
    for (const auto& [name, value] : fields) {
        // A view, so no further copy of a secret is made.
        store.push_back(fmt::arg(name.c_str(), std::string_view(value)));
    }
    try {
        return fmt::vformat(text, store);
    } catch (const fmt::format_error& error) {
        // fmt's messages describe the pattern, never an argument's value.
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("template '{}': {}"), letter.origin, error.what()));
    }
}

// The body with its "%if" sections chosen and runs of blank lines shrunk to one.
std::string choose_sections(const Template& letter, std::string_view body, const Conditions& conditions)
{
    struct Open
    {
        bool parent_kept;
        bool condition;
        bool in_else;
        int line;
    };
    std::vector<Open> open;
    bool kept = true;
    std::string out;
    int line_number = 0;
    std::size_t position = 0;
    const auto fail = [&](std::string_view what) {
        return Error(ErrorCode::config, credenza::i18n::format(_fmt("template '{}': body line {}: {}"), letter.origin, line_number, what));
    };
    while (position < body.size()) {
        const auto end = body.find('\n', position);
        const std::string_view line =
            body.substr(position, end == std::string_view::npos ? std::string_view::npos : end - position);
        position = end == std::string_view::npos ? body.size() : end + 1;
        ++line_number;
        std::string_view directive = line;
        while (!directive.empty() && (directive.back() == ' ' || directive.back() == '\t')) {
            directive.remove_suffix(1);
        }
        if (directive.starts_with("%if ")) {
            std::string_view name = directive.substr(4);
            while (!name.empty() && name.front() == ' ') {
                name.remove_prefix(1);
            }
            const bool negated = name.starts_with('!');
            if (negated) {
                name.remove_prefix(1);
            }
            if (std::find(std::begin(k_conditions), std::end(k_conditions), name) == std::end(k_conditions)) {
                std::string known;
                for (const auto condition : k_conditions) {
                    known += known.empty() ? "" : ", ";
                    known += condition;
                }
                throw fail(credenza::i18n::format(_fmt("unknown condition '{}' (known: {})"), name, known));
            }
            const auto found = conditions.find(name);
            const bool value = (found != conditions.end() && found->second) != negated;
            open.push_back({kept, value, false, line_number});
            kept = kept && value;
        } else if (directive == "%else") {
            if (open.empty() || open.back().in_else) {
                throw fail(_("'%else' without its '%if'"));
            }
            open.back().in_else = true;
            kept = open.back().parent_kept && !open.back().condition;
        } else if (directive == "%end") {
            if (open.empty()) {
                throw fail(_("'%end' without its '%if'"));
            }
            kept = open.back().parent_kept;
            open.pop_back();
        } else if (kept) {
            const bool blank = directive.find_first_not_of(" \t") == std::string_view::npos;
            if (blank && (out.empty() || out.ends_with("\n\n"))) {
                continue;
            }
            out += blank ? std::string_view() : line;
            out += '\n';
        }
    }
    if (!open.empty()) {
        line_number = open.back().line;
        throw fail(_("'%if' without its '%end'"));
    }
    while (out.ends_with("\n\n")) {
        out.pop_back();
    }
    return out;
}

// Stand-ins for the fields the HTML part lays out itself; no template text holds a control character.
constexpr std::string_view k_credentials_mark = "\x01" "credentials" "\x01";
constexpr std::string_view k_pupils_mark = "\x01" "pupils" "\x01";
constexpr std::string_view k_portal_mark = "\x01" "portal" "\x01";

constexpr std::string_view k_font = "font-family:Arial,Helvetica,sans-serif;";
constexpr std::string_view k_mono = "font-family:'DejaVu Sans Mono',Menlo,Consolas,'Liberation Mono',monospace;";

std::string button_words(std::string_view language)
{
    if (language.starts_with("it")) {
        return "Apri il registro elettronico";
    }
    if (language.starts_with("en")) {
        return "Open the electronic register";
    }
    return {};
}

std::vector<std::string> lines_of(std::string_view text)
{
    std::vector<std::string> lines;
    std::size_t position = 0;
    while (position <= text.size()) {
        const auto end = text.find('\n', position);
        lines.emplace_back(text.substr(position, end == std::string_view::npos ? std::string_view::npos : end - position));
        if (end == std::string_view::npos) {
            break;
        }
        position = end + 1;
    }
    return lines;
}

// "Label: value" lines, each value in a span of its own so that it copies alone.
std::string credentials_block(std::string_view credentials)
{
    std::string html = "<div data-credentials=\"\" style=\"" + std::string(k_mono)
                     + "font-size:18px;line-height:1.7;margin:20px 0;padding:14px 16px;background:#f3f6fb;"
                       "border:2px solid #1a5fb4;border-radius:8px;color:#111111;overflow-wrap:anywhere\">\n";
    for (const auto& line : lines_of(credentials)) {
        if (line.empty()) {
            continue;
        }
        const auto colon = line.find(": ");
        if (colon == std::string::npos) {
            html += "<div>" + util::escape_html(line) + "</div>\n";
            continue;
        }
        html += "<div>" + util::escape_html(line.substr(0, colon + 1))
              + " <strong style=\"font-weight:bold;letter-spacing:1px;user-select:all;-webkit-user-select:all\">"
              + util::escape_html(line.substr(colon + 2)) + "</strong></div>\n";
    }
    return html + "</div>\n";
}

std::string list_of(const std::vector<std::string>& items)
{
    std::string html = "<ul style=\"margin:0 0 16px 0;padding-left:24px\">\n";
    for (const auto& item : items) {
        html += "<li style=\"margin:4px 0\">" + item + "</li>\n";
    }
    return html + "</ul>\n";
}

// Lines that all start with "- " (a line starting with spaces continues the item above): the items.
std::optional<std::vector<std::string>> as_list(const std::vector<std::string>& lines)
{
    std::vector<std::string> items;
    for (const auto& line : lines) {
        if (line.starts_with("- ")) {
            items.push_back(line.substr(2));
        } else if (!items.empty() && (line.starts_with(' ') || line.starts_with('\t'))) {
            items.back() += " " + line.substr(line.find_first_not_of(" \t"));
        } else {
            return std::nullopt;
        }
    }
    return items;
}

// `text` is the letter rendered with the marks above for {credentials}, {pupils} and {portal_url}.
std::string to_html(std::string_view subject, std::string_view text, std::string_view language,
                    const std::map<std::string, std::string>& fields)
{
    const auto field = [&](const char* name) {
        const auto found = fields.find(name);
        return found == fields.end() ? std::string() : found->second;
    };
    const std::string portal_url = field("portal_url");
    const bool linkable = portal_url.starts_with("https://") || portal_url.starts_with("http://");
    const std::string url = util::escape_html(portal_url);
    const std::string inline_url =
        linkable ? "<a href=\"" + url + "\" style=\"color:#1a5fb4;overflow-wrap:anywhere\">" + url + "</a>" : url;
    // A mark inside a sentence: the link, or the field's own words.
    const auto with_links = [&](std::string line) {
        for (const auto& [mark, value] : {std::pair{k_portal_mark, inline_url},
                                          std::pair{k_credentials_mark, util::escape_html(field("credentials"))},
                                          std::pair{k_pupils_mark, util::escape_html(field("pupils"))}}) {
            for (auto found = line.find(mark); found != std::string::npos; found = line.find(mark, found)) {
                line.replace(found, mark.size(), value);
                found += value.size();
            }
        }
        return line;
    };
    const std::string words = button_words(language);
    const std::string button =
        linkable && !words.empty()
            ? "<p style=\"margin:8px 0 20px 0\"><a href=\"" + url
                  + "\" style=\"display:inline-block;padding:12px 22px;background:#1a5fb4;color:#ffffff;"
                    "text-decoration:none;font-weight:bold;border-radius:6px\">"
                  + util::escape_html(words) + "</a><br>\n<span style=\"font-size:13px;color:#444444;"
                  + "overflow-wrap:anywhere\">" + inline_url + "</span></p>\n"
            : "<p style=\"margin:8px 0 20px 0;overflow-wrap:anywhere\">" + inline_url + "</p>\n";

    std::string tag(language);
    std::replace(tag.begin(), tag.end(), '_', '-');
    std::string html = "<!DOCTYPE html>\n<html lang=\"" + util::escape_html(tag)
                     + "\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
                     + util::escape_html(subject) + "</title>\n</head>\n<body style=\"margin:0;padding:0;background:#ffffff\">\n"
                     + "<div style=\"" + std::string(k_font)
                     + "font-size:16px;line-height:1.5;color:#1b1b1b;max-width:640px;margin:0 auto;padding:16px;"
                       "overflow-wrap:break-word\">\n";

    std::vector<std::string> paragraph;
    const auto flush = [&] {
        if (paragraph.empty()) {
            return;
        }
        if (paragraph.size() == 1 && paragraph.front() == k_credentials_mark) {
            html += credentials_block(field("credentials"));
        } else if (paragraph.size() == 1 && paragraph.front() == k_pupils_mark) {
            std::vector<std::string> items;
            for (const auto& line : lines_of(field("pupils"))) {
                if (!line.empty()) {
                    items.push_back(util::escape_html(line.starts_with("- ") ? line.substr(2) : line));
                }
            }
            html += list_of(items);
        } else if (const auto items = as_list(paragraph)) {
            std::vector<std::string> linked;
            for (const auto& item : *items) {
                linked.push_back(with_links(item));
            }
            html += list_of(linked);
        } else if (paragraph.size() == 2 && paragraph.front().ends_with(',') && paragraph.front().size() <= 32
                   && paragraph.back() != k_portal_mark) {
            // A closing ("Cordiali saluti,") keeps its signature on a line of its own.
            html += "<p style=\"margin:0 0 16px 0\">" + with_links(paragraph.front()) + "<br>\n"
                  + with_links(paragraph.back()) + "</p>\n";
        } else {
            std::string words_so_far;
            const auto close = [&] {
                if (!words_so_far.empty()) {
                    html += "<p style=\"margin:0 0 16px 0\">" + words_so_far + "</p>\n";
                    words_so_far.clear();
                }
            };
            for (const auto& line : paragraph) {
                if (line == k_portal_mark) {
                    close();
                    html += button;
                    continue;
                }
                words_so_far += words_so_far.empty() ? "" : " ";
                words_so_far += with_links(line);
            }
            close();
        }
        paragraph.clear();
    };
    for (const auto& raw : lines_of(util::escape_html(text))) {
        std::string line = raw;
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
            line.pop_back();
        }
        if (line.empty()) {
            flush();
        } else {
            paragraph.push_back(std::move(line));
        }
    }
    flush();
    html += "</div>\n</body>\n</html>\n";
    return html;
}

} // namespace

std::string_view to_string(LetterKind kind)
{
    switch (kind) {
    case LetterKind::family: return "family";
    case LetterKind::student: return "student";
    case LetterKind::reset: return "reset";
    case LetterKind::recovery: return "recovery";
    case LetterKind::spid: return "spid";
    case LetterKind::reminder: return "reminder";
    case LetterKind::reminder_spid: return "reminder_spid";
    }
    return "family";
}

Template load_template(LetterKind kind, std::string_view language, const std::filesystem::path& template_dir)
{
    if (!is_language_tag(language)) {
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("unknown letter language '{}'"), language));
    }
    const std::string file_name = std::string(to_string(kind)) + ".txt";
    if (!template_dir.empty()) {
        const auto path = template_dir / std::string(language) / file_name;
        std::error_code error;
        if (std::filesystem::exists(path, error)) {
            Template letter = parse_template(read_file(path), path.string());
            letter.language = language;
            return letter;
        }
    }
    const std::string name = std::string(language) + "/" + std::string(to_string(kind));
    if (const auto text = embedded_file("templates/" + name + ".txt")) {
        Template letter = parse_template(*text, "built-in " + name);
        letter.language = language;
        return letter;
    }
    throw Error(ErrorCode::config,
                credenza::i18n::format(_fmt("unknown letter language '{}': no template '{}'{} and none built in (built-in: en, it)"),
                            language, name + ".txt",
                            template_dir.empty() ? "" : " in '" + template_dir.string() + "'"));
}

Rendered render(const Template& letter, const std::map<std::string, std::string>& fields,
                const Conditions& conditions)
{
    const std::string body = choose_sections(letter, letter.body, conditions);
    Rendered rendered;
    rendered.subject = format_text(letter, letter.subject, fields);
    rendered.text = format_text(letter, body, fields);
    // The same words again, with marks where the HTML part lays a field out itself.
    std::map<std::string, std::string> marked = fields;
    for (const auto& [name, mark] : {std::pair{"credentials", k_credentials_mark}, std::pair{"pupils", k_pupils_mark},
                                     std::pair{"portal_url", k_portal_mark}}) {
        if (marked.contains(name)) {
            marked[name] = std::string(mark);
        }
    }
    std::string html_text = format_text(letter, body, marked);
    rendered.html = to_html(rendered.subject, html_text, letter.language, fields);
    sodium_memzero(html_text.data(), html_text.size());
    for (auto& [name, value] : marked) {
        sodium_memzero(value.data(), value.size());
    }
    return rendered;
}

void check_template(const Template& letter)
{
    std::map<std::string, std::string> placeholders;
    for (const auto name : k_known_fields) {
        placeholders.emplace(name, "x");
    }
    Conditions every;
    for (const auto name : k_conditions) {
        every.emplace(name, true);
    }
    render(letter, placeholders);
    render(letter, placeholders, every);
}

} // namespace credenza::mail
