#pragma once
// The words people read for what programs read as keys: a column's heading, a field's label, a
// stored word ("family", "sent"), yes and no, a time. In the reader's language (gettext, contexts
// "column" and "value"); JSON and plain CSV keep the keys and stored words, which never change.

#include <string>
#include <string_view>

#include <credenza/kinds.hpp>
#include <credenza/table.hpp>

namespace credenza::cli::output {

// A column key or label in words: "family_accounts_without_address" -> "family accounts without
// an address" / "account famiglia senza indirizzo".
std::string words_of(std::string_view key);
// The heading of a terminal table or a `key: value` record: the words when the reader's language
// has them, else the key as before (English scripts read those).
std::string short_heading(std::string_view key);

// A cell as a person reads it: yes/no and stored words in the reader's language, a stored time
// in the school's zone (DD/MM/YYYY HH:MM in Italian); `key` is its column's, for the words.
std::string person_text(const Cell& cell, std::string_view key);
std::string person_text(const Value& value, std::string_view key);

// A stored word ("family", "sent", "spid") in the reader's language.
std::string stored_word(std::string_view word);
std::string kind_word(AccountKind kind);

} // namespace credenza::cli::output
