#include "letter.hpp"

#include <map>

#include <ctime>

#include <fmt/format.h>
#include <sodium.h>

#include <credenza/enrolment/fields.hpp>
#include <credenza/mail/message.hpp>
#include <credenza/time.hpp>
#include "i18n/gettext.hpp"

namespace credenza::dispatch::detail {

namespace {

void gather_pupils(store::Database& db, LetterJob& job, std::string_view language)
{
    const char* class_word = language == "en" ? "class" : "classe";
    for (const auto& pupil : store::letter_pupils(db, job.account_id, job.kind)) {
        if (!job.pupils.empty()) {
            job.pupils += '\n';
        }
        job.pupils += fmt::format("- {} {} ({} {})", pupil.name, pupil.surname, class_word, pupil.class_name);
        if (job.class_name.empty()) {
            job.class_name = pupil.class_name;
        }
    }
}

// A birthday is a date of the school's calendar, not of UTC (as accounts::is_adult).
bool adult_on(std::string_view birth_date, TimePoint date)
{
    const auto birth = enrolment::parse_iso_date(birth_date);
    if (!birth) {
        return false;
    }
    const std::time_t seconds = std::chrono::system_clock::to_time_t(date);
    std::tm local{};
    localtime_r(&seconds, &local);
    return enrolment::age_on(*birth, {local.tm_year + 1900, local.tm_mon + 1, local.tm_mday}) >= 18;
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

// The local date and time of an ISO UTC time: "02/12/2026 alle 14:05" or "2026-12-02 14:05".
std::string format_date_time(const std::string& iso_time_text, std::string_view language)
{
    const auto time = parse_iso_time(iso_time_text);
    if (!time) {
        return iso_time_text;
    }
    const std::time_t seconds = std::chrono::system_clock::to_time_t(*time);
    std::tm local{};
    localtime_r(&seconds, &local);
    if (language == "en") {
        return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday,
                           local.tm_hour, local.tm_min);
    }
    return fmt::format("{:02}/{:02}/{:04} alle {:02}:{:02}", local.tm_mday, local.tm_mon + 1, local.tm_year + 1900,
                       local.tm_hour, local.tm_min);
}

} // namespace

LetterJob load_job(store::Database& db, std::int64_t letter_id, std::string_view language)
{
    auto letter = store::find_outgoing_letter(db, letter_id);
    if (!letter) {
        throw Error(ErrorCode::not_found, credenza::i18n::format(_fmt("no letter {}"), letter_id));
    }
    LetterJob job{std::move(*letter), {}, {}};
    gather_pupils(db, job, language);
    return job;
}

mail::LetterKind letter_kind(const LetterJob& job)
{
    switch (job.purpose) {
    case LetterPurpose::reset:
        return mail::LetterKind::reset;
    case LetterPurpose::recovery:
        return mail::LetterKind::recovery;
    case LetterPurpose::reminder:
        return mail::LetterKind::reminder;
    case LetterPurpose::initial:
        break;
    }
    return job.kind == AccountKind::family ? mail::LetterKind::family : mail::LetterKind::student;
}

mail::LetterKind Letters::kind_for(const LetterJob& job) const
{
    const bool spid_family = family_spid && job.kind == AccountKind::family;
    if (job.purpose == LetterPurpose::reminder) {
        return spid_family ? mail::LetterKind::reminder_spid : mail::LetterKind::reminder;
    }
    return spid_family ? mail::LetterKind::spid : letter_kind(job);
}

mail::LetterLabel letter_label(const Letters& letters, const LetterJob& job)
{
    return {job.user_code, std::string(mail::to_string(letters.kind_for(job))), job.surname, job.class_name};
}

mail::Conditions letter_conditions(const Letters& letters, const LetterJob& job, bool password, bool pin,
                                   TimePoint date)
{
    const bool student = job.kind == AccountKind::student;
    return {
        {"self_service", letters.self_service_recover},
        {"formal", !student || letters.student_formal},
        {"student", student},
        {"adult", student && adult_on(job.birth_date, date)},
        {"password", password},
        {"pin", pin},
        {"kept_pin", !pin && job.has_pin},
        {"spid", letters.family_spid && !student},
        {"reset", job.purpose == LetterPurpose::reset},
        {"recovery", job.purpose == LetterPurpose::recovery},
        {"initial", job.purpose == LetterPurpose::initial},
    };
}

const mail::Template& Letters::for_job(const LetterJob& job) const
{
    switch (kind_for(job)) {
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
    case mail::LetterKind::reminder:
        return reminder;
    case mail::LetterKind::reminder_spid:
        return reminder_spid;
    }
    return family;
}

credentials::Secret write_letter(const Letters& letters, const LetterJob& job, const credentials::Secret& password,
                                 const credentials::Secret& pin, const std::string& expires_iso, TimePoint date,
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
        // A recovery's secrets last hours, not days: its letter says the time too.
        {"expires", job.purpose == LetterPurpose::recovery ? format_date_time(expires_iso, letters.language)
                                                           : format_date(expires_iso, letters.language)},
        {"email", job.recipient},
    };
    mail::Rendered rendered = mail::render(letters.for_job(job), fields,
                                           letter_conditions(letters, job, !password.empty(), !pin.empty(), date));
    for (auto& field : fields) {
        wipe(field.second);
    }
    message_id = mail::make_message_id(letters.message_id_domain);
    mail::Message message;
    message.from = letters.sender;
    message.to = {job.full_name, job.recipient};
    message.subject = rendered.subject;
    message.text = std::move(rendered.text);
    message.html = std::move(rendered.html);
    message.message_id = message_id;
    message.date = date;
    credentials::Secret composed(mail::compose(message));
    wipe(message.text);
    wipe(message.html);
    wipe(rendered.subject);
    return composed;
}

} // namespace credenza::dispatch::detail
