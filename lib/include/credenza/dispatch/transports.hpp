#pragma once
// The transport the settings ask for: SMTP (libcurl) or the outbox directory.

#include <cstdlib>
#include <functional>

#include <credenza/config/settings.hpp>
#include <credenza/dispatch/send.hpp>

namespace credenza::dispatch {

struct TransportChoice
{
    TransportFactory factory;
    bool directory = false;        // letters land in files, secrets in clear
    std::filesystem::path outbox;  // for the directory transport
    int connections = 1;
};

// For SMTP the password comes from CREDENZA_SMTP_PASSWORD or [smtp] password_file
// (which must not be readable by group or others) — never from the command line.
TransportChoice choose_transport(const config::Settings& settings,
                                 const std::function<const char*(const char*)>& getenv =
                                     [](const char* name) { return std::getenv(name); });

} // namespace credenza::dispatch
