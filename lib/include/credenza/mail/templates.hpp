#pragma once
// Letter templates: a "Subject: ..." line, an empty line, then the body, with named fields
// such as {user_code} filled by fmt. Built-in Italian and English letters are embedded;
// a school may override any of them with its own files.
//
// A body may hold sections kept only when a condition holds, each directive a line of its own:
//     %if self_service          (or "%if !self_service")
//     ...
//     %else
//     ...
//     %end
// Sections nest. After the sections are chosen, runs of blank lines shrink to one.

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
    std::string origin;          // the file path, or "built-in it/family"
    std::string language = "it"; // the letter's language: the HTML part's lang and its button's words
};

// The conditions a "%if" may test; a name missing from a Conditions map is false.
//   self_service  the school runs "Password dimenticata?" ([policy] self_service_recover)
//   formal        the reader is addressed with "Lei" (always a family; a student as [mail] student_tone says)
//   student       a student's account (else a family's)
//   adult         an adult student
//   password      the letter carries a password
//   pin           the letter carries a PIN
//   kept_pin      the account keeps the PIN it had (the letter carries none)
//   spid          the family logs in with SPID or CIE
//   reset recovery initial   the letter's purpose
inline constexpr std::string_view k_conditions[] = {"self_service", "formal", "student", "adult",   "password",
                                                    "pin",          "kept_pin", "spid",  "reset",   "recovery",
                                                    "initial"};
using Conditions = std::map<std::string, bool, std::less<>>;

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
    // The same words as a page a phone shows well: <html lang>, a viewport, one <p> per paragraph
    // (its lines joined), "- " lines as a list, the {credentials} lines in a block of their own in
    // a monospace font, a line that is just {portal_url} as a button; inline styles only, and no
    // address but the portal's. Every field is escaped.
    std::string html;
};

// Chooses the "%if" sections by `conditions`, then fills {school_name} {portal_url} {user_code}
// {password} {pin} {name} {pupils} {credentials} {expires} {email}: `fields` maps a name to its
// value. Error(config, "template 'ORIGIN': ...") for a field not in `fields`, a stray brace, an
// unknown condition or an unbalanced section; the message never holds a field's value.
Rendered render(const Template& letter, const std::map<std::string, std::string>& fields,
                const Conditions& conditions = {});

// Renders with placeholder values for every known field, under every condition false and then
// every one true, so a template that uses an unknown field or condition, a stray brace or an
// unbalanced section is refused at start, before any secret exists.
void check_template(const Template& letter);

} // namespace credenza::mail
