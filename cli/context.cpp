#include "cli/context.hpp"

#include <ostream>

#include <credenza/credentials/database_key.hpp>

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
    if (!global.db.empty()) {
        return global.db;
    }
    const auto& configured = settings().db;
    return configured.empty() ? std::filesystem::path("credenza.db") : std::filesystem::path(configured);
}

std::filesystem::path Context::key_path()
{
    const auto& configured = settings().credentials.key_file;
    if (!configured.empty()) {
        return configured;
    }
    return db_path().string() + ".key";
}

store::Database& Context::db()
{
    if (!m_db) {
        m_db = store::Database::open(db_path());
    }
    return *m_db;
}

const credentials::KeyRing& Context::keys()
{
    if (!m_keys) {
        m_keys = credentials::KeyRing::load(key_path());
    }
    return *m_keys;
}

credentials::Hasher Context::hasher()
{
    auto& database = db(); // opened first: a missing database is the error to report before a missing key file
    credentials::require_database_key(database, keys(), key_path());
    const auto& settings_ = settings();
    return credentials::Hasher(keys(), credentials::KdfCost::from_settings(settings_.credentials.kdf_memlimit_mib,
                                                                           settings_.credentials.kdf_opslimit));
}

credentials::GeneratorSettings Context::generator_settings()
{
    const auto& credentials_settings = settings().credentials;
    credentials::GeneratorSettings generator;
    generator.password_length = static_cast<std::size_t>(credentials_settings.password_length);
    generator.pin_length = static_cast<std::size_t>(credentials_settings.pin_length);
    generator.user_code_format = credentials_settings.user_code_format;
    return generator;
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
