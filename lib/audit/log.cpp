#include <credenza/audit/log.hpp>

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>
#include <sodium.h>

#include <credenza/time.hpp>

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

void append(store::Database& db, const std::string& operator_name, const std::string& action,
            const std::string& account, const std::string& detail)
{
    const auto last = db.maybe_get<std::string>("SELECT hash FROM audit ORDER BY id DESC LIMIT 1");
    const std::string prev_hash = last.value_or(k_genesis);
    const std::int64_t id = db.get<std::int64_t>("SELECT coalesce(max(id), 0) + 1 FROM audit");
    Entry entry{id, iso_now(), operator_name, action, account, detail};
    const std::string hash = row_hash(prev_hash, id, entry);
    db.execute("INSERT INTO audit (id, at, operator, action, account, detail, prev_hash, hash) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               id, entry.at, entry.operator_name, entry.action, entry.account, entry.detail, prev_hash, hash);
}

ChainCheck verify_chain(store::Database& db)
{
    ChainCheck check;
    std::string expected_prev = k_genesis;
    std::int64_t expected_id = 1;
    db.guard("verify audit chain", [&] {
        SQLite::Statement query(db.raw(), "SELECT id, at, operator, action, account, detail, prev_hash, hash "
                                          "FROM audit ORDER BY id");
        while (query.executeStep()) {
            Entry entry{query.getColumn(0).getInt64(),  query.getColumn(1).getString(),
                        query.getColumn(2).getString(), query.getColumn(3).getString(),
                        query.getColumn(4).getString(), query.getColumn(5).getString()};
            const std::string prev_hash = query.getColumn(6).getString();
            const std::string hash = query.getColumn(7).getString();
            ++check.rows;
            std::string problem;
            if (entry.id != expected_id) {
                problem = fmt::format("the row before it, row {}, is missing", expected_id);
            } else if (prev_hash != expected_prev) {
                problem = "does not follow the row before it";
            } else if (row_hash(prev_hash, entry.id, entry) != hash) {
                problem = "its content does not match its hash";
            }
            if (!problem.empty()) {
                check.intact = false;
                check.first_broken_id = entry.id;
                check.problem = problem;
                return;
            }
            expected_prev = hash;
            ++expected_id;
        }
    });
    return check;
}

std::vector<Entry> list_entries(store::Database& db, const EntryFilter& filter)
{
    std::vector<Entry> entries;
    db.guard("list audit", [&] {
        SQLite::Statement query(db.raw(), "SELECT id, at, operator, action, account, detail FROM audit "
                                          "WHERE (?1 = '' OR account = ?1) AND (?2 = '' OR at >= ?2) ORDER BY id");
        query.bind(1, filter.account);
        query.bind(2, filter.since);
        while (query.executeStep()) {
            entries.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                               query.getColumn(2).getString(), query.getColumn(3).getString(),
                               query.getColumn(4).getString(), query.getColumn(5).getString()});
        }
    });
    return entries;
}

} // namespace credenza::audit
