#include "cli/context.hpp"

#include <ostream>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/i18n.hpp>
#include <credenza/time.hpp>

#include "lib/i18n/gettext.hpp"

namespace credenza::cli {

Context::Context(std::ostream& out_stream, std::ostream& err_stream) : out(out_stream), err(err_stream) {}

Context::~Context() = default;

const config::Settings& Context::settings()
{
    if (!m_settings) {
        config::LoadOptions options;
        if (!global.config.empty()) {
            options.config_file = global.config;
        }
        m_settings = config::load_settings(options);
        // Before the command says anything: cron has no locale, and a server's clock is often UTC.
        i18n::use_language(m_settings->ui.language);
        use_time_zone(m_settings->school.timezone);
    }
    return *m_settings;
}

std::filesystem::path Context::db_path()
{
    return database_path(settings(), global.db);
}

std::filesystem::path Context::key_path()
{
    return credenza::key_path(settings(), db_path());
}

Session& Context::session()
{
    if (!m_session) {
        SessionOptions options;
        options.settings = settings();
        options.database = db_path();
        // On the command line the operator is the Unix user (behind sudo, the one who ran sudo).
        options.operator_name = audit::current_operator();
        try {
            m_session = Session::open(std::move(options));
        } catch (const Error& error) {
            if (error.code() != ErrorCode::no_input || !global.db.empty() || !settings().db.empty()) {
                throw;
            }
            // Nobody named a database: the default in this folder is a guess, and `init` here would
            // start a second school. Say where we looked and how to point at the real one.
            std::error_code ignored;
            const auto folder = std::filesystem::current_path(ignored);
            throw Error(ErrorCode::no_input,
                        i18n::format(_fmt("no database 'credenza.db' in '{}' ({})"), folder.string(),
                                     settings().config_file
                                         ? i18n::format(_fmt("the config file '{}' names none"),
                                                        settings().config_file->string())
                                         : std::string(_("no --db, no CREDENZA_DB and no config file"))),
                        Hint::no_database_here);
        }
    }
    return *m_session;
}

OutputOptions Context::output()
{
    OutputOptions options;
    // --excel is a way of writing CSV: alone it asks for CSV; with another format it cannot be honoured.
    options.format = global.format.empty() ? (global.excel ? Format::csv : Format::table) : parse_format(global.format);
    if (global.excel && options.format != Format::csv) {
        throw Error(ErrorCode::usage, i18n::format(_fmt("--excel writes CSV: it cannot go with --format {}"), global.format));
    }
    options.excel = global.excel;
    options.width = terminal_width();
    return options;
}

void Context::warn(const std::string& message)
{
    if (!global.quiet) {
        err << i18n::format(_fmt("credenza: warning: {}"), message) << '\n';
    }
}

} // namespace credenza::cli
