#include "fuzz.hpp"

#include <fstream>
#include <unistd.h>

namespace credenza::fuzz {

std::filesystem::path input_file(std::string_view contents, const char* suffix)
{
    static const std::filesystem::path directory = [] {
        auto path = std::filesystem::temp_directory_path() / ("credenza-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        return path;
    }();
    const auto path = directory / (std::string("input") + suffix);
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(contents.data(), static_cast<std::streamsize>(contents.size()));
    return path;
}

} // namespace credenza::fuzz
