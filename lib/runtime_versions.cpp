#include <credenza/runtime_versions.hpp>

#include <credenza/error.hpp>

#include <sodium.h>
#include <sqlite3.h>

#include "mail/curl_api.hpp"

namespace credenza {

RuntimeVersions runtime_versions()
{
    RuntimeVersions versions;
    versions.sqlite = sqlite3_libversion();
    try {
        const curl_version_info_data* curl = mail::detail::curl().version_info(CURLVERSION_NOW);
        versions.curl = curl->version;
        if (curl->ssl_version != nullptr) {
            versions.curl += std::string(" (") + curl->ssl_version + ")";
        }
    } catch (const Error& error) {
        versions.curl = error.what(); // loaded only when used: --version says why it cannot be
    }
    versions.sodium = sodium_version_string();
    return versions;
}

} // namespace credenza
