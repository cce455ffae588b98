// The configuration parser, over a file and an empty environment.
#include "fuzz.hpp"

#include <credenza/config/settings.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace credenza;
    config::LoadOptions options;
    options.config_file = fuzz::input_file(fuzz::text(data, size), ".conf");
    options.getenv = [](const char*) -> const char* { return nullptr; };
    options.environment_names = [] { return std::vector<std::string>{}; };
    try {
        static_cast<void>(config::load_settings(options));
    } catch (const Error&) {
    }
    return 0;
}
