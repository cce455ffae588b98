#include <credenza/audit/log.hpp>

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>
#include <sodium.h>

#include <credenza/store/audit.hpp>

namespace credenza::audit {

namespace {

constexpr const char* k_genesis = "0000000000000000000000000000000000000000000000000000000000000000";

std::string sha256_hex(const std::string& text)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

// Length-prefixed fields, so that no two different rows serialise alike.
std::string row_hash(const std::string& prev_hash, std::int64_t id, const Entry& entry)
{
    std::string text = "credenza-audit-v1";
    for (const auto& field : {prev_hash, std::to_string(id), entry.at, entry.operator_name, entry.action,
                              entry.account, entry.detail}) {
        text += fmt::format("|{}:{}", field.size(), field);
    }
    return sha256_hex(text);
}

Entry entry_of(const store::AuditRow& row)
{
    return {row.id, row.at, row.operator_name, row.action, row.account, row.detail};
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

void append(store::Database& db, const Clock& clock, std::string_view operator_name, std::string_view action,
            std::string_view account, std::string_view detail)
{
    const store::AuditTail tail = store::audit_tail(db);
    const std::string prev_hash = tail.last_hash.value_or(k_genesis);
    const Entry entry{tail.next_id,         clock.iso_now(),      std::string(operator_name),
                      std::string(action), std::string(account), std::string(detail)};
    store::insert_audit_row(db, {entry.id, entry.at, entry.operator_name, entry.action, entry.account, entry.detail,
                                 prev_hash, row_hash(prev_hash, entry.id, entry)});
}

ChainCheck verify_chain(store::Database& db)
{
    ChainCheck check;
    std::string expected_prev = k_genesis;
    std::int64_t expected_id = 1;
    store::for_each_audit_row(db, [&](const store::AuditRow& row) {
        const Entry entry = entry_of(row);
        ++check.rows;
        std::string problem;
        if (entry.id != expected_id) {
            problem = fmt::format("the row before it, row {}, is missing", expected_id);
        } else if (row.prev_hash != expected_prev) {
            problem = "does not follow the row before it";
        } else if (row_hash(row.prev_hash, entry.id, entry) != row.hash) {
            problem = "its content does not match its hash";
        }
        if (!problem.empty()) {
            check.intact = false;
            check.first_broken_id = entry.id;
            check.problem = problem;
            return false;
        }
        expected_prev = row.hash;
        ++expected_id;
        return true;
    });
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
