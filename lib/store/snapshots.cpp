#include <credenza/store/snapshots.hpp>
#include "connection.hpp"

#include <algorithm>
#include <ctime>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include <credenza/store/backup.hpp>
#include "i18n/gettext.hpp"

namespace credenza::store {

namespace {

constexpr std::string_view k_suffix = ".snapshot";

std::string prefix_of(const Database& db, std::string_view kind = ".import-")
{
    return db.path().filename().string() + std::string(kind);
}

std::vector<std::filesystem::path> files_of(const std::filesystem::path& directory, const std::string& prefix)
{
    std::vector<std::filesystem::path> found;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with(prefix) && name.ends_with(k_suffix) && entry.is_regular_file(error)) {
            found.push_back(entry.path());
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

void keep_newest(std::vector<std::filesystem::path> files, int keep)
{
    const auto excess = static_cast<std::ptrdiff_t>(files.size()) - std::max(keep, 1);
    for (std::ptrdiff_t i = 0; i < excess; ++i) {
        std::error_code ignored;
        std::filesystem::remove(files[static_cast<std::size_t>(i)], ignored);
    }
}

// Columns of an account that hold or guard its credentials, the secrets of a recovery letter that
// wait beside them included (a mailed recovery must keep working after an undo).
constexpr std::string_view k_credential_columns =
    "login_method, password_hash, password_set_at, must_change_password, pin_hash, pin_set_at, "
    "password_failures, password_last_failure_at, pin_failures, pin_last_failure_at, first_login_at, "
    "pending_password_hash, pending_pin_hash, pending_expires_at, pending_password_failures, pending_pin_failures, "
    "first_login_method, last_login_at, last_login_method";

// Tables that count guesses and requests: an undo must not give an attacker his tries back.
constexpr std::string_view k_throttle_tables[] = {"login_guess", "recover_request"};

constexpr std::string_view k_letter_outcome_columns =
    "state, recipient, attempts, next_attempt_at, last_code, last_reply, message_id, sent_at, updated_at";

constexpr std::string_view k_letter_columns =
    "id, account_id, purpose, new_pin, state, recipient, attempts, next_attempt_at, last_code, last_reply, "
    "message_id, reason, operator, queued_at, sent_at, updated_at";

// ATTACHes a file for the life of the object.
class Attached
{
public:
    Attached(SQLite::Database& db, const std::filesystem::path& file, const char* name) : m_db(db), m_name(name)
    {
        SQLite::Statement attach(m_db, fmt::format("ATTACH DATABASE ? AS {}", name));
        attach.bind(1, file.string());
        attach.exec();
    }
    ~Attached()
    {
        try {
            m_db.exec(fmt::format("DETACH DATABASE {}", m_name));
        } catch (const SQLite::Exception&) {
            // Nothing else to do: the connection ends with the process.
        }
    }
    Attached(const Attached&) = delete;
    Attached& operator=(const Attached&) = delete;

private:
    SQLite::Database& m_db;
    std::string m_name;
};

std::vector<std::string> strings(SQLite::Statement& query)
{
    std::vector<std::string> values;
    while (query.executeStep()) {
        values.push_back(query.getColumn(0).getString());
    }
    return values;
}

} // namespace

std::filesystem::path take_import_snapshot(Database& db, const std::filesystem::path& directory, TimePoint now)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    // Two imports in one second get a sequence number; names sort in the order taken.
    for (int sequence = 0; sequence < 100; ++sequence) {
        const auto path = directory / fmt::format("{}{}-{:02}{}", prefix_of(db), stamp, sequence, k_suffix);
        std::error_code error;
        if (!std::filesystem::exists(std::filesystem::symlink_status(path, error))) {
            backup_database(db, path);
            return path;
        }
    }
    throw Error(ErrorCode::cannot_create,
                credenza::i18n::format(_fmt("too many import snapshots in '{}' for one second"), directory.string()));
}

std::vector<std::filesystem::path> import_snapshots(const Database& db, const std::filesystem::path& directory)
{
    return files_of(directory, prefix_of(db));
}

void prune_import_snapshots(const Database& db, const std::filesystem::path& directory, int keep)
{
    keep_newest(import_snapshots(db, directory), keep);
    keep_newest(files_of(directory, prefix_of(db, ".before-undo-")), keep);
}

LettersSince letters_since_snapshot(Database& db, const std::filesystem::path& snapshot)
{
    LettersSince since;
    auto& raw = db.connection().raw();
    try {
        Attached attached(raw, snapshot, "snap");
        // A letter sent since: new, or sent since although queued before.
        const std::string sent_since =
            "SELECT DISTINCT a.user_code FROM letter l JOIN account a ON a.id = l.account_id WHERE l.state = 'sent' "
            "AND NOT EXISTS (SELECT 1 FROM snap.letter s WHERE s.id = l.id AND s.state = 'sent') AND ";
        {
            SQLite::Statement kept(raw, sent_since + "a.user_code IN (SELECT user_code FROM snap.account) ORDER BY 1");
            since.kept = strings(kept);
        }
        {
            SQLite::Statement lost(raw, sent_since +
                                            "a.user_code NOT IN (SELECT user_code FROM snap.account) ORDER BY 1");
            since.lost = strings(lost);
        }
    } catch (const SQLite::Exception& e) {
        throw Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot read the snapshot '{}': {}"), snapshot.string(), e.what()));
    }
    return since;
}

void restore_import_snapshot(Database& db, const std::filesystem::path& snapshot,
                             const std::filesystem::path& before_undo)
{
    backup_database(db, before_undo);
    auto& raw = db.connection().raw();
    try {
        {
            SQLite::Database source(snapshot.string(), SQLite::OPEN_READONLY);
            SQLite::Backup restore(raw, source);
            restore.executeStep(-1);
        }
        Attached attached(raw, before_undo, "current");
        SQLite::Transaction transaction(raw);
        raw.exec(fmt::format("UPDATE account SET ({0}) = (SELECT {0} FROM current.account c WHERE c.user_code = "
                             "account.user_code) WHERE user_code IN (SELECT user_code FROM current.account)",
                             k_credential_columns));
        raw.exec(fmt::format("UPDATE letter SET ({0}) = (SELECT {0} FROM current.letter c WHERE c.id = letter.id) "
                             "WHERE id IN (SELECT id FROM current.letter)",
                             k_letter_outcome_columns));
        for (const auto table : k_throttle_tables) {
            raw.exec(fmt::format("DELETE FROM {0}; INSERT INTO {0} SELECT * FROM current.{0}", table));
        }
        const auto last_letter = raw.execAndGet("SELECT coalesce(max(id), 0) FROM letter").getInt64();
        SQLite::Statement letters(
            raw, fmt::format("INSERT INTO letter ({0}) SELECT c.id, a.id, c.purpose, c.new_pin, c.state, c.recipient, "
                             "c.attempts, c.next_attempt_at, c.last_code, c.last_reply, c.message_id, c.reason, "
                             "c.operator, c.queued_at, c.sent_at, c.updated_at FROM current.letter c "
                             "JOIN current.account ca ON ca.id = c.account_id JOIN account a ON a.user_code = "
                             "ca.user_code WHERE c.id > ? ORDER BY c.id",
                             k_letter_columns));
        letters.bind(1, last_letter);
        letters.exec();
        // The audit rows written since follow the snapshot's last row: copied as they are, the chain holds.
        const auto last_audit = raw.execAndGet("SELECT coalesce(max(id), 0) FROM audit").getInt64();
        SQLite::Statement audit(raw, "INSERT INTO audit SELECT * FROM current.audit WHERE id > ? ORDER BY id");
        audit.bind(1, last_audit);
        audit.exec();
        transaction.commit();
    } catch (const SQLite::Exception& e) {
        throw Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot restore '{}' from '{}': {} (the state before the undo is in "
                                               "'{}')"),
                                               db.path().string(), snapshot.string(), e.what(), before_undo.string()));
    }
}

} // namespace credenza::store
