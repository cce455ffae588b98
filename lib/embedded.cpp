#include <credenza/embedded.hpp>

namespace credenza {

std::optional<std::string_view> embedded_file(std::string_view name)
{
    for (const auto& file : embedded_files()) {
        if (file.name == name) {
            return file.text;
        }
    }
    return std::nullopt;
}

} // namespace credenza
