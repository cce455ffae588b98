#include "letter.hpp"

#include <chrono>
#include <map>

#include <fmt/format.h>
#include <sodium.h>

#include <credenza/mail/message.hpp>
#include <credenza/time.hpp>

namespace credenza::dispatch::detail {

namespace {

std::string pupils_text(store::Database& db, const LetterJob& job, std::string_view language)
{
    const char* class_word = language == "en" ? "class" : "classe";
    std::string text;
    auto& query =
        job.kind == "family"
            ? db.statement("SELECT p.name, p.surname, pu.class FROM guardianship g JOIN person p ON p.id = g.pupil_id "
                           "JOIN pupil pu ON pu.person_id = g.pupil_id JOIN account a ON a.person_id = g.guardian_id "
                           "WHERE a.id = ? AND pu.status = 'active' ORDER BY pu.class, p.surname, p.name")
            : db.statement("SELECT p.name, p.surname, pu.class FROM account a JOIN person p ON p.id = a.person_id "
                           "JOIN pupil pu ON pu.person_id = a.person_id WHERE a.id = ?");
    query.bind(1, job.account_id);
    while (query.executeStep()) {
        if (!text.empty()) {
            text += '\n';
        }
        text += fmt::format("- {} {} ({} {})", query.getColumn(0).getString(), query.getColumn(1).getString(),
                            class_word, query.getColumn(2).getString());
    }
    return text;
}

// Wipes a string that held a secret (short strings live in the object itself, so moving is not enough).
void wipe(std::string& text)
{
    sodium_memzero(text.data(), text.size());
    text.clear();
}

std::string format_date(const std::string& iso_time_text, std::string_view language)
{
    // iso_time_text is "YYYY-MM-DDTHH:MM:SSZ"
    if (iso_time_text.size() < 10) {
        return iso_time_text;
    }
    if (language == "en") {
        return iso_time_text.substr(0, 10);
    }
    return fmt::format("{}/{}/{}", iso_time_text.substr(8, 2), iso_time_text.substr(5, 2), iso_time_text.substr(0, 4));
}

} // namespace

LetterJob load_job(store::Database& db, std::int64_t letter_id, std::string_view language)
{
    LetterJob job;
    db.guard("load letter", [&] {
        auto& query = db.statement(R"sql(
SELECT l.id, l.account_id, l.purpose, l.new_pin, a.kind, a.user_code, a.status, p.name || ' ' || p.surname,
       CASE a.kind WHEN 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END, l.attempts
FROM letter l JOIN account a ON a.id = l.account_id JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
WHERE l.id = ?)sql");
        query.bind(1, letter_id);
        if (!query.executeStep()) {
            throw Error(ErrorCode::not_found, fmt::format("no letter {}", letter_id));
        }
        job.letter_id = query.getColumn(0).getInt64();
        job.account_id = query.getColumn(1).getInt64();
        job.purpose = query.getColumn(2).getString();
        job.new_pin = query.getColumn(3).getInt() != 0;
        job.kind = query.getColumn(4).getString();
        job.user_code = query.getColumn(5).getString();
        job.status = query.getColumn(6).getString();
        job.full_name = query.getColumn(7).getString();
        job.recipient = query.getColumn(8).getString();
        job.attempts = query.getColumn(9).getInt();
        query.reset(); // a send holds no read snapshot while it hashes and talks SMTP
    });
    job.pupils = pupils_text(db, job, language);
    return job;
}

mail::LetterKind letter_kind(const LetterJob& job)
{
    if (job.purpose == "reset") {
        return mail::LetterKind::reset;
    }
    if (job.purpose == "recovery") {
        return mail::LetterKind::recovery;
    }
    return job.kind == "family" ? mail::LetterKind::family : mail::LetterKind::student;
}

const mail::Template& Letters::for_job(const LetterJob& job) const
{
    if (family_spid && job.kind == "family") {
        return spid;
    }
    switch (letter_kind(job)) {
    case mail::LetterKind::family:
        return family;
    case mail::LetterKind::student:
        return student;
    case mail::LetterKind::reset:
        return reset;
    case mail::LetterKind::recovery:
        return recovery;
    case mail::LetterKind::spid:
        return spid;
    }
    return family;
}

credentials::Secret write_letter(const Letters& letters, const LetterJob& job, const credentials::Secret& password,
                                 const credentials::Secret& pin, const std::string& expires_iso,
                                 std::string& message_id)
{
    const bool english = letters.language == "en";
    // Each credential on a line of its own, exactly as the register's users are told to read them.
    // A family that logs in with SPID or CIE gets no password line.
    credentials::Secret block(password.empty()
                                  ? fmt::format("{}: {}", english ? "User code" : "Codice utente", job.user_code)
                                  : fmt::format("{}: {}\nPassword: {}", english ? "User code" : "Codice utente",
                                                job.user_code, password.view()));
    if (!pin.empty()) {
        block = credentials::Secret(fmt::format("{}\nPIN: {}", block.view(), pin.view()));
    }
    std::map<std::string, std::string> fields = {
        {"school_name", letters.school.name},
        {"portal_url", letters.school.portal_url},
        {"user_code", job.user_code},
        {"password", std::string(password.view())},
        {"pin", std::string(pin.view())},
        {"name", job.full_name},
        {"pupils", job.pupils},
        {"credentials", std::string(block.view())},
        {"expires", format_date(expires_iso, letters.language)},
        {"email", job.recipient},
    };
    mail::Rendered rendered = mail::render(letters.for_job(job), fields);
    for (auto& field : fields) {
        wipe(field.second);
    }
    message_id = mail::make_message_id(letters.message_id_domain);
    mail::Message message;
    message.from = {letters.school.name, letters.school.mail_from};
    message.to = {job.full_name, job.recipient};
    message.subject = rendered.subject;
    message.text = std::move(rendered.text);
    message.html = std::move(rendered.html);
    message.message_id = message_id;
    message.date = std::chrono::system_clock::now();
    credentials::Secret composed(mail::compose(message));
    wipe(message.text);
    wipe(message.html);
    wipe(rendered.subject);
    return composed;
}

} // namespace credenza::dispatch::detail
