#include <credenza/store/bounces.hpp>
#include "connection.hpp"

#include "enum_column.hpp"

namespace credenza::store {

namespace {

using detail::enum_column;

constexpr const char* k_reported_letter = "SELECT l.id, l.account_id, a.user_code, l.purpose, l.state "
                                          "FROM letter l JOIN account a ON a.id = l.account_id ";

std::optional<ReportedLetter> first_letter(Database& db, const std::string& sql, const std::string& low,
                                           const std::string& high)
{
    return db.connection().guard("find the letter of a delivery report", [&]() -> std::optional<ReportedLetter> {
        auto& query = db.connection().statement(sql);
        query.bind(1, low);
        if (!high.empty()) {
            query.bind(2, high);
        }
        std::optional<ReportedLetter> letter;
        if (query.executeStep()) {
            letter = ReportedLetter{query.getColumn(0).getInt64(), query.getColumn(1).getInt64(),
                                    query.getColumn(2).getString(), enum_column<LetterPurpose>(query.getColumn(3)),
                                    enum_column<LetterState>(query.getColumn(4))};
        }
        query.reset();
        return letter;
    });
}

} // namespace

std::optional<ReportedLetter> letter_by_message_id(Database& db, std::string_view message_id)
{
    if (message_id.empty()) {
        return std::nullopt;
    }
    return first_letter(db, std::string(k_reported_letter) + "WHERE l.message_id = ?1 AND l.message_id <> '' "
                                                            "ORDER BY l.id DESC LIMIT 1",
                        std::string(message_id), "");
}

std::optional<ReportedLetter> letter_by_token(Database& db, std::string_view token)
{
    if (token.size() < 16) {
        return std::nullopt; // credenza's tokens are 32 hex digits; a short one could be anyone's
    }
    // "<token@" .. "<token@\x7f": every Message-ID with this token, through the index.
    const std::string low = "<" + std::string(token) + "@";
    return first_letter(db, std::string(k_reported_letter) + "WHERE l.message_id > ?1 AND l.message_id < ?2 "
                                                            "ORDER BY l.id DESC LIMIT 1",
                        low, low + "\x7f");
}

std::string_view to_string(BounceSeverity severity)
{
    switch (severity) {
    case BounceSeverity::hard: return "hard";
    case BounceSeverity::soft: return "soft";
    case BounceSeverity::delayed: return "delayed";
    }
    return "hard";
}

bool record_bounce(Database& db, const NewBounce& bounce, TimePoint now)
{
    return db.connection().execute("INSERT OR IGNORE INTO bounce (letter_id, report_key, severity, status, diagnostic, "
                                   "recipient, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   bounce.letter_id, bounce.report_key, std::string(to_string(bounce.severity)),
                                   bounce.status, bounce.diagnostic, bounce.recipient, iso_time(now)) == 1;
}

bool mark_letter_bounced(Database& db, std::int64_t letter_id, std::string_view reply, TimePoint now)
{
    return db.connection().execute("UPDATE letter SET state = 'bounced', last_reply = ?, updated_at = ? "
                                   "WHERE id = ? AND state = 'sent'",
                                   reply, iso_time(now), letter_id) == 1;
}

std::string void_bounced_secrets(Database& db, std::int64_t letter_id, TimePoint now)
{
    const auto letter = db.connection().maybe_get<std::int64_t>("SELECT account_id FROM letter WHERE id = ?", letter_id);
    if (!letter) {
        return {};
    }
    const std::int64_t account_id = *letter;
    const std::string purpose = db.connection().get<std::string>("SELECT purpose FROM letter WHERE id = ?", letter_id);
    const bool new_pin = db.connection().get<int>("SELECT new_pin FROM letter WHERE id = ?", letter_id) != 0;
    const std::string now_text = iso_time(now);
    std::string voided;
    if (purpose == "reminder") {
        return voided; // it carried no secret
    }
    // A later letter that carried secrets too (being sent, or sent) replaced these.
    const bool replaced = db.connection().get<int>(
                              "SELECT count(*) FROM letter WHERE account_id = ? AND id > ? AND purpose <> 'reminder' "
                              "AND state IN ('sending', 'sent')",
                              account_id, letter_id) > 0;
    // The holder changed the password or logged in since: the letter did arrive somehow.
    const bool arrived = db.connection().get<int>(
                             "SELECT (a.password_hash IS NOT NULL AND a.must_change_password = 0) "
                             "OR (a.last_login_at IS NOT NULL AND a.last_login_at >= coalesce(l.sent_at, '')) "
                             "FROM account a JOIN letter l ON l.account_id = a.id WHERE l.id = ?",
                             letter_id) != 0;
    if (replaced || (arrived && purpose != "recovery")) {
        return voided;
    }
    if (purpose == "recovery") {
        if (db.connection().execute("UPDATE account SET pending_password_hash = NULL, pending_pin_hash = NULL, "
                                    "pending_expires_at = NULL, updated_at = ? WHERE id = ? "
                                    "AND (pending_password_hash IS NOT NULL OR pending_pin_hash IS NOT NULL)",
                                    now_text, account_id) == 1) {
            voided = "pending";
        }
        return voided;
    }
    if (db.connection().execute("UPDATE account SET password_hash = NULL, updated_at = ? WHERE id = ? "
                                "AND password_hash IS NOT NULL",
                                now_text, account_id) == 1) {
        voided = "password";
    }
    if (new_pin && db.connection().execute("UPDATE account SET pin_hash = NULL, pin_set_at = NULL WHERE id = ? "
                                           "AND pin_hash IS NOT NULL",
                                           account_id) == 1) {
        voided += voided.empty() ? "pin" : " pin";
    }
    return voided;
}

std::vector<RequeuedLetter> requeue_bounced_letters(Database& db, std::int64_t person_id, TimePoint now)
{
    struct Bounced
    {
        std::int64_t account_id;
        std::string user_code;
        std::string purpose;
        bool new_pin;
        std::string reason;
    };
    std::vector<Bounced> bounced;
    db.connection().guard("find letters that bounced", [&] {
        auto& query = db.connection().statement(R"sql(
SELECT a.id, a.user_code, l.purpose, l.new_pin, l.reason
FROM account a JOIN letter l ON l.account_id = a.id
WHERE a.person_id = ? AND a.status = 'active' AND l.state = 'bounced'
  AND l.id = (SELECT max(o.id) FROM letter o WHERE o.account_id = a.id AND o.state <> 'cancelled')
ORDER BY a.id)sql");
        query.bind(1, person_id);
        while (query.executeStep()) {
            bounced.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                               query.getColumn(2).getString(), query.getColumn(3).getInt() != 0,
                               query.getColumn(4).getString()});
        }
        query.reset();
    });
    std::vector<RequeuedLetter> queued;
    const std::string now_text = iso_time(now);
    for (const auto& letter : bounced) {
        db.connection().execute("INSERT INTO letter (account_id, purpose, new_pin, reason, operator, queued_at, "
                                "updated_at) VALUES (?, ?, ?, ?, '', ?, ?)",
                                letter.account_id, letter.purpose, letter.new_pin, letter.reason, now_text, now_text);
        queued.push_back({letter.user_code, db.connection().last_insert_id(),
                          parse<LetterPurpose>(letter.purpose).value_or(LetterPurpose::initial)});
    }
    return queued;
}

} // namespace credenza::store
