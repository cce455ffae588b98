#pragma once
// Internal to dispatch: what a letter needs to be written, and writing it.

#include <string>

#include <credenza/credentials/secret.hpp>
#include <credenza/mail/message.hpp>
#include <credenza/mail/templates.hpp>
#include <credenza/mail/transport.hpp>
#include <credenza/store/database.hpp>
#include <credenza/store/letters.hpp>
#include <credenza/store/school.hpp>
#include <credenza/time.hpp>

namespace credenza::dispatch::detail {

// The letter and its account as they are now, and the pupils it names.
struct LetterJob : store::OutgoingLetter
{
    std::string pupils;     // "- Name Surname (classe 1A)" lines
    std::string class_name; // the first pupil's class ("" when none is enrolled), for the outbox file name
};

// Loads the letter and its account as they are now; Error(not_found) when there is no such letter.
LetterJob load_job(store::Database& db, std::int64_t letter_id, std::string_view language);

mail::LetterKind letter_kind(const LetterJob& job);

struct Letters
{
    store::School school;
    mail::Address sender;            // the From header: [mail] from's name (else the school's) and address
    std::string language;
    std::string message_id_domain;
    mail::Template family;
    mail::Template student;
    mail::Template reset;
    mail::Template recovery;
    mail::Template spid;             // any letter to a family that logs in with SPID or CIE
    mail::Template reminder;         // "how to log in", no secret: a password holder
    mail::Template reminder_spid;    // the same for a family that logs in with SPID or CIE
    bool family_spid = false;
    bool self_service_recover = true; // the letters explain "Password dimenticata?" (else a justified request)
    bool student_formal = false;      // students are addressed with "Lei" like families (else "tu")

    const mail::Template& for_job(const LetterJob& job) const;
    // The template's kind for this letter: "family", "student", "reset", "recovery" or "spid".
    mail::LetterKind kind_for(const LetterJob& job) const;
};

// What a person looking for the letter among files needs: user code, kind, surname, class.
mail::LetterLabel letter_label(const Letters& letters, const LetterJob& job);

// The "%if" conditions of this letter (see mail/templates.hpp); `date` decides whether a student is adult.
mail::Conditions letter_conditions(const Letters& letters, const LetterJob& job, bool password, bool pin,
                                   TimePoint date);

// The composed RFC 5322 message: it holds the secrets, hence a Secret.
credentials::Secret write_letter(const Letters& letters, const LetterJob& job, const credentials::Secret& password,
                                 const credentials::Secret& pin, const std::string& expires_iso, TimePoint date,
                                 std::string& message_id);

} // namespace credenza::dispatch::detail
