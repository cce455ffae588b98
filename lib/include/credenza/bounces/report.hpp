#pragma once
// Reading a message from the bounce mailbox: is it a delivery report, of what, and about which
// letter. Pure: no I/O, no store. The returned copy of the original message is read for its
// Message-ID only; nothing of it is kept in the result.

#include <string>
#include <string_view>
#include <vector>

namespace credenza::bounces {

enum class ReportKind {
    failed,     // the letter will never arrive: a 5.x.x status (hard) or a final 4.x.x (soft)
    delayed,    // "Action: delayed", a warning: the server still tries; not a failure
    delivered,  // a success notice (Action: delivered, relayed, expanded): nothing to do
    auto_reply, // vacation, out of office, RFC 3834 Auto-Submitted: not a delivery report
    not_report, // ordinary mail, or nothing that says what became of a letter
    malformed,  // a delivery report that cannot be read (no status, no headers)
};

struct Report
{
    ReportKind kind = ReportKind::not_report;
    std::string status;        // RFC 3463 "5.1.1"; "" when none was found
    std::string diagnostic;    // the server's words, one line of at most 300 printable characters
    std::string recipient;     // the address that failed (Final-Recipient), "" when not said
    // Where the report may come from: every "<id@domain>" it names as the original's Message-ID
    // (returned headers, In-Reply-To, References, "Message-ID:" lines of a returned copy), and the
    // tokens of VERP addresses it was sent to ("local+L<token>@domain" -> "<token>").
    std::vector<std::string> message_ids;
    std::vector<std::string> verp_tokens;
    std::string report_id;     // the report's own Message-ID, "" when it has none

    bool hard() const { return kind == ReportKind::failed && status.starts_with('5'); }
};

// Never throws for what the message holds; anything unreadable is ReportKind::malformed or not_report.
Report parse_report(std::string_view message);

// What a status means for the secretariat, in English (marked for translation; the caller
// translates): "5.1.1" -> "mailbox does not exist", "4.2.2" -> "mailbox full".
const char* status_reason(std::string_view status);

// The VERP envelope sender of a letter: "segreteria@scuola.it" and token "ab12" ->
// "segreteria+Lab12@scuola.it".
std::string verp_address(std::string_view sender, std::string_view token);

// The token of a Message-ID credenza made, "<token@domain>" -> "token"; "" when it has none.
std::string message_id_token(std::string_view message_id);

std::string_view to_string(ReportKind kind);

} // namespace credenza::bounces
