#pragma once
// The sender as a school writes it: a bare address, or a display name and an address
// ("Segreteria ITIS Vallauri <segreteria@itisvallauri.edu.it>").

#include <string>
#include <string_view>

#include <credenza/mail/message.hpp>

namespace credenza::mail {

struct ParsedAddress
{
    Address address;     // name "" when none was given
    std::string problem; // "" when the text is a valid sender; else why not, in lower case
};

// Accepts "addr@domain", "<addr@domain>", "Name <addr@domain>" and "\"Name\" <addr@domain>". The
// name may be any UTF-8 without control characters (RFC 2047 encodes it in the header); the address
// must pass enrolment's e-mail check. The text is never echoed in `problem`.
ParsedAddress parse_sender(std::string_view text);

} // namespace credenza::mail
