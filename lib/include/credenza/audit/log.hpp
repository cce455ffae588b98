#pragma once
// The append-only audit log. Each row carries the SHA-256 of the previous row and
// of its own content, so an edit or a deletion behind the tool's back breaks the chain.
// Rows name an account by user code only, and never hold a secret.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/store/database.hpp>
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

ChainCheck verify_chain(store::Database& db);

struct EntryFilter
{
    std::string account;  // user code, "" = all
    std::string since;    // ISO date or time, "" = all
};

std::vector<Entry> list_entries(store::Database& db, const EntryFilter& filter = {});

} // namespace credenza::audit
