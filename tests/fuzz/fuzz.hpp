#pragma once
// Shared by the fuzz targets (libFuzzer with clang, scripts/fuzz) and their replay under the GCC
// sanitize build (replay_main.cpp). Each target is one file NAME.cpp defining
// LLVMFuzzerTestOneInput over public library functions only: keep them thin.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <credenza/error.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace credenza::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

// A file holding the input, for the functions that read files; one per process, rewritten each run.
std::filesystem::path input_file(std::string_view contents, const char* suffix);

} // namespace credenza::fuzz
