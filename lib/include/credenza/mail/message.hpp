#pragma once
// One letter as RFC 5322 text: the headers built from validated data, the
// body as quoted-printable UTF-8, optionally with an HTML alternative.

#include <chrono>
#include <string>
#include <string_view>

namespace credenza::mail {

struct Address
{
    std::string name;  // display name, any UTF-8
    std::string email; // validated by the caller; control characters and "<>" are refused here too
};

struct Message
{
    Address from;
    Address to;
    std::string subject;    // UTF-8
    std::string text;       // UTF-8, LF line ends (converted to CRLF when composed)
    std::string html;       // optional HTML alternative; "" = text only
    std::string message_id; // "<random@domain>", see make_message_id
    std::chrono::system_clock::time_point date;
};

// "<32 hex random chars@domain>" from libsodium's CSPRNG. Error(bad_input) for a domain that
// could not stand in a header (empty, spaces, control characters, "<>@").
std::string make_message_id(std::string_view domain);

// The full message with CRLF line ends: Date (UTC, +0000), From, To, Subject (RFC 2047 encoded
// words when not ASCII, folded to 78 columns), Message-ID, MIME-Version and a text/plain
// quoted-printable body, or multipart/alternative (text, then html) when html is set.
// Error(bad_input) when a control character would reach a header; nothing is emitted then.
std::string compose(const Message& message);

} // namespace credenza::mail
