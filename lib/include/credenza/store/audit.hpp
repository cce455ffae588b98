#pragma once
// The rows of the audit log as stored, with the two hashes that chain them. The chain itself
// (what is hashed, and how a break is recognised) is the audit log's: see credenza/audit/log.hpp.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/store/database.hpp>

namespace credenza::store {

struct AuditRow
{
    std::int64_t id = 0;
    std::string at; // ISO time
    std::string operator_name;
    std::string action;
    std::string account; // user code, or ""
    std::string detail;
    std::string prev_hash;
    std::string hash;
};

// Where the next row attaches: its id, and the hash of the row before it.
struct AuditTail
{
    std::int64_t next_id = 1;
    std::optional<std::string> last_hash; // nullopt when the log is empty
};

AuditTail audit_tail(Database& db);

// The last row, nullopt when the log is empty.
std::optional<AuditRow> last_audit_row(Database& db);

void insert_audit_row(Database& db, const AuditRow& row);

// Every row in id order, until `visit` returns false.
void for_each_audit_row(Database& db, const std::function<bool(const AuditRow&)>& visit);

// The rows naming `account` (all when "") at or after `since` (an ISO date or time; all when ""),
// in id order.
std::vector<AuditRow> find_audit_rows(Database& db, std::string_view account, std::string_view since);
// The same rows, one at a time as SQLite reads them (moved from): a report printed as it goes.
void find_audit_rows(Database& db, std::string_view account, std::string_view since,
                     const std::function<void(AuditRow&&)>& visit);

} // namespace credenza::store
