// Measures what bounds the reports and listings: for each, the library call the command makes (what
// `credenza report ...` or `credenza account list` runs before it prints), and the part of it spent
// inside SQLite, preparing and stepping the report's statements. scripts/bench prints both beside the
// command's own time, so a missed target shows whether credenza's code or SQLite's reading bounds it.
//   credenza_bench_queries CONFIG [--statements]
// Prints one line per command: NAME LIBRARY_SECONDS SQLITE_SECONDS STATEMENTS_PREPARED (wall clock, one
// thread: on a quiet machine its CPU time). With --statements, each statement's text and the time
// spent stepping it go to the standard error after its command's line.
//
// SQLite's part is timed by wrapping sqlite3_step and sqlite3_prepare_v2 in this program: the library
// and SQLiteCpp are linked in statically, so their calls bind to these wrappers, which time the call
// into libsqlite3 (found with dlsym(RTLD_NEXT)). The statements run as the library runs them, with
// their own bindings and plans.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <dlfcn.h>
#include <sqlite3.h>

#include <credenza/config/settings.hpp>
#include <credenza/error.hpp>
#include <credenza/session.hpp>

namespace {

using Clock = std::chrono::steady_clock;

double g_sqlite_seconds = 0;
long g_statements = 0;
// With --statements: SQLite's time per statement of the current command, by its text.
bool g_by_statement = false;
std::map<std::string, double> g_statement_seconds;

template <typename Function>
Function real(const char* name)
{
    void* found = ::dlsym(RTLD_NEXT, name);
    if (found == nullptr) {
        std::fprintf(stderr, "credenza_bench_queries: no %s in libsqlite3\n", name);
        std::exit(70);
    }
    return reinterpret_cast<Function>(found);
}

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

extern "C" int sqlite3_step(sqlite3_stmt* statement)
{
    static const auto step = real<int (*)(sqlite3_stmt*)>("sqlite3_step");
    const auto start = Clock::now();
    const int result = step(statement);
    const double spent = seconds_since(start);
    g_sqlite_seconds += spent;
    if (const char* sql = g_by_statement ? sqlite3_sql(statement) : nullptr) {
        g_statement_seconds[sql] += spent;
    }
    return result;
}

extern "C" int sqlite3_prepare_v2(sqlite3* db, const char* sql, int bytes, sqlite3_stmt** statement,
                                  const char** tail)
{
    static const auto prepare =
        real<int (*)(sqlite3*, const char*, int, sqlite3_stmt**, const char**)>("sqlite3_prepare_v2");
    const auto start = Clock::now();
    const int result = prepare(db, sql, bytes, statement, tail);
    g_sqlite_seconds += seconds_since(start);
    ++g_statements;
    return result;
}

int main(int argc, char** argv)
{
    g_by_statement = argc == 3 && std::string(argv[2]) == "--statements";
    if (argc != 2 && !g_by_statement) {
        std::fprintf(stderr, "usage: credenza_bench_queries CONFIG [--statements]\n");
        return 64;
    }
    try {
        credenza::config::LoadOptions load;
        load.config_file = argv[1];
        credenza::SessionOptions options;
        options.settings = credenza::config::load_settings(load);
        options.operator_name = "bench";
        auto session = credenza::Session::open(std::move(options));
        session.school(); // the database opened and read once before anything is timed

        // What each command asks the library for (cli/commands/report.cpp and account.cpp), the rows
        // taken and dropped: the printing is the command's own.
        std::size_t rows = 0;
        const std::vector<std::pair<const char*, std::function<void()>>> commands = {
            {"report_summary", [&] { session.summary(); }},
            {"report_classes", [&] { rows += session.class_progress().size(); }},
            {"report_deliveries", [&] { session.for_each_delivery({}, [&](credenza::reports::Delivery&&) { ++rows; }); }},
            {"report_problems", [&] { rows += session.problems().size(); }},
            {"report_audit", [&] { session.for_each_audit_entry({}, [&](credenza::audit::Entry&&) { ++rows; }); }},
            {"account_list",
             [&] {
                 const credenza::accounts::AccountFilter filter{{}, {}, {}, {}, false};
                 session.for_each_account(filter, [&](credenza::accounts::AccountInfo&&) { ++rows; });
             }},
        };
        for (const auto& [name, run] : commands) {
            g_sqlite_seconds = 0;
            g_statements = 0;
            g_statement_seconds.clear();
            const auto start = Clock::now();
            run();
            const double library = seconds_since(start);
            std::printf("%s %.3f %.3f %ld\n", name, library, g_sqlite_seconds, g_statements);
            for (const auto& [sql, seconds] : g_statement_seconds) {
                std::fprintf(stderr, "  %.3f s stepping:%s\n", seconds, sql.c_str());
            }
        }
        std::fprintf(stderr, "credenza_bench_queries: %zu rows\n", rows);
    } catch (const credenza::Error& error) {
        std::fprintf(stderr, "credenza_bench_queries: %s\n", error.what());
        return 70;
    }
    return 0;
}
