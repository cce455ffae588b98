// The e-mail address validator.
#include "fuzz.hpp"

#include <credenza/enrolment/fields.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static_cast<void>(credenza::enrolment::email_problem(credenza::fuzz::text(data, size)));
    return 0;
}
