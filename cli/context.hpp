#pragma once
// What every subcommand shares: the global options, the settings and the library's Session —
// each made only when a command first asks for it.

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include <credenza/config/settings.hpp>
#include <credenza/session.hpp>

#include "cli/output.hpp"

namespace credenza::cli {

struct GlobalOptions
{
    std::string db;
    std::string config;
    std::string format; // "" = not given: table, or csv with --excel
    bool excel = false;
    bool quiet = false;
    int verbose = 0;
    bool yes = false;
};

class Context
{
public:
    Context(std::ostream& out, std::ostream& err);
    ~Context();

    GlobalOptions global;
    std::ostream& out;
    std::ostream& err;
    int exit_code = 0; // set by the command that ran

    const config::Settings& settings();
    std::filesystem::path db_path();
    std::filesystem::path key_path();
    // The school's session, opened on first use: every command's one way into the library.
    Session& session();
    OutputOptions output();

    // "credenza: warning: ..." unless --quiet.
    void warn(const std::string& message);
    // Progress and summaries: suppressed by --quiet.
    bool chatty() const { return !global.quiet; }

private:
    std::optional<config::Settings> m_settings;
    std::optional<Session> m_session;
};

} // namespace credenza::cli
