// The codice fiscale validator, and the birth data of every code it accepts.
#include "fuzz.hpp"

#include <credenza/enrolment/codice_fiscale.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace credenza;
    const std::string code = enrolment::normalise_codice_fiscale(fuzz::text(data, size));
    if (enrolment::codice_fiscale_problem(code).empty()) {
        static_cast<void>(enrolment::codice_fiscale_birth(code));
    }
    return 0;
}
