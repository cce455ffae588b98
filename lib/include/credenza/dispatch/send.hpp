#pragma once
// Delivering queued letters. For each letter: generate the secrets, commit their hashes
// (before any SMTP byte), hand the message to the transport, record the outcome. A crash
// at any moment leaves letters in `sending`, which the next run retries at once with new
// secrets: an undelivered secret is worthless, so nothing is lost.

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <credenza/credentials/generator.hpp>
#include <credenza/credentials/hasher.hpp>
#include <credenza/mail/transport.hpp>
#include <credenza/store/database.hpp>
#include <credenza/store/school.hpp>
#include <credenza/time.hpp>

namespace credenza::dispatch {

struct SendOptions
{
    int limit = 0;                   // at most this many letters; 0 = every due letter
    int rate_per_minute = 0;         // 0 = as fast as the server takes them
    int jobs = 0;                    // hashing threads; 0 = one per core
    int connections = 1;             // transports working in parallel
    int daily_cap = 2000;            // letters in any 24 hours (Google Workspace's limit)
    bool dry_run = false;            // count what is due, touch nothing
    bool retry_now = false;          // deferred letters too, without waiting for their backoff
    int alert_after_hours = 24;      // count letters waiting longer than this (SendReport::overdue); 0 = never
    int initial_password_days = 30;  // printed in the letter as the expiry date
    int recovery_hours = 24;         // a recovery letter's secrets wait this long beside the old ones
    std::string language = "it";
    bool family_spid = false;        // families log in with SPID or CIE: their letters carry no password
    bool self_service_recover = true; // letters explain "Password dimenticata?"; else a justified request
    bool student_formal = false;      // students are addressed with "Lei" ([mail] student_tone = formal)
    bool verp = false;                // envelope sender "local+L<token>@domain" ([mail] verp)
    std::filesystem::path template_dir;
    std::string operator_name;
    const std::atomic<bool>* stop = nullptr; // set from a signal handler: finish what is in flight, stop
};

struct FailedLetter
{
    std::string user_code;
    std::string recipient;
    int code = 0;
    std::string reply;
};

struct SendReport
{
    int due = 0;               // letters due when the run started (after --limit)
    int sent = 0;
    int deferred = 0;          // will be retried by a later run
    int failed = 0;            // refused for good (5xx, no address)
    int cancelled = 0;         // account disabled since the letter was queued
    int left_for_tomorrow = 0; // over the daily cap
    int not_started = 0;       // due but not attempted (stopped, paused)
    int recovered = 0;         // letters found in `sending` from an interrupted run
    int overdue = 0;           // tried, still waiting, queued more than alert_after_hours ago
    bool paused = false;       // the provider said to stop for now
    bool unavailable = false;  // the server could not be reached at all
    std::string misconfigured; // the setting to fix ("smtp.user", "mail.from", ...): nothing more was
                               // tried and no letter spent an attempt; "" when none
    std::string pause_reply;
    std::vector<FailedLetter> failures;
};

struct Progress
{
    int done = 0;
    int total = 0;
    int sent = 0;
    int deferred = 0;
    int failed = 0;
};

using TransportFactory = std::function<std::unique_ptr<mail::Transport>()>;

// Every time it records (claims, outcomes, backoffs, the daily cap's 24 hours, the letters'
// Date) is read from `clock`.
SendReport send_letters(store::Database& db, const Clock& clock, const store::School& school,
                        const credentials::Hasher& hasher, const credentials::Generator& generator,
                        const TransportFactory& make_transport, const SendOptions& options,
                        const std::function<void(const Progress&)>& progress = {});

// Only one `send` per database file at a time, whatever path names it: an exclusive flock on
// the database file itself. Error(permission) when it is not a regular file of the running user.
class SendLock
{
public:
    // Error(temporary) when another send holds it.
    explicit SendLock(const std::filesystem::path& db_path);
    ~SendLock();
    SendLock(const SendLock&) = delete;
    SendLock& operator=(const SendLock&) = delete;

private:
    int m_fd = -1;
};

// The delay before the n-th retry (n >= 1): 5 minutes doubling, at most 6 hours.
std::chrono::seconds backoff(int attempts);
inline constexpr int k_max_attempts = 10;

} // namespace credenza::dispatch
