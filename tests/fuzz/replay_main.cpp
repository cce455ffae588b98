// Replays fuzz inputs without fuzzing: every file named, or found in a directory named, goes once
// through the target's LLVMFuzzerTestOneInput. Linked with each target into the GCC build, so that
// scripts/test runs every seed and every crash ever found under ASan and UBSan.
#include "fuzz.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

int main(int argc, char** argv)
{
    std::vector<std::filesystem::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path given = argv[i];
        if (std::filesystem::is_directory(given)) {
            for (const auto& entry : std::filesystem::directory_iterator(given)) {
                if (entry.is_regular_file()) {
                    inputs.push_back(entry.path());
                }
            }
        } else if (std::filesystem::exists(given)) {
            inputs.push_back(given);
        }
    }
    if (inputs.empty()) {
        std::cerr << "replay: no input found\n";
        return 66;
    }
    for (const auto& input : inputs) {
        std::ifstream file(input, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    std::cout << "replayed " << inputs.size() << " inputs\n";
    return 0;
}
