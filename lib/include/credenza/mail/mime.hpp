#pragma once
// The MIME encodings a letter needs (RFC 2045 quoted-printable, RFC 2047 encoded words)
// and line-end normalisation. HTML escaping is util::escape_html.

#include <string>
#include <string_view>

namespace credenza::mail {

// RFC 2047 encoded words (=?UTF-8?Q?...?= or =?UTF-8?B?...?=, whichever is shorter), each at
// most 66 characters, separated by single spaces where a header may be folded. Text of
// printable ASCII only is returned as is. Words never split a UTF-8 character.
std::string encode_header_text(std::string_view utf8);

// RFC 2045 quoted-printable with CRLF line ends (LF, CRLF or CR in): lines of at most 76
// characters with soft breaks "=\r\n", '=' and whitespace before a line end encoded, and no
// UTF-8 character split across a soft break.
std::string quoted_printable(std::string_view utf8);

// LF, CRLF or a bare CR in; CRLF out.
std::string to_crlf(std::string_view text);

} // namespace credenza::mail
