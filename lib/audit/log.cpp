#include <credenza/audit/log.hpp>

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>
#include <sodium.h>

#include <credenza/credentials/key_ring.hpp>
#include <credenza/store/audit.hpp>
#include "i18n/gettext.hpp"

namespace credenza::audit {

namespace {

constexpr const char* k_genesis = "0000000000000000000000000000000000000000000000000000000000000000";
constexpr const char* k_sealed = "audit sealed";

std::string sha256_hex(const std::string& text)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

// Length-prefixed fields, so that no two different rows serialise alike.
std::string serialise(const char* version, const std::string& prev_hash, std::int64_t id, const Entry& entry)
{
    std::string text = version;
    for (const auto& field : {prev_hash, std::to_string(id), entry.at, entry.operator_name, entry.action,
                              entry.account, entry.detail}) {
        text += fmt::format("|{}:{}", field.size(), field);
    }
    return text;
}

// Version 1: plain SHA-256, which anyone able to write the database can recompute.
std::string row_hash(const std::string& prev_hash, std::int64_t id, const Entry& entry)
{
    return sha256_hex(serialise("credenza-audit-v1", prev_hash, id, entry));
}

// Version 2: HMAC-SHA-256 with the audit key, derived from the key file (kept out of the database).
std::string keyed_row_hash(const std::string& key, const std::string& prev_hash, std::int64_t id, const Entry& entry)
{
    const std::string text = serialise("credenza-audit-v2", prev_hash, id, entry);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_memzero(&state, sizeof state);
    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return hex;
}

Entry entry_of(const store::AuditRow& row)
{
    return {row.id, row.at, row.operator_name, row.action, row.account, row.detail};
}

enum class RowKind { keyed, plain, broken };

RowKind kind_of(const std::string& key, const store::AuditRow& row)
{
    const Entry entry = entry_of(row);
    if (!key.empty() && keyed_row_hash(key, row.prev_hash, row.id, entry) == row.hash) {
        return RowKind::keyed;
    }
    return row_hash(row.prev_hash, row.id, entry) == row.hash ? RowKind::plain : RowKind::broken;
}

std::string seal_detail(const store::AuditRow& last_plain)
{
    return fmt::format("rows={} head={}", last_plain.id, last_plain.hash);
}

void insert(store::Database& db, const Entry& entry, const std::string& prev_hash)
{
    const std::string& key = db.audit_key();
    const std::string hash =
        key.empty() ? row_hash(prev_hash, entry.id, entry) : keyed_row_hash(key, prev_hash, entry.id, entry);
    store::insert_audit_row(db, {entry.id, entry.at, entry.operator_name, entry.action, entry.account, entry.detail,
                                 prev_hash, hash});
}

} // namespace

std::string current_operator()
{
    if (const char* sudo_user = std::getenv("SUDO_USER"); sudo_user != nullptr && *sudo_user != '\0') {
        return sudo_user;
    }
    if (const passwd* entry = getpwuid(geteuid()); entry != nullptr && entry->pw_name != nullptr) {
        return entry->pw_name;
    }
    return fmt::format("uid {}", geteuid());
}

std::string derive_key(const credentials::KeyRing& keys, std::string_view key_id)
{
    return keys.derive(key_id, 1, "credaudt");
}

bool seal(store::Database& db, const Clock& clock, std::string_view operator_name)
{
    const std::string& key = db.audit_key();
    const auto last = store::last_audit_row(db);
    if (key.empty() || !last || kind_of(key, *last) != RowKind::plain) {
        return false;
    }
    const Entry entry{last->id + 1, clock.iso_now(), std::string(operator_name), k_sealed, "", seal_detail(*last)};
    insert(db, entry, last->hash);
    return true;
}

void append(store::Database& db, const Clock& clock, std::string_view operator_name, std::string_view action,
            std::string_view account, std::string_view detail)
{
    const std::string& key = db.audit_key();
    if (key.empty()) {
        // Without the key only an unkeyed log may grow (a library user without a key file);
        // a keyed one would be broken by an unkeyed row.
        if (const auto last = store::last_audit_row(db); last && kind_of(key, *last) != RowKind::plain) {
            throw Error(ErrorCode::config, _("the audit log is keyed with the key file, which was not loaded: check "
                                           "[credentials] key_file"));
        }
    } else if (const auto last = store::last_audit_row(db); last && kind_of(key, *last) == RowKind::plain) {
        // Only the upgrade seals an unkeyed log (seal(), from Session); one found here was
        // rewritten without the key file, and a keyed row on top would hide that. (The header's
        // "sealed by the first keyed row" means the upgrade's.)
        throw Error(ErrorCode::config, _("the audit log ends in rows not keyed with the key file: it was rewritten "
                                       "without it, or upgraded without it; nothing was written (check it with "
                                       "'credenza audit verify')"));
    }
    const store::AuditTail tail = store::audit_tail(db);
    const Entry entry{tail.next_id,         clock.iso_now(),      std::string(operator_name),
                      std::string(action), std::string(account), std::string(detail)};
    insert(db, entry, tail.last_hash.value_or(k_genesis));
}

std::string chain_head(store::Database& db)
{
    const auto last = store::last_audit_row(db);
    return last ? fmt::format("{}:{}", last->id, last->hash) : fmt::format("0:{}", k_genesis);
}

ChainCheck verify_chain(store::Database& db, std::string_view kept_head)
{
    const std::string& key = db.audit_key();
    ChainCheck check;
    std::string expected_prev = k_genesis;
    std::int64_t expected_id = 1;
    std::optional<store::AuditRow> last_plain;
    bool keyed_seen = false;
    bool head_found = kept_head.empty() || kept_head == fmt::format("0:{}", k_genesis);
    store::for_each_audit_row(db, [&](const store::AuditRow& row) {
        ++check.rows;
        std::string problem;
        const RowKind kind = kind_of(key, row);
        if (row.id != expected_id) {
            problem = credenza::i18n::format(_fmt("the row before it, row {}, is missing"), expected_id);
        } else if (row.prev_hash != expected_prev) {
            problem = _("does not follow the row before it");
        } else if (kind == RowKind::broken) {
            problem = key.empty() ? _("its hash does not match (is the key file loaded?)")
                                  : _("its content does not match its hash");
        } else if (kind == RowKind::plain && keyed_seen) {
            problem = _("is not keyed, but follows keyed rows: it was written without the key file");
        } else if (kind == RowKind::keyed && last_plain &&
                   (row.action != k_sealed || row.detail != seal_detail(*last_plain))) {
            problem = _("the unkeyed rows before it are not sealed");
        }
        if (!problem.empty()) {
            check.intact = false;
            check.first_broken_id = row.id;
            check.problem = problem;
            return false;
        }
        if (kind == RowKind::keyed) {
            keyed_seen = true;
            last_plain.reset();
        } else {
            last_plain = row;
        }
        if (!head_found && fmt::format("{}:{}", row.id, row.hash) == kept_head) {
            head_found = true;
        }
        expected_prev = row.hash;
        ++expected_id;
        return true;
    });
    if (check.intact && last_plain && !key.empty()) {
        check.intact = false;
        check.first_broken_id = last_plain->id;
        check.problem = _("the log ends in unkeyed rows: rows were rewritten without the key file");
    } else if (check.intact && !head_found) {
        check.intact = false;
        check.problem = _("the chain no longer holds the head you kept: rows were removed or rewritten");
    }
    return check;
}

std::vector<Entry> list_entries(store::Database& db, const EntryFilter& filter)
{
    std::vector<Entry> entries;
    for (const auto& row : store::find_audit_rows(db, filter.account, filter.since)) {
        entries.push_back(entry_of(row));
    }
    return entries;
}

} // namespace credenza::audit
