#include "cli/context.hpp"

#include <ostream>

#include <credenza/audit/log.hpp>

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
        m_session = Session::open(std::move(options));
    }
    return *m_session;
}

OutputOptions Context::output()
{
    OutputOptions options;
    options.format = parse_format(global.format);
    options.excel = global.excel;
    options.width = terminal_width();
    return options;
}

void Context::warn(const std::string& message)
{
    if (!global.quiet) {
        err << "credenza: warning: " << message << '\n';
    }
}

} // namespace credenza::cli
