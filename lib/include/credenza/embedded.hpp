#pragma once
// Files of schemas/ compiled into the library: migrations, the column spec,
// the password blocklist and the default letter templates.

#include <optional>
#include <string_view>
#include <vector>

namespace credenza {

struct EmbeddedFile
{
    std::string_view name; // path relative to schemas/, e.g. "migrations/0001_init.sql"
    std::string_view text;
};

const std::vector<EmbeddedFile>& embedded_files();

// The text of one embedded file, or nullopt when there is no such file.
std::optional<std::string_view> embedded_file(std::string_view name);

} // namespace credenza
