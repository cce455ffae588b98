#pragma once
// The versions of the libraries this copy of credenza runs with (not those it was built against),
// for `credenza --version` and a front end's bug reports.

#include <string>

namespace credenza {

struct RuntimeVersions
{
    std::string sqlite;
    std::string curl;       // with its TLS library, e.g. "7.88.1 (OpenSSL/3.0.17)"
    std::string sodium;
};

RuntimeVersions runtime_versions();

} // namespace credenza
