// The delivery report parser: any message a bounce mailbox may hold.
#include "fuzz.hpp"

#include <credenza/bounces/report.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto report = credenza::bounces::parse_report(credenza::fuzz::text(data, size));
    static_cast<void>(credenza::bounces::status_reason(report.status));
    for (const auto& id : report.message_ids) {
        static_cast<void>(credenza::bounces::message_id_token(id));
    }
    return 0;
}
