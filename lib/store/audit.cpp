#include <credenza/store/audit.hpp>
#include "connection.hpp"

namespace credenza::store {

namespace {

constexpr const char* k_select_audit = "SELECT id, at, operator, action, account, detail, prev_hash, hash FROM audit ";

// The one mapping of k_select_audit's columns.
AuditRow read_audit_row(SQLite::Statement& query)
{
    AuditRow row;
    row.id = query.getColumn(0).getInt64();
    row.at = query.getColumn(1).getString();
    row.operator_name = query.getColumn(2).getString();
    row.action = query.getColumn(3).getString();
    row.account = query.getColumn(4).getString();
    row.detail = query.getColumn(5).getString();
    row.prev_hash = query.getColumn(6).getString();
    row.hash = query.getColumn(7).getString();
    return row;
}

} // namespace

AuditTail audit_tail(Database& db)
{
    AuditTail tail;
    tail.last_hash = db.connection().maybe_get<std::string>("SELECT hash FROM audit ORDER BY id DESC LIMIT 1");
    tail.next_id = db.connection().get<std::int64_t>("SELECT coalesce(max(id), 0) + 1 FROM audit");
    return tail;
}

std::optional<AuditRow> last_audit_row(Database& db)
{
    return db.connection().guard("read audit log", [&]() -> std::optional<AuditRow> {
        auto& query = db.connection().statement(std::string(k_select_audit) + "ORDER BY id DESC LIMIT 1");
        std::optional<AuditRow> row;
        if (query.executeStep()) {
            row = read_audit_row(query);
        }
        query.reset();
        return row;
    });
}

void insert_audit_row(Database& db, const AuditRow& row)
{
    db.connection().execute("INSERT INTO audit (id, at, operator, action, account, detail, prev_hash, hash) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               row.id, row.at, row.operator_name, row.action, row.account, row.detail, row.prev_hash, row.hash);
}

void for_each_audit_row(Database& db, const std::function<bool(const AuditRow&)>& visit)
{
    db.connection().guard("read audit log", [&] {
        // Not a cached statement: `visit` may stop half-way, and a half-read cached one would keep its snapshot.
        SQLite::Statement query(db.connection().raw(), std::string(k_select_audit) + "ORDER BY id");
        while (query.executeStep()) {
            if (!visit(read_audit_row(query))) {
                return;
            }
        }
    });
}

std::vector<AuditRow> find_audit_rows(Database& db, std::string_view account, std::string_view since)
{
    std::vector<AuditRow> rows;
    find_audit_rows(db, account, since, [&](AuditRow&& row) { rows.push_back(std::move(row)); });
    return rows;
}

void find_audit_rows(Database& db, std::string_view account, std::string_view since,
                     const std::function<void(AuditRow&&)>& visit)
{
    db.connection().guard("list audit", [&] {
        // Its own statement, not the connection's cached one: `visit` may read the database too.
        SQLite::Statement query(db.connection().raw(),
                                std::string(k_select_audit) +
                                    "WHERE (?1 = '' OR account = ?1) AND (?2 = '' OR at >= ?2) ORDER BY id");
        query.bind(1, std::string(account));
        query.bind(2, std::string(since));
        while (query.executeStep()) {
            visit(read_audit_row(query));
        }
    });
}

} // namespace credenza::store
