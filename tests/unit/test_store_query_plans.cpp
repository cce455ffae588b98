// A deterministic guard against quadratic report and listing queries: SQLite's EXPLAIN QUERY PLAN of every
// query that store/ exports for it (report_queries(), account_queries()), on the real schema of the
// migrations, must never SCAN a large table inside a correlated subquery (run once per outer row) nor as
// the inner side of a join (once per row of the outer loop). A scan as the outer loop, or in a subquery
// that runs once (a list, a materialised view), is linear and allowed.
#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <credenza/store/accounts.hpp>
#include <credenza/store/reports.hpp>

#include "support.hpp"

using namespace credenza;

namespace {

// The tables that grow with the school, and the views of them the report queries name.
const std::set<std::string> k_large = {"account", "person",      "letter",      "guardianship", "pupil",
                                       "sel",     "cover",       "sel_pupil",   "sel_account"};

struct PlanNode
{
    int id = 0;
    int parent = 0;
    std::string detail;
};

// alias -> table, from "FROM table alias" and "JOIN table alias"; a table is its own alias.
std::map<std::string, std::string> aliases_of(const std::string& sql)
{
    static const std::set<std::string> keywords = {"join", "left", "inner", "cross", "on", "where", "group", "order",
                                                   "limit", "union", "as", "using", "natural"};
    std::map<std::string, std::string> aliases;
    static const std::regex from(R"((?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?)", std::regex::icase);
    for (auto it = std::sregex_iterator(sql.begin(), sql.end(), from); it != std::sregex_iterator(); ++it) {
        const std::string table = (*it)[1];
        aliases[table] = table;
        if ((*it)[2].matched) {
            std::string alias = (*it)[2];
            std::string lower;
            for (const char c : alias) {
                lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            if (!keywords.contains(lower)) {
                aliases[alias] = table;
            }
        }
    }
    return aliases;
}

std::vector<PlanNode> plan_of(store::Database& db, const std::string& sql)
{
    SQLite::Statement query(db.connection().raw(), "EXPLAIN QUERY PLAN " + sql);
    std::vector<PlanNode> nodes;
    while (query.executeStep()) {
        nodes.push_back({query.getColumn(0).getInt(), query.getColumn(1).getInt(), query.getColumn(3).getString()});
    }
    return nodes;
}

bool is_loop(const PlanNode& node)
{
    return node.detail.starts_with("SCAN ") || node.detail.starts_with("SEARCH ");
}

// What is quadratic in `sql`'s plan: one line per scan of a large table that runs once per outer row.
std::vector<std::string> quadratic_scans(store::Database& db, const std::string& sql)
{
    const auto aliases = aliases_of(sql);
    const auto nodes = plan_of(db, sql);
    std::map<int, const PlanNode*> by_id;
    for (const auto& node : nodes) {
        by_id[node.id] = &node;
    }
    std::vector<std::string> found;
    for (const auto& node : nodes) {
        if (!node.detail.starts_with("SCAN ")) {
            continue;
        }
        const std::string name = node.detail.substr(5, node.detail.find(' ', 5) - 5);
        const auto alias = aliases.find(name);
        const std::string table = alias == aliases.end() ? name : alias->second;
        if (!k_large.contains(table)) {
            continue;
        }
        std::string why;
        for (int up = node.parent; up != 0 && by_id.contains(up); up = by_id[up]->parent) {
            if (by_id[up]->detail.starts_with("CORRELATED")) {
                why = "inside '" + by_id[up]->detail + "'";
                break;
            }
        }
        if (why.empty()) {
            for (const auto& sibling : nodes) {
                if (sibling.parent == node.parent && sibling.id < node.id && is_loop(sibling)) {
                    why = "as the inner side of a join after '" + sibling.detail + "'";
                    break;
                }
            }
        }
        if (!why.empty()) {
            found.push_back("'" + node.detail + "' (" + table + ") " + why);
        }
    }
    return found;
}

} // namespace

TEST_CASE("store query plans: no report query scans a large table once per row")
{
    testing::School school(false);
    const auto queries = store::report_queries();
    REQUIRE(queries.size() >= 15);
    for (const auto& query : queries) {
        INFO("query: " << query.name);
        const auto scans = quadratic_scans(*school.db, query.sql);
        INFO("quadratic: " << (scans.empty() ? std::string("none") : scans.front()));
        CHECK(scans.empty());
    }
}

TEST_CASE("store query plans: no account listing or search scans a large table once per row")
{
    testing::School school(false);
    const auto queries = store::account_queries();
    REQUIRE(queries.size() >= 3);
    for (const auto& query : queries) {
        INFO("query: " << query.name);
        const auto scans = quadratic_scans(*school.db, query.sql);
        INFO("quadratic: " << (scans.empty() ? std::string("none") : scans.front()));
        CHECK(scans.empty());
    }
}

TEST_CASE("store query plans: the guard catches the self-join on lower(email) that made report problems quadratic")
{
    testing::School school(false);
    // The shared-address check as it was (issue 17): a correlated subquery with no index that serves it.
    const std::string old_query = R"sql(
SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id
WHERE a.kind = 'family' AND p.email <> ''
  AND EXISTS (SELECT 1 FROM account b JOIN person o ON o.id = b.person_id
              WHERE b.kind = 'family' AND b.status = 'active' AND b.id <> a.id AND lower(o.email) = lower(p.email)))sql";
    const auto scans = quadratic_scans(*school.db, old_query);
    REQUIRE(!scans.empty());
    CHECK(scans.front().find("CORRELATED") != std::string::npos);
    // And a join whose inner side has no index.
    const auto join = quadratic_scans(
        *school.db, "SELECT count(*) FROM person p JOIN person o ON lower(o.email) = lower(p.email) AND o.id <> p.id");
    CHECK(!join.empty());
}

TEST_CASE("store query plans: only the classes report builds cover, the others ask per account by index")
{
    // Building `cover` (every account of every selected pupil) took 0.12 s on 100,000 accounts, and the
    // problems report built it in each of its queries (issue 17).
    testing::School school(false);
    for (const auto& query : store::report_queries()) {
        INFO("query: " << query.name);
        bool builds_cover = false;
        for (const auto& node : plan_of(*school.db, query.sql)) {
            builds_cover = builds_cover || node.detail.find(" cover") != std::string::npos;
        }
        CHECK(builds_cover == (query.name == "covered accounts"));
    }
}

TEST_CASE("store query plans: the account list reads every account's pupils and guardians in one pass each")
{
    testing::School school(false);
    std::set<std::string> names;
    for (const auto& query : store::account_queries()) {
        names.insert(query.name);
        if (query.name == "pupils of every guardian" || query.name == "guardians of every pupil") {
            INFO("query: " << query.name);
            const auto plan = plan_of(*school.db, query.sql);
            REQUIRE(!plan.empty());
            // One scan of the guardianships in index order, the rest searched; no sort of the rows.
            CHECK(plan.front().detail.starts_with("SCAN g"));
            for (const auto& node : plan) {
                CHECK(node.detail.find("TEMP B-TREE") == std::string::npos);
            }
        }
    }
    CHECK(names.contains("pupils of every guardian"));
    CHECK(names.contains("guardians of every pupil"));
}

TEST_CASE("store query plans: the account list and the summary read each account's letters from the index alone")
{
    // Schema 6's letter(account_id, state): the credentials of each listed account and the letters the
    // summary counts come from the index, never from a letter row (issue 17). Without a scope the
    // summary counts every letter in one pass over an index, with no search per account.
    testing::School school(false);
    std::map<std::string, std::string> sql;
    for (const auto& query : store::account_queries()) {
        sql[query.name] = query.sql;
    }
    for (const auto& query : store::report_queries()) {
        sql[query.name] = query.sql;
    }
    const std::map<std::string, std::string> letters_read_by = {
        {"account list", "SEARCH l USING COVERING INDEX letter_account_state (account_id=?)"},
        {"summary of a scope", "SEARCH l USING COVERING INDEX letter_account_state (account_id=?)"},
        {"summary", "SCAN l USING COVERING INDEX"},
        {"summary beside the problem counts", "SCAN l USING COVERING INDEX"},
    };
    for (const auto& [name, expected] : letters_read_by) {
        INFO("query: " << name);
        REQUIRE(sql.contains(name));
        bool found = false;
        for (const auto& node : plan_of(*school.db, sql[name])) {
            const bool reads_letters =
                node.detail.starts_with("SEARCH l ") || node.detail.starts_with("SCAN l ") || node.detail == "SCAN l";
            CHECK(!(reads_letters && node.detail.find("COVERING") == std::string::npos));
            if (expected.starts_with("SCAN")) {
                CHECK(!node.detail.starts_with("SEARCH l "));
            }
            found = found || node.detail.starts_with(expected);
        }
        CHECK(found);
    }
}
