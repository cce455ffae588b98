#include <credenza/store/letters.hpp>
#include "connection.hpp"

#include "enum_column.hpp"

namespace credenza::store {

namespace {

using detail::enum_column;

template <typename T>
std::optional<T> optional_column(const SQLite::Column& column)
{
    if (column.isNull()) {
        return std::nullopt;
    }
    return column.operator T();
}

constexpr const char* k_letter_columns =
    "id, account_id, purpose, new_pin, state, recipient, attempts, next_attempt_at, last_code, last_reply, "
    "message_id, reason, operator, queued_at, sent_at, updated_at";

Letter read_letter(SQLite::Statement& query)
{
    Letter letter;
    letter.id = query.getColumn(0).getInt64();
    letter.account_id = query.getColumn(1).getInt64();
    letter.purpose = enum_column<LetterPurpose>(query.getColumn(2));
    letter.new_pin = query.getColumn(3).getInt() != 0;
    letter.state = enum_column<LetterState>(query.getColumn(4));
    letter.recipient = query.getColumn(5).getString();
    letter.attempts = query.getColumn(6).getInt();
    letter.next_attempt_at = optional_column<std::string>(query.getColumn(7));
    letter.last_code = optional_column<int>(query.getColumn(8));
    letter.last_reply = query.getColumn(9).getString();
    letter.message_id = query.getColumn(10).getString();
    letter.reason = query.getColumn(11).getString();
    letter.operator_name = query.getColumn(12).getString();
    letter.queued_at = query.getColumn(13).getString();
    letter.sent_at = optional_column<std::string>(query.getColumn(14));
    letter.updated_at = query.getColumn(15).getString();
    return letter;
}

IssueCandidate read_issue_candidate(SQLite::Statement& query)
{
    return {query.getColumn(0).getInt64(),
            query.getColumn(1).getString(),
            enum_column<AccountKind>(query.getColumn(2)),
            query.getColumn(3).getString(),
            query.getColumn(4).getString(),
            query.getColumn(5).getString(),
            query.getColumn(6).getString(),
            query.getColumn(7).getInt() != 0};
}

OutgoingLetter read_outgoing_letter(SQLite::Statement& query)
{
    OutgoingLetter letter;
    letter.letter_id = query.getColumn(0).getInt64();
    letter.account_id = query.getColumn(1).getInt64();
    letter.purpose = enum_column<LetterPurpose>(query.getColumn(2));
    letter.new_pin = query.getColumn(3).getInt() != 0;
    letter.kind = enum_column<AccountKind>(query.getColumn(4));
    letter.user_code = query.getColumn(5).getString();
    letter.status = enum_column<AccountStatus>(query.getColumn(6));
    letter.full_name = query.getColumn(7).getString();
    letter.recipient = query.getColumn(8).getString();
    letter.attempts = query.getColumn(9).getInt();
    letter.surname = query.getColumn(10).getString();
    letter.birth_date = query.getColumn(11).getString();
    letter.has_pin = query.getColumn(12).getInt() != 0;
    return letter;
}

LetterPupil read_letter_pupil(SQLite::Statement& query)
{
    return {query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString()};
}

} // namespace

std::optional<Letter> find_letter(Database& db, std::int64_t letter_id)
{
    const std::string sql = std::string("SELECT ") + k_letter_columns + " FROM letter WHERE id = ?";
    return db.connection().guard("load letter", [&]() -> std::optional<Letter> {
        auto& query = db.connection().statement(sql);
        query.bind(1, letter_id);
        std::optional<Letter> letter;
        if (query.executeStep()) {
            letter = read_letter(query);
        }
        query.reset();
        return letter;
    });
}

std::int64_t insert_letter(Database& db, const NewLetter& letter, TimePoint now)
{
    const std::string now_text = iso_time(now);
    db.connection().execute("INSERT INTO letter (account_id, purpose, new_pin, reason, operator, queued_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               letter.account_id, to_string(letter.purpose), letter.new_pin, letter.reason, letter.operator_name,
               now_text, now_text);
    return db.connection().last_insert_id();
}

std::optional<std::int64_t> find_waiting_letter(Database& db, std::int64_t account_id, LetterPurpose purpose)
{
    return db.connection().maybe_get<std::int64_t>(
        "SELECT id FROM letter WHERE account_id = ? AND purpose = ? AND state IN ('queued', 'deferred')", account_id,
        to_string(purpose));
}

void renew_waiting_letter(Database& db, std::int64_t letter_id, bool new_pin, std::string_view reason,
                          std::string_view operator_name, TimePoint now)
{
    db.connection().execute("UPDATE letter SET new_pin = max(new_pin, ?), next_attempt_at = NULL, reason = ?, operator = ?, "
               "updated_at = ? WHERE id = ?",
               new_pin, reason, operator_name, iso_time(now), letter_id);
}

std::string letter_account_user_code(Database& db, std::int64_t account_id)
{
    return db.connection().get<std::string>("SELECT user_code FROM account WHERE id = ?", account_id);
}

std::vector<IssueCandidate> issue_candidates(Database& db, std::optional<AccountKind> kind)
{
    std::vector<IssueCandidate> list;
    db.connection().guard("select accounts to issue", [&] {
        auto& query = db.connection().statement(R"sql(
SELECT a.id, a.user_code, a.kind, p.surname, p.name,
       CASE a.kind WHEN 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END,
       CASE a.kind WHEN 'student' THEN ' ' || coalesce(pu.class, '') || ' '
            ELSE ' ' || coalesce((SELECT group_concat(cp.class, ' ') FROM guardianship g
                                  JOIN pupil cp ON cp.person_id = g.pupil_id
                                  WHERE g.guardian_id = a.person_id AND cp.status = 'active'), '') || ' ' END,
       EXISTS (SELECT 1 FROM letter l WHERE l.account_id = a.id AND l.state <> 'cancelled')
       OR a.password_hash IS NOT NULL
FROM account a JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
WHERE a.status = 'active' AND (?1 = 'all' OR a.kind = ?1)
ORDER BY a.kind, p.surname, p.name, a.id)sql");
        query.bind(1, kind ? std::string(to_string(*kind)) : std::string("all"));
        while (query.executeStep()) {
            list.push_back(read_issue_candidate(query));
        }
    });
    return list;
}

std::optional<OutgoingLetter> find_outgoing_letter(Database& db, std::int64_t letter_id)
{
    return db.connection().guard("load letter", [&]() -> std::optional<OutgoingLetter> {
        auto& query = db.connection().statement(R"sql(
SELECT l.id, l.account_id, l.purpose, l.new_pin, a.kind, a.user_code, a.status, p.name || ' ' || p.surname,
       CASE a.kind WHEN 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END, l.attempts,
       p.surname, coalesce(pu.birth_date, ''), a.pin_hash IS NOT NULL
FROM letter l JOIN account a ON a.id = l.account_id JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
WHERE l.id = ?)sql");
        query.bind(1, letter_id);
        std::optional<OutgoingLetter> letter;
        if (query.executeStep()) {
            letter = read_outgoing_letter(query);
        }
        query.reset(); // a send holds no read snapshot while it hashes and talks SMTP
        return letter;
    });
}

std::vector<LetterPupil> letter_pupils(Database& db, std::int64_t account_id, AccountKind kind)
{
    std::vector<LetterPupil> pupils;
    db.connection().guard("load the pupils of a letter", [&] {
        auto& query =
            kind == AccountKind::family
                ? db.connection().statement("SELECT p.name, p.surname, pu.class FROM guardianship g "
                               "JOIN person p ON p.id = g.pupil_id JOIN pupil pu ON pu.person_id = g.pupil_id "
                               "JOIN account a ON a.person_id = g.guardian_id "
                               "WHERE a.id = ? AND pu.status = 'active' ORDER BY pu.class, p.surname, p.name")
                : db.connection().statement("SELECT p.name, p.surname, pu.class FROM account a JOIN person p ON p.id = a.person_id "
                               "JOIN pupil pu ON pu.person_id = a.person_id WHERE a.id = ?");
        query.bind(1, account_id);
        while (query.executeStep()) {
            pupils.push_back(read_letter_pupil(query));
        }
    });
    return pupils;
}

int recover_interrupted_letters(Database& db, std::string_view reply, TimePoint now)
{
    return db.connection().execute("UPDATE letter SET state = 'deferred', next_attempt_at = NULL, last_reply = ?, updated_at = ? "
                      "WHERE state = 'sending'",
                      reply, iso_time(now));
}

std::vector<std::int64_t> due_letter_ids(Database& db, TimePoint now, bool ignore_backoff, bool include_sending)
{
    std::vector<std::int64_t> ids;
    db.connection().guard("select due letters", [&] {
        auto& query = db.connection().statement("SELECT id FROM letter WHERE (state = 'queued' OR state = 'deferred' "
                                   "OR (state = 'sending' AND ?3)) "
                                   "AND (next_attempt_at IS NULL OR next_attempt_at <= ?1 OR ?2) "
                                   "ORDER BY coalesce(next_attempt_at, queued_at), id");
        query.bind(1, iso_time(now));
        query.bind(2, ignore_backoff ? 1 : 0);
        query.bind(3, include_sending ? 1 : 0);
        while (query.executeStep()) {
            ids.push_back(query.getColumn(0).getInt64());
        }
    });
    return ids;
}

int letters_waiting_since(Database& db, TimePoint before)
{
    return db.connection().get<int>("SELECT count(*) FROM letter WHERE state IN ('queued', 'deferred') "
                                    "AND attempts > 0 AND queued_at <= ?",
                                    iso_time(before));
}

int letters_sent_since(Database& db, TimePoint since)
{
    return db.connection().get<int>("SELECT count(*) FROM letter WHERE state = 'sent' AND sent_at > ?", iso_time(since));
}

void cancel_letter(Database& db, std::int64_t letter_id, std::string_view reply, TimePoint now)
{
    db.connection().execute("UPDATE letter SET state = 'cancelled', last_reply = ?, updated_at = ? WHERE id = ?", reply,
               iso_time(now), letter_id);
}

void record_mailed_password(Database& db, std::int64_t account_id, const std::string& password_hash, TimePoint now)
{
    const std::string now_text = iso_time(now);
    db.connection().execute("UPDATE account SET password_hash = ?, password_set_at = ?, must_change_password = 1, "
               "login_method = 'password', password_failures = 0, password_last_failure_at = NULL, "
               "updated_at = ? WHERE id = ?",
               password_hash, now_text, now_text, account_id);
}

void record_spid_login(Database& db, std::int64_t account_id, TimePoint now)
{
    db.connection().execute("UPDATE account SET password_hash = NULL, password_set_at = NULL, must_change_password = 0, "
               "login_method = 'spid_cie', password_failures = 0, password_last_failure_at = NULL, "
               "updated_at = ? WHERE id = ?",
               iso_time(now), account_id);
}

void record_mailed_pin(Database& db, std::int64_t account_id, const std::string& pin_hash, TimePoint now)
{
    db.connection().execute("UPDATE account SET pin_hash = ?, pin_set_at = ?, pin_failures = 0 WHERE id = ?", pin_hash,
               iso_time(now), account_id);
}

bool mark_letter_sending(Database& db, std::int64_t letter_id, std::string_view recipient,
                         std::string_view message_id, TimePoint now, int attempts_read)
{
    return db.connection().execute("UPDATE letter SET state = 'sending', attempts = attempts + 1, recipient = ?, "
                                   "message_id = ?, next_attempt_at = NULL, updated_at = ? "
                                   "WHERE id = ? AND state IN ('queued', 'deferred') AND attempts = ?",
                                   recipient, message_id, iso_time(now), letter_id, attempts_read) == 1;
}

void requeue_letter(Database& db, std::int64_t letter_id, std::string_view reply, TimePoint next_attempt_at,
                    TimePoint now)
{
    db.connection().execute("UPDATE letter SET state = 'queued', attempts = max(attempts - 1, 0), next_attempt_at = ?, "
               "last_reply = ?, updated_at = ? WHERE id = ?",
               iso_time(next_attempt_at), reply, iso_time(now), letter_id);
}

void settle_letter(Database& db, std::int64_t letter_id, const LetterOutcome& outcome, TimePoint now)
{
    const std::string now_text = iso_time(now);
    std::optional<std::string> next_attempt;
    if (outcome.next_attempt_at) {
        next_attempt = iso_time(*outcome.next_attempt_at);
    }
    std::optional<std::string> sent_at;
    if (outcome.state == LetterState::sent) {
        sent_at = now_text;
    }
    db.connection().execute("UPDATE letter SET state = ?, last_code = ?, last_reply = ?, next_attempt_at = ?, "
               "sent_at = coalesce(?, sent_at), recipient = ?, updated_at = ? WHERE id = ?",
               to_string(outcome.state), outcome.code, outcome.reply, next_attempt, sent_at, outcome.recipient,
               now_text, letter_id);
}

} // namespace credenza::store
