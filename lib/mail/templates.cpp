#include <credenza/mail/templates.hpp>

#include <credenza/embedded.hpp>
#include <credenza/error.hpp>
#include <credenza/mail/mime.hpp>
#include <credenza/util/text.hpp>

#include <fmt/args.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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
                    fmt::format("template '{}': the first line must be 'Subject: ...' and the second empty",
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
        throw Error(ErrorCode::io, fmt::format("cannot read template '{}': {}", path.string(), std::strerror(errno)));
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
                        fmt::format("template '{}': a field needs a name, such as {{user_code}} ('{{{{' writes a brace)",
                                    letter.origin));
        }
        if (fields.find(name) == fields.end()) {
            std::string known;
            for (const auto& [field, value] : fields) {
                known += known.empty() ? "{" : ", {";
                known += field + "}";
            }
            throw Error(ErrorCode::config,
                        fmt::format("template '{}': unknown field '{{{}}}' (known: {})", letter.origin, name, known));
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
        throw Error(ErrorCode::config, fmt::format("template '{}': {}", letter.origin, error.what()));
    }
}

// Paragraphs from blank-line separated blocks, lines kept with <br>; the login link clickable.
std::string to_html(std::string_view subject, std::string_view text, std::string_view portal_url)
{
    std::string escaped = util::escape_html(text);
    if (portal_url.starts_with("https://") || portal_url.starts_with("http://")) {
        const std::string url = util::escape_html(portal_url);
        const std::string link = "<a href=\"" + url + "\">" + url + "</a>";
        for (auto found = escaped.find(url); found != std::string::npos; found = escaped.find(url, found)) {
            escaped.replace(found, url.size(), link);
            found += link.size();
        }
    }

    std::string html = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + util::escape_html(subject)
                     + "</title>\n</head>\n<body>\n";
    std::string paragraph;
    std::istringstream lines(escaped);
    std::string line;
    const auto flush = [&] {
        if (!paragraph.empty()) {
            html += "<p>" + paragraph + "</p>\n";
            paragraph.clear();
        }
    };
    while (std::getline(lines, line)) {
        if (line.find_first_not_of(" \t") == std::string::npos) {
            flush();
            continue;
        }
        if (!paragraph.empty()) {
            paragraph += "<br>\n";
        }
        paragraph += line;
    }
    flush();
    html += "</body>\n</html>\n";
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
        throw Error(ErrorCode::config, fmt::format("unknown letter language '{}'", language));
    }
    const std::string file_name = std::string(to_string(kind)) + ".txt";
    if (!template_dir.empty()) {
        const auto path = template_dir / std::string(language) / file_name;
        std::error_code error;
        if (std::filesystem::exists(path, error)) {
            return parse_template(read_file(path), path.string());
        }
    }
    const std::string name = std::string(language) + "/" + std::string(to_string(kind));
    if (const auto text = embedded_file("templates/" + name + ".txt")) {
        return parse_template(*text, "built-in " + name);
    }
    throw Error(ErrorCode::config,
                fmt::format("unknown letter language '{}': no template '{}'{} and none built in (built-in: en, it)",
                            language, name + ".txt",
                            template_dir.empty() ? "" : " in '" + template_dir.string() + "'"));
}

Rendered render(const Template& letter, const std::map<std::string, std::string>& fields)
{
    Rendered rendered;
    rendered.subject = format_text(letter, letter.subject, fields);
    rendered.text = format_text(letter, letter.body, fields);
    const auto portal_url = fields.find("portal_url");
    rendered.html = to_html(rendered.subject, rendered.text,
                            portal_url == fields.end() ? std::string_view() : std::string_view(portal_url->second));
    return rendered;
}

void check_template(const Template& letter)
{
    std::map<std::string, std::string> placeholders;
    for (const auto name : k_known_fields) {
        placeholders.emplace(name, "x");
    }
    render(letter, placeholders);
}

} // namespace credenza::mail
