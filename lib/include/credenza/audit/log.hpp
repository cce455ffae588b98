#pragma once
// The append-only audit log. Each row carries the hash of the previous row and an
// HMAC-SHA-256 of its own content keyed with the audit key, derived from the key file
// (derive_key), so that whoever can write the database but not read the key file cannot
// recompute the chain after an edit or a deletion. A log of an older version (plain
// SHA-256 rows) is sealed by the first keyed row, "audit sealed", which names its last
// row and hash. The key lives on the Database (store::Database::set_audit_key).
// Rows name an account by user code only, and never hold a secret.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/store/database.hpp>

namespace credenza::credentials {
class KeyRing;
}
#include <credenza/time.hpp>

namespace credenza::audit {

struct Entry
{
    std::int64_t id = 0;
    std::string at;
    std::string operator_name;
    std::string action;
    std::string account;    // user code, or ""
    std::string detail;
};

// The person running a command on this machine: $SUDO_USER when run through sudo, else the
// login name. For front ends like the CLI: the library itself never guesses its operator.
std::string current_operator();

// Appends one row, stamped with the clock's time; call inside the transaction of the change it records.
void append(store::Database& db, const Clock& clock, std::string_view operator_name, std::string_view action,
            std::string_view account, std::string_view detail);


struct ChainCheck
{
    bool intact = true;
    std::int64_t rows = 0;
    std::optional<std::int64_t> first_broken_id; // the first row whose hash does not match
    std::string problem;                         // what is wrong with it
};

// Checks every row: chained, keyed (unkeyed rows only as a sealed prefix), and, when
// kept_head ("ID:HASH", as chain_head printed it earlier) is given, that the chain still
// holds that row: a truncation or a rewrite of the whole log, which no key can show,
// shows there.
ChainCheck verify_chain(store::Database& db, std::string_view kept_head = {});

// "ID:HASH" of the last row ("0:000..." for an empty log): for the administrator to keep
// somewhere else and give to verify_chain later.
std::string chain_head(store::Database& db);

// The audit key from the pepper key `key_id` (the database's own, see database_key.hpp).
std::string derive_key(const credentials::KeyRing& keys, std::string_view key_id);

// Seals an unkeyed log with a keyed "audit sealed" row now; false when there was nothing to
// seal (no key, an empty log, or one already keyed). Call inside a transaction.
bool seal(store::Database& db, const Clock& clock, std::string_view operator_name);

struct EntryFilter
{
    std::string account;  // user code, "" = all
    std::string since;    // a stored (UTC) time "2026-09-01T07:30:00Z" or a prefix of one ("2026-09-01"), "" = all
};

std::vector<Entry> list_entries(store::Database& db, const EntryFilter& filter = {});

} // namespace credenza::audit
