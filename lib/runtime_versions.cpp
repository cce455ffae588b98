#include <credenza/runtime_versions.hpp>

#include <curl/curl.h>
#include <sodium.h>
#include <sqlite3.h>

namespace credenza {

RuntimeVersions runtime_versions()
{
    RuntimeVersions versions;
    versions.sqlite = sqlite3_libversion();
    const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
    versions.curl = curl->version;
    if (curl->ssl_version != nullptr) {
        versions.curl += std::string(" (") + curl->ssl_version + ")";
    }
    versions.sodium = sodium_version_string();
    return versions;
}

} // namespace credenza
