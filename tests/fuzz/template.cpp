// The letter template renderer: the first line is the subject, the rest the body.
#include "fuzz.hpp"

#include <credenza/mail/templates.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace credenza;
    const std::string_view input = fuzz::text(data, size);
    const auto end = input.find('\n');
    mail::Template letter;
    letter.subject = std::string(input.substr(0, end));
    letter.body = end == std::string_view::npos ? std::string() : std::string(input.substr(end + 1));
    letter.origin = "fuzz";
    try {
        mail::check_template(letter);
    } catch (const Error&) {
    }
    return 0;
}
