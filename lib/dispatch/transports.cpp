#include <credenza/dispatch/transports.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <sodium.h>
#include "i18n/gettext.hpp"

namespace credenza::dispatch {

namespace {

std::string read_password_file(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("cannot read [smtp] password_file '{}': {}"), path,
                                                   std::strerror(errno)));
    }
    struct stat info{};
    if (::fstat(fd, &info) != 0 || (info.st_mode & 077) != 0) {
        ::close(fd);
        throw Error(ErrorCode::permission,
                    credenza::i18n::format(_fmt("[smtp] password_file '{}' is readable by other users: chmod 600 '{}'"), path, path));
    }
    std::string password;
    char buffer[256];
    ssize_t got = 0;
    while ((got = ::read(fd, buffer, sizeof buffer)) > 0) {
        password.append(buffer, static_cast<std::size_t>(got));
    }
    sodium_memzero(buffer, sizeof buffer);
    ::close(fd);
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
        password.pop_back();
    }
    return password;
}

} // namespace

TransportChoice choose_transport(const config::Settings& settings,
                                 const std::function<const char*(const char*)>& getenv)
{
    TransportChoice choice;
    if (settings.mail.transport != "smtp") {
        choice.directory = true;
        choice.outbox = settings.mail.outbox.empty() ? std::string("outbox") : settings.mail.outbox;
        choice.factory = [outbox = choice.outbox] { return std::make_unique<mail::DirectoryTransport>(outbox); };
        return choice;
    }
    const auto& smtp = settings.smtp;
    if (smtp.url.empty()) {
        throw Error(ErrorCode::config, _("[mail] transport = smtp needs [smtp] url, e.g. smtp://mail.example.it:587"));
    }
    mail::SmtpOptions options;
    options.url = smtp.url;
    options.tls = smtp.tls;
    options.user = smtp.user;
    options.ca_file = smtp.ca_file;
    options.verify_peer = smtp.verify_peer;
    options.timeout_seconds = smtp.timeout_seconds;
    if (!smtp.user.empty()) {
        if (const char* password = getenv("CREDENZA_SMTP_PASSWORD"); password != nullptr && *password != '\0') {
            options.password = password;
        } else if (!smtp.password_file.empty()) {
            options.password = read_password_file(smtp.password_file);
        } else {
            throw Error(ErrorCode::config, _("[smtp] user is set but there is no password: set CREDENZA_SMTP_PASSWORD "
                                           "or [smtp] password_file"));
        }
    }
    choice.connections = smtp.connections;
    // Each connection gets its own copy of the options (and wipes its copy of the password).
    std::shared_ptr<mail::SmtpOptions> shared(new mail::SmtpOptions(std::move(options)), [](mail::SmtpOptions* kept) {
        sodium_memzero(kept->password.data(), kept->password.size());
        delete kept;
    });
    choice.factory = [shared] { return std::make_unique<mail::SmtpTransport>(*shared); };
    return choice;
}

} // namespace credenza::dispatch
