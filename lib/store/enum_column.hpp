#pragma once
// Internal to store: a stored word read back as its enum (kinds.hpp spells them).

#include <string>

#include <SQLiteCpp/Column.h>
#include <fmt/format.h>

#include <credenza/error.hpp>
#include <credenza/kinds.hpp>

#include "i18n/gettext.hpp"

namespace credenza::store::detail {

// Error(io) for a word the schema's CHECK constraints should have kept out.
template <typename Enum>
Enum enum_column(const SQLite::Column& column)
{
    const std::string word = column.getString();
    if (const auto value = parse<Enum>(word)) {
        return *value;
    }
    throw Error(ErrorCode::io, credenza::i18n::format(_fmt("unexpected value '{}' in column '{}'"), word, column.getName()));
}

} // namespace credenza::store::detail
