#pragma once
// The outbox: letters queued without secrets, claimed by `send`, and settled with the
// server's answer; and the account writes of the claimed step (the hashes of what a
// letter carries). Callers give the time; transactions are theirs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::store {

// A letter as stored. Times are ISO 8601 text as in the database.
struct Letter
{
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    LetterPurpose purpose = LetterPurpose::initial;
    bool new_pin = false;
    LetterState state = LetterState::queued;
    std::string recipient;     // the recorded address it went to
    int attempts = 0;
    std::optional<std::string> next_attempt_at;
    std::optional<int> last_code;
    std::string last_reply;
    std::string message_id;
    std::string reason;        // why a reset was made
    std::string operator_name;
    std::string queued_at;
    std::optional<std::string> sent_at;
    std::string updated_at;
};

std::optional<Letter> find_letter(Database& db, std::int64_t letter_id);

struct NewLetter
{
    std::int64_t account_id = 0;
    LetterPurpose purpose = LetterPurpose::initial;
    bool new_pin = false;
    std::string reason;
    std::string operator_name;
};

// Queues a letter; returns its id.
std::int64_t insert_letter(Database& db, const NewLetter& letter, TimePoint now);

// The letter of this purpose still waiting (queued or deferred) for the account.
std::optional<std::int64_t> find_waiting_letter(Database& db, std::int64_t account_id, LetterPurpose purpose);

// Widens a waiting letter (a PIN once asked for stays asked for) and makes it due at once.
void renew_waiting_letter(Database& db, std::int64_t letter_id, bool new_pin, std::string_view reason,
                          std::string_view operator_name, TimePoint now);

// The user code of a letter's account; Error(not_found) when there is no such account.
std::string letter_account_user_code(Database& db, std::int64_t account_id);

// An active account that `issue` may queue an initial letter for.
struct IssueCandidate
{
    std::int64_t account_id = 0;
    std::string user_code;
    AccountKind kind = AccountKind::family;
    std::string surname;
    std::string name;
    std::string email;   // the guardian's address, or the student's institutional one; "" = none
    std::string classes; // " 1A 2B ": the classes of the active pupils it covers, each between spaces
    bool has_letter = false; // it had a letter that was not cancelled, or has a password already
};

// Active accounts of the kind (every kind when nullopt), ordered by kind, surname, name.
std::vector<IssueCandidate> issue_candidates(Database& db, std::optional<AccountKind> kind);

// A letter with its account as they are now: what `send` needs to write it.
struct OutgoingLetter
{
    std::int64_t letter_id = 0;
    std::int64_t account_id = 0;
    LetterPurpose purpose = LetterPurpose::initial;
    bool new_pin = false;
    AccountKind kind = AccountKind::family;
    std::string user_code;
    AccountStatus status = AccountStatus::active; // the account's
    std::string full_name;                        // "Name Surname"
    std::string recipient;                        // the recorded address now
    int attempts = 0;
    std::string surname;                          // the holder's, for the outbox file name
    std::string birth_date;                       // a student's "YYYY-MM-DD"; "" for a family
    bool has_pin = false;                         // the account holds a PIN now (before this letter)
};

std::optional<OutgoingLetter> find_outgoing_letter(Database& db, std::int64_t letter_id);

// A pupil a letter names: the active pupils of a family account, the student of a student account.
struct LetterPupil
{
    std::string name;
    std::string surname;
    std::string class_name;
};

std::vector<LetterPupil> letter_pupils(Database& db, std::int64_t account_id, AccountKind kind);

// Letters a crash left in `sending` become deferred and due at once; returns how many.
int recover_interrupted_letters(Database& db, std::string_view reply, TimePoint now);

// The ids of the letters due at `now`, oldest first: queued, and deferred whose backoff is
// over (any, with ignore_backoff); with include_sending also those in `sending` (a dry run
// counts what a real run would recover).
std::vector<std::int64_t> due_letter_ids(Database& db, TimePoint now, bool ignore_backoff, bool include_sending);

// Letters still waiting (queued or deferred) that were queued before `before` and tried at least once.
int letters_waiting_since(Database& db, TimePoint before);

// Letters sent after `since` (the daily cap's window).
int letters_sent_since(Database& db, TimePoint since);

void cancel_letter(Database& db, std::int64_t letter_id, std::string_view reply, TimePoint now);

// The claimed step, committed before the first SMTP byte: the hashes of the secrets the
// letter carries, and the letter in `sending`.
void record_mailed_password(Database& db, std::int64_t account_id, const std::string& password_hash, TimePoint now);
void record_spid_login(Database& db, std::int64_t account_id, TimePoint now); // no password at all
void record_mailed_pin(Database& db, std::int64_t account_id, const std::string& pin_hash, TimePoint now);
// Claims the letter for sending only from the state it was read in (queued or deferred, with
// `attempts_read` attempts): false, and nothing written, when someone else claimed or settled it.
bool mark_letter_sending(Database& db, std::int64_t letter_id, std::string_view recipient,
                         std::string_view message_id, TimePoint now, int attempts_read);

// A claimed letter never handed to the server: queued again, its attempt not counted.
void requeue_letter(Database& db, std::int64_t letter_id, std::string_view reply, TimePoint next_attempt_at,
                    TimePoint now);

// What became of a letter handed to the server.
struct LetterOutcome
{
    LetterState state = LetterState::sent; // sent, deferred or failed
    int code = 0;
    std::string reply;
    std::optional<TimePoint> next_attempt_at; // deferred: when it is due again
    std::string recipient;
};

// Records the outcome; a sent letter gets its sent_at.
void settle_letter(Database& db, std::int64_t letter_id, const LetterOutcome& outcome, TimePoint now);

} // namespace credenza::store
