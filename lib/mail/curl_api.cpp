#include "curl_api.hpp"

#include <credenza/error.hpp>

#include <dlfcn.h>

#include <mutex>
#include <optional>
#include <string>

#include "i18n/gettext.hpp"

namespace credenza::mail::detail {

namespace {

template <typename Function>
void bind(void* library, Function& function, const char* name)
{
    void* symbol = ::dlsym(library, name);
    if (symbol == nullptr) {
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("cannot load libcurl '{}': {} is missing"),
                                                              CREDENZA_LIBCURL_SONAME, name));
    }
    function = reinterpret_cast<Function>(symbol);
}

CurlApi load()
{
    // Never closed: libcurl stays loaded for the life of the process, as if linked.
    void* library = ::dlopen(CREDENZA_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        const char* why = ::dlerror();
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("cannot load libcurl '{}': {}: install it (Debian: libcurl4)"),
                                           CREDENZA_LIBCURL_SONAME, why != nullptr ? why : "unknown error"));
    }
    CurlApi api{};
    bind(library, api.global_init, "curl_global_init");
    bind(library, api.easy_init, "curl_easy_init");
    bind(library, api.easy_duphandle, "curl_easy_duphandle");
    bind(library, api.easy_cleanup, "curl_easy_cleanup");
    bind(library, api.easy_setopt, "curl_easy_setopt");
    bind(library, api.easy_getinfo, "curl_easy_getinfo");
    bind(library, api.easy_perform, "curl_easy_perform");
    bind(library, api.easy_send, "curl_easy_send");
    bind(library, api.easy_recv, "curl_easy_recv");
    bind(library, api.easy_strerror, "curl_easy_strerror");
    bind(library, api.slist_append, "curl_slist_append");
    bind(library, api.slist_free_all, "curl_slist_free_all");
    bind(library, api.version_info, "curl_version_info");
    return api;
}

} // namespace

const CurlApi& curl()
{
    static std::mutex mutex;
    static std::optional<CurlApi> api;
    const std::lock_guard lock(mutex);
    if (!api) {
        api = load(); // a failure is thrown to this caller and tried again by the next
    }
    return *api;
}

} // namespace credenza::mail::detail
