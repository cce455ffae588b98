// The SMTP reply classifier: two bytes of reply code, then the reply text.
#include "fuzz.hpp"

#include <credenza/mail/transport.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2) {
        return 0;
    }
    const int code = (data[0] << 8 | data[1]) % 1000;
    static_cast<void>(credenza::mail::classify(code, credenza::fuzz::text(data + 2, size - 2)));
    return 0;
}
