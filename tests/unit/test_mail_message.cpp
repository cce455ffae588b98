#include <credenza/mail/message.hpp>

#include <credenza/error.hpp>

#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

using namespace credenza::mail;
using credenza::Error;
using credenza::ErrorCode;

namespace mail_test {
std::string decode_header(std::string_view value);          // test_mail_decode.cpp
std::string decode_quoted_printable(std::string_view text); // test_mail_decode.cpp
} // namespace mail_test

namespace {

Message sample_message()
{
    Message message;
    message.from = {"Segreteria I.T.I.S. \"G. Vallauri\"", "segreteria@itisvallauri.edu.it"};
    message.to = {"Niccolò Bianchi", "niccolo.bianchi@example.it"};
    message.subject = "Credenziali di accesso – registro elettronico";
    message.text = "Gentile Niccolò,\n\nCodice utente: AB12CD\nPassword: x=y<z \n.una riga col punto\n";
    message.message_id = "<0123456789abcdef0123456789abcdef@itisvallauri.edu.it>";
    message.date = std::chrono::system_clock::from_time_t(1664787600); // Mon, 03 Oct 2022 09:00:00 UTC
    return message;
}

// The headers of a composed message, unfolded: name -> value.
std::string header_value(const std::string& composed, const std::string& name)
{
    const auto headers_end = composed.find("\r\n\r\n");
    const std::string headers = composed.substr(0, headers_end + 2);
    const auto start = headers.find("\r\n" + name + ": ") != std::string::npos
                         ? headers.find("\r\n" + name + ": ") + 2
                         : (headers.starts_with(name + ": ") ? 0 : std::string::npos);
    REQUIRE(start != std::string::npos);
    std::string value;
    std::size_t position = start + name.size() + 2;
    while (true) {
        const auto end = headers.find("\r\n", position);
        value += headers.substr(position, end - position);
        position = end + 2;
        if (position >= headers.size() || (headers[position] != ' ' && headers[position] != '\t')) {
            break;
        }
        value += "\r\n"; // keep the fold for decode_header to undo
    }
    return value;
}

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (auto end = text.find("\r\n"); end != std::string::npos; end = text.find("\r\n", start)) {
        lines.push_back(text.substr(start, end - start));
        start = end + 2;
    }
    lines.push_back(text.substr(start));
    return lines;
}

void check_crlf_only(const std::string& text)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            REQUIRE(i > 0);
            CHECK(text[i - 1] == '\r');
        }
        if (text[i] == '\r') {
            REQUIRE(i + 1 < text.size());
            CHECK(text[i + 1] == '\n');
        }
    }
}

ErrorCode error_code_of(const Message& message)
{
    try {
        compose(message);
    } catch (const Error& error) {
        return error.code();
    }
    FAIL("compose accepted a message it should have refused");
    return ErrorCode::internal;
}

} // namespace

TEST_CASE("message: a composed letter has CRLF everywhere and lines within the limits")
{
    const std::string composed = compose(sample_message());
    check_crlf_only(composed);
    CHECK(composed.ends_with("\r\n"));
    const auto body_start = composed.find("\r\n\r\n") + 4;
    for (const auto& line : lines_of(composed.substr(0, body_start))) {
        CHECK(line.size() <= 78);
    }
    for (const auto& line : lines_of(composed.substr(body_start))) {
        CHECK(line.size() <= 76);
    }
}

TEST_CASE("message: the headers carry date, addresses, encoded subject and MIME type")
{
    const std::string composed = compose(sample_message());
    CHECK(header_value(composed, "Date") == "Mon, 3 Oct 2022 09:00:00 +0000");
    CHECK(header_value(composed, "From")
          == "\"Segreteria I.T.I.S. \\\"G. Vallauri\\\"\" <segreteria@itisvallauri.edu.it>");
    CHECK(mail_test::decode_header(header_value(composed, "To")) == "Niccolò Bianchi <niccolo.bianchi@example.it>");
    CHECK(header_value(composed, "To").find("Niccol") != std::string::npos);
    CHECK(mail_test::decode_header(header_value(composed, "Subject")) == "Credenziali di accesso – registro elettronico");
    CHECK(header_value(composed, "Message-ID") == "<0123456789abcdef0123456789abcdef@itisvallauri.edu.it>");
    CHECK(header_value(composed, "MIME-Version") == "1.0");
    CHECK(header_value(composed, "Content-Type") == "text/plain; charset=UTF-8");
    CHECK(header_value(composed, "Content-Transfer-Encoding") == "quoted-printable");
    for (const char byte : composed) {
        CHECK(static_cast<unsigned char>(byte) < 0x80); // 7-bit clean: UTF-8 only inside encodings
    }
}

TEST_CASE("message: the text body decodes back to the letter with CRLF line ends")
{
    const Message message = sample_message();
    const std::string composed = compose(message);
    const std::string body = composed.substr(composed.find("\r\n\r\n") + 4);
    CHECK(mail_test::decode_quoted_printable(body)
          == "Gentile Niccolò,\r\n\r\nCodice utente: AB12CD\r\nPassword: x=y<z \r\n.una riga col punto\r\n");
}

TEST_CASE("message: a long subject is folded so no header line passes 78 characters")
{
    Message message = sample_message();
    message.subject = "Comunicazione importante per le famiglie degli studenti delle classi prime: credenziali del "
                      "registro elettronico per l'anno scolastico 2022/2023";
    const std::string composed = compose(message);
    const std::string subject = header_value(composed, "Subject");
    CHECK(subject.find("\r\n ") != std::string::npos);
    CHECK(mail_test::decode_header(subject) == message.subject);
    for (const auto& line : lines_of(composed.substr(0, composed.find("\r\n\r\n")))) {
        CHECK(line.size() <= 78);
    }
}

TEST_CASE("message: with html the letter is multipart/alternative, text first, both quoted-printable")
{
    Message message = sample_message();
    message.html = "<p>Password: x=y&lt;z</p>\n";
    const std::string composed = compose(message);
    check_crlf_only(composed);
    const std::string content_type = header_value(composed, "Content-Type");
    std::smatch match;
    REQUIRE(std::regex_search(content_type, match, std::regex("multipart/alternative;\r\n boundary=\"([^\"]+)\"")));
    const std::string boundary = match[1];
    const auto first = composed.find("--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                                     "Content-Transfer-Encoding: quoted-printable\r\n");
    const auto second = composed.find("--" + boundary + "\r\nContent-Type: text/html; charset=UTF-8\r\n"
                                      "Content-Transfer-Encoding: quoted-printable\r\n");
    const auto end = composed.find("--" + boundary + "--\r\n");
    CHECK(first != std::string::npos);
    CHECK(second != std::string::npos);
    CHECK(end != std::string::npos);
    CHECK(first < second);
    CHECK(second < end);
    CHECK(composed.find("<p>Password: x=3Dy&lt;z</p>") != std::string::npos);
}

TEST_CASE("message: a CR or LF in a display name, subject or address is refused, never emitted")
{
    Message message = sample_message();
    message.from.name = "Segreteria\r\nBcc: everyone@example.it";
    CHECK(error_code_of(message) == ErrorCode::bad_input);

    message = sample_message();
    message.to.name = "Rossi\nMario";
    CHECK(error_code_of(message) == ErrorCode::bad_input);

    message = sample_message();
    message.subject = "Credenziali\r\nBcc: everyone@example.it";
    CHECK(error_code_of(message) == ErrorCode::bad_input);

    message = sample_message();
    message.subject = "tab\tinside";
    CHECK(error_code_of(message) == ErrorCode::bad_input);

    message = sample_message();
    message.to.email = "victim@example.it>\r\nBcc: <everyone@example.it";
    CHECK(error_code_of(message) == ErrorCode::bad_input);

    message = sample_message();
    message.to.email = "a@b.it> , <other@example.it";
    CHECK(error_code_of(message) == ErrorCode::bad_input);

    message = sample_message();
    message.message_id = "<id@x>\r\nBcc: everyone@example.it";
    CHECK(error_code_of(message) == ErrorCode::bad_input);
}

TEST_CASE("message: make_message_id gives 32 random hex characters at the domain")
{
    const std::string id = make_message_id("itisvallauri.edu.it");
    CHECK(std::regex_match(id, std::regex("<[0-9a-f]{32}@itisvallauri\\.edu\\.it>")));
    CHECK(make_message_id("itisvallauri.edu.it") != id);
    CHECK_THROWS_AS(make_message_id("bad domain"), Error);
    CHECK_THROWS_AS(make_message_id("x\r\ny"), Error);
    CHECK_THROWS_AS(make_message_id(""), Error);
}
