#pragma once
// Letter templates: a "Subject: ..." line, an empty line, then the body, with named fields
// such as {user_code} filled by fmt. Built-in Italian and English letters are embedded;
// a school may override any of them with its own files.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace credenza::mail {

enum class LetterKind { family, student, reset, recovery, spid, reminder, reminder_spid };

// "family", "student", "reset" or "recovery": the template's file name without ".txt".
std::string_view to_string(LetterKind kind);

struct Template
{
    std::string subject;
    std::string body;
    std::string origin; // the file path, or "built-in it/family"
};

// <template_dir>/<language>/<kind>.txt when template_dir is not empty and that file exists,
// else the embedded schemas/templates/<language>/<kind>.txt. Error(config) for a language
// that has neither, or a file that is not "Subject: ..." + empty line + body; Error(io) for
// an override that exists but cannot be read.
Template load_template(LetterKind kind, std::string_view language,
                       const std::filesystem::path& template_dir);

struct Rendered
{
    std::string subject;
    std::string text;
    std::string html; // the text as simple HTML paragraphs, every character escaped
};

// Fills {school_name} {portal_url} {user_code} {password} {pin} {name} {pupils} {credentials}
// {expires} {email}: `fields` maps a name to its value. Error(config, "template 'ORIGIN': ...")
// for a field not in `fields` or a stray brace; the message never holds a field's value.
Rendered render(const Template& letter, const std::map<std::string, std::string>& fields);

// Renders with placeholder values for every known field, so a template that uses an unknown
// field or a stray brace is refused at start, before any secret exists.
void check_template(const Template& letter);

} // namespace credenza::mail
