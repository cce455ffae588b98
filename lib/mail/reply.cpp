#include <credenza/mail/transport.hpp>

namespace credenza::mail {

namespace {

// "4.2.1" from "450 4.2.1 Too many messages" (or from "4.2.1 ..." without the code).
std::string_view enhanced_status(std::string_view reply)
{
    if (reply.size() >= 4 && reply[0] >= '0' && reply[0] <= '9' && reply[1] >= '0' && reply[1] <= '9'
        && reply[2] >= '0' && reply[2] <= '9' && (reply[3] == ' ' || reply[3] == '-')) {
        reply.remove_prefix(4);
    }
    while (!reply.empty() && reply.front() == ' ') {
        reply.remove_prefix(1);
    }
    return reply.substr(0, reply.find(' '));
}

} // namespace

Outcome classify(int code, std::string_view reply)
{
    if (code >= 200 && code < 300) {
        return Outcome::sent;
    }
    // Provider limits: every further letter would be refused too, so the batch stops.
    const std::string_view status = enhanced_status(reply);
    if (code == 421 || (code == 450 && status == "4.2.1") || (code == 452 && status == "4.5.3")
        || (code == 550 && status == "5.4.5")) {
        return Outcome::paused;
    }
    if (code >= 500 && code < 600) {
        return Outcome::failed;
    }
    // 4xx, and anything else that is not an answer to the message (0: no reply at all).
    return Outcome::deferred;
}

} // namespace credenza::mail
