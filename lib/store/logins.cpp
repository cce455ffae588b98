#include <credenza/store/logins.hpp>
#include "connection.hpp"
#include "i18n/gettext.hpp"

namespace credenza::store {

namespace {

std::optional<LoginKind> login_kind_column(const SQLite::Column& column)
{
    if (column.isNull()) {
        return std::nullopt;
    }
    const auto kind = parse<LoginKind>(column.getString());
    if (!kind) {
        throw Error(ErrorCode::internal, credenza::i18n::format(_fmt("unknown login method '{}' in the database"), column.getString()));
    }
    return kind;
}

// Whole literals: GCC 12 misreads a concatenation of these strings (-Warray-bounds).
const std::string k_select_login = "SELECT coalesce(first_login_at, ''), first_login_method, "
                                   "coalesce(last_login_at, ''), last_login_method FROM account WHERE id = ?";
const std::string k_select_logins = "SELECT id, coalesce(first_login_at, ''), first_login_method, "
                                    "coalesce(last_login_at, ''), last_login_method FROM account";

LoginRecord read_login_record(SQLite::Statement& query, int first)
{
    LoginRecord record;
    record.first_login_at = query.getColumn(first).getString();
    record.first_method = login_kind_column(query.getColumn(first + 1));
    record.last_login_at = query.getColumn(first + 2).getString();
    record.last_method = login_kind_column(query.getColumn(first + 3));
    return record;
}

} // namespace

LoginRecord login_record(Database& db, std::int64_t account_id)
{
    return db.connection().guard("read login record", [&] {
        auto& query = db.connection().statement(k_select_login);
        query.bind(1, account_id);
        if (!query.executeStep()) {
            query.reset();
            throw Error(ErrorCode::not_found, credenza::i18n::format(_fmt("no account with id {}"), account_id));
        }
        auto record = read_login_record(query, 0);
        query.reset();
        return record;
    });
}

std::map<std::int64_t, LoginRecord> login_records(Database& db)
{
    std::map<std::int64_t, LoginRecord> records;
    db.connection().guard("read login records", [&] {
        auto& query = db.connection().statement(k_select_logins);
        while (query.executeStep()) {
            records.emplace(query.getColumn(0).getInt64(), read_login_record(query, 1));
        }
    });
    return records;
}

LoginRecord record_login(Database& db, std::int64_t account_id, LoginKind method, TimePoint now)
{
    auto before = login_record(db, account_id);
    const std::string now_text = iso_time(now);
    const std::string word(to_string(method));
    // SET reads the row as it was: the first method is written only with the first time.
    db.connection().execute("UPDATE account SET first_login_method = CASE WHEN first_login_at IS NULL THEN ?1 "
                            "ELSE first_login_method END, first_login_at = coalesce(first_login_at, ?2), "
                            "last_login_at = ?2, last_login_method = ?1 WHERE id = ?3",
                            word, now_text, account_id);
    return before;
}

std::map<std::int64_t, std::string> last_reminders(Database& db)
{
    std::map<std::int64_t, std::string> reminders;
    db.connection().guard("read reminders", [&] {
        auto& query = db.connection().statement(
            "SELECT account_id, max(queued_at) FROM letter WHERE purpose = 'reminder' GROUP BY account_id");
        while (query.executeStep()) {
            reminders.emplace(query.getColumn(0).getInt64(), query.getColumn(1).getString());
        }
    });
    return reminders;
}

int count_family_accounts_with_method(Database& db, LoginMethod from)
{
    return db.connection().get<int>("SELECT count(*) FROM account WHERE kind = 'family' AND login_method = ?",
                                    to_string(from));
}

int switch_family_login(Database& db, LoginMethod to, TimePoint now)
{
    return db.connection().execute(
        "UPDATE account SET login_method = ?1, updated_at = ?2 WHERE kind = 'family' AND login_method <> ?1",
        to_string(to), iso_time(now));
}

int count_family_accounts_with_password(Database& db, LoginMethod method)
{
    return db.connection().get<int>("SELECT count(*) FROM account WHERE kind = 'family' AND login_method = ? "
                                    "AND password_hash IS NOT NULL",
                                    to_string(method));
}

} // namespace credenza::store
