#pragma once
// Yes/no questions on the terminal, answered in the reader's language: "[s/N]" in Italian takes
// s, sì, si (and n, no); y and yes are understood in every language.

#include <iosfwd>
#include <string>
#include <string_view>

namespace credenza::cli {

// Whether `answer` (a line typed at a "[y/N]" prompt) says yes in `language` ("it" or "en").
// Case and surrounding blanks do not matter; anything else, the empty line included, is no.
bool answers_yes(std::string_view answer, std::string_view language);

// " [s/N] " or " [y/N] ": the choices, in the reader's language.
std::string yes_no_choices();

// Asks `question` on `err` and reads one line of `in`: true for yes.
bool ask_yes_no(std::ostream& err, std::istream& in, const std::string& question);

} // namespace credenza::cli
