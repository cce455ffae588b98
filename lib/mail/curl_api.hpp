#pragma once
// Internal: libcurl, loaded the first time SMTP or IMAP is used (dlopen). A process that never
// talks to a mail server (a verify: one process per login in a front end) then does not load
// libcurl and the thirty libraries it pulls in (TLS, Kerberos, LDAP, SSH, ...), which cost as much
// CPU as the rest of such a process's start (scripts/bench, "verify / raw verification").

#include <curl/curl.h>

namespace credenza::mail::detail {

struct CurlApi
{
    decltype(&::curl_global_init) global_init;
    decltype(&::curl_easy_init) easy_init;
    decltype(&::curl_easy_duphandle) easy_duphandle;
    decltype(&::curl_easy_cleanup) easy_cleanup;
    decltype(&::curl_easy_setopt) easy_setopt;
    decltype(&::curl_easy_getinfo) easy_getinfo;
    decltype(&::curl_easy_perform) easy_perform;
    decltype(&::curl_easy_send) easy_send;
    decltype(&::curl_easy_recv) easy_recv;
    decltype(&::curl_easy_strerror) easy_strerror;
    decltype(&::curl_slist_append) slist_append;
    decltype(&::curl_slist_free_all) slist_free_all;
    decltype(&::curl_version_info) version_info;
};

// Loaded once per process, thread-safe; Error(config) when libcurl cannot be loaded.
const CurlApi& curl();

} // namespace credenza::mail::detail
