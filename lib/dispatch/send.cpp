#include <credenza/dispatch/send.hpp>

#include <chrono>
#include <optional>
#include <thread>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/bounces/report.hpp>
#include <credenza/error.hpp>
#include <credenza/mail/address.hpp>
#include <credenza/store/accounts.hpp>
#include <credenza/store/letters.hpp>
#include <credenza/time.hpp>

#include "channel.hpp"
#include "letter.hpp"
#include "i18n/gettext.hpp"

namespace credenza::dispatch {

namespace {

using namespace std::chrono_literals;
using credentials::Secret;
using detail::Channel;
using detail::LetterJob;

constexpr std::chrono::minutes k_pause = 1h;
constexpr int k_claimed_per_connection = 8;

struct Prepared
{
    LetterJob job;
    Secret password;
    Secret pin;
    std::string password_hash;
    std::string pin_hash;
};

struct DeliveryJob
{
    LetterJob job;
    mail::Envelope envelope;
    Secret message;
};

struct Delivered
{
    LetterJob job;
    std::optional<mail::Delivery> delivery; // nullopt: not attempted (the batch was paused)
};

struct WorkerFailure
{
    std::exception_ptr error;
};

using Event = std::variant<Prepared, Delivered, WorkerFailure>;

// Paces hand-offs to the server: one every 60/rate seconds across all connections.
class Pacer
{
public:
    explicit Pacer(int per_minute)
        : m_interval(per_minute > 0 ? std::chrono::microseconds(60'000'000 / per_minute) : std::chrono::microseconds(0))
    {
    }

    void wait()
    {
        if (m_interval.count() == 0) {
            return;
        }
        std::chrono::steady_clock::time_point slot;
        {
            std::lock_guard lock(m_mutex);
            slot = std::max(std::chrono::steady_clock::now(), m_next);
            m_next = slot + m_interval;
        }
        std::this_thread::sleep_until(slot);
    }

private:
    std::chrono::microseconds m_interval;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_next{};
};

class Sender
{
public:
    Sender(store::Database& db, const Clock& clock, const store::School& school, const credentials::Hasher& hasher,
           const credentials::Generator& generator, const TransportFactory& make_transport,
           const SendOptions& options, const std::function<void(const Progress&)>& progress)
        : m_db(db), m_clock(clock), m_hasher(hasher), m_generator(generator), m_make_transport(make_transport),
          m_options(options), m_progress(progress), m_pacer(options.rate_per_minute)
    {
        m_letters.school = school;
        m_letters.language = options.language;
        const auto sender = mail::parse_sender(school.mail_from);
        if (!sender.problem.empty()) {
            throw Error(ErrorCode::config, credenza::i18n::format(_fmt("the sender of the letters {}"), sender.problem), Hint::fix_sender);
        }
        m_sender = sender.address;
        m_letters.sender = {sender.address.name.empty() ? school.name : sender.address.name, sender.address.email};
        const auto at = m_sender.email.rfind('@');
        m_letters.message_id_domain = !school.domain.empty() ? school.domain
                                      : at != std::string::npos ? m_sender.email.substr(at + 1)
                                                                : std::string("localhost");
        m_letters.family = mail::load_template(mail::LetterKind::family, options.language, options.template_dir);
        m_letters.student = mail::load_template(mail::LetterKind::student, options.language, options.template_dir);
        m_letters.reset = mail::load_template(mail::LetterKind::reset, options.language, options.template_dir);
        m_letters.recovery = mail::load_template(mail::LetterKind::recovery, options.language, options.template_dir);
        m_letters.reminder = mail::load_template(mail::LetterKind::reminder, options.language, options.template_dir);
        m_letters.family_spid = options.family_spid;
        m_letters.self_service_recover = options.self_service_recover;
        m_letters.student_formal = options.student_formal;
        std::vector<const mail::Template*> in_use = {&m_letters.family, &m_letters.student, &m_letters.reset,
                                                     &m_letters.recovery, &m_letters.reminder};
        if (options.family_spid) {
            m_letters.spid = mail::load_template(mail::LetterKind::spid, options.language, options.template_dir);
            in_use.push_back(&m_letters.spid);
            m_letters.reminder_spid =
                mail::load_template(mail::LetterKind::reminder_spid, options.language, options.template_dir);
            in_use.push_back(&m_letters.reminder_spid);
        }
        // A school's template with an unknown field fails here, before any letter is claimed.
        for (const auto* letter : in_use) {
            mail::check_template(*letter);
        }
    }

    SendReport run()
    {
        if (!m_options.dry_run) {
            recover_interrupted();
        }
        const auto ids = due_letters();
        if (m_options.dry_run || ids.empty()) {
            return m_report;
        }
        if (!start_workers()) {
            m_report.not_started = static_cast<int>(ids.size());
            return m_report;
        }
        try {
            pump(ids);
        } catch (...) {
            // Nobody will record what the workers still hold: let them drop it, not deliver it.
            m_abort = true;
            m_claimed.clear(); // never handed over: their claims roll back with the batch
            m_batch.reset();
            stop_workers();
            throw;
        }
        stop_workers();
        if (m_failure) {
            std::rethrow_exception(m_failure);
        }
        return m_report;
    }

private:
    // Letters a crash left in `sending` were refused by nobody: retry them now, with new secrets.
    void recover_interrupted()
    {
        store::Transaction transaction(m_db);
        m_report.recovered =
            store::recover_interrupted_letters(m_db, "interrupted: retried with new secrets", m_clock.now());
        if (m_report.recovered > 0) {
            audit::append(m_db, m_clock, m_options.operator_name, "send recovered", "",
                          fmt::format("letters={}", m_report.recovered));
        }
        transaction.commit();
    }

    std::vector<std::int64_t> due_letters()
    {
        const TimePoint now = m_clock.now();
        auto ids = store::due_letter_ids(m_db, now, m_options.retry_now, m_options.dry_run);
        const int sent_today = store::letters_sent_since(m_db, now - 24h);
        const int budget = std::max(0, m_options.daily_cap - sent_today);
        if (static_cast<int>(ids.size()) > budget) {
            m_report.left_for_tomorrow = static_cast<int>(ids.size()) - budget;
            ids.resize(static_cast<std::size_t>(budget));
        }
        if (m_options.limit > 0 && static_cast<int>(ids.size()) > m_options.limit) {
            ids.resize(static_cast<std::size_t>(m_options.limit));
        }
        m_report.due = static_cast<int>(ids.size());
        return ids;
    }

    // Before any letter is claimed, one connection tries everything but a recipient: a setting to fix
    // or a server out of reach then costs no letter an attempt. False when the run must stop.
    bool preflight(mail::Transport& transport)
    {
        const auto probe = transport.probe(m_sender.email);
        switch (probe.outcome) {
        case mail::Outcome::misconfigured:
            m_report.misconfigured = probe.setting;
            m_report.pause_reply = probe.reply;
            return false;
        case mail::Outcome::failed:
            // Refused for good before any recipient (a 554 greeting): the server, not a letter, is at
            // fault, and every letter would be refused the same way.
            m_report.misconfigured = "smtp.url";
            m_report.pause_reply = probe.reply;
            return false;
        case mail::Outcome::unavailable:
            m_report.unavailable = true;
            [[fallthrough]];
        case mail::Outcome::paused:
            m_report.paused = true;
            m_report.pause_reply = probe.reply;
            return false;
        default:
            // A 4xx or a silent server: each letter meets it and is deferred as usual.
            return true;
        }
    }

    bool start_workers()
    {
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        const int jobs = m_options.jobs > 0 ? m_options.jobs : static_cast<int>(cores);
        const int connections = std::max(1, m_options.connections);
        // Made here, before any letter is claimed, so that a misconfiguration stops the run cleanly.
        std::vector<std::unique_ptr<mail::Transport>> transports;
        for (int i = 0; i < connections; ++i) {
            transports.push_back(m_make_transport());
        }
        if (!preflight(*transports.front())) {
            return false;
        }
        for (int i = 0; i < jobs; ++i) {
            m_threads.emplace_back([this] { hash_worker(); });
        }
        for (auto& transport : transports) {
            m_threads.emplace_back([this, owned = std::shared_ptr<mail::Transport>(std::move(transport))] {
                smtp_worker(*owned);
            });
        }
        // Enough letters claimed ahead that a connection never waits for a commit (an fsync can take
        // tens of ms on a busy disk) and that the commits of one round group many letters. A crash
        // leaves them in `sending`, retried by the next run with new secrets.
        m_max_in_flight = static_cast<std::size_t>(jobs + k_claimed_per_connection * connections);
        return true;
    }

    void stop_workers()
    {
        m_to_hash.close();
        m_to_send.close();
        for (auto& thread : m_threads) {
            thread.join();
        }
        m_threads.clear();
    }

    bool stopping() const
    {
        return m_report.paused || !m_report.misconfigured.empty() || m_failure || (m_options.stop != nullptr && m_options.stop->load());
    }

    // The main thread owns the database: it claims, commits and records; workers hash and talk SMTP.
    void pump(const std::vector<std::int64_t>& ids)
    {
        std::size_t next = 0;
        std::size_t in_flight = 0;
        while (true) {
            while (!stopping() && next < ids.size() && in_flight < m_max_in_flight) {
                if (submit(ids[next++])) {
                    ++in_flight;
                }
            }
            commit_batch();
            if (in_flight == 0) {
                break;
            }
            auto event = m_events.pop_for(200ms);
            // What else has arrived meanwhile goes into the same transaction (see batch()).
            for (; event; event = m_events.pop_for(0ms)) {
                handle(std::move(*event), in_flight);
            }
            commit_batch();
        }
        m_report.not_started += static_cast<int>(ids.size() - next);
    }

    void handle(Event event, std::size_t& in_flight)
    {
        {
            if (auto* prepared = std::get_if<Prepared>(&event)) {
                if (stopping()) {
                    --in_flight; // never committed: the letter stays as it was
                    ++m_report.not_started;
                } else if (!hand_over(std::move(*prepared))) {
                    --in_flight; // claimed by someone else meanwhile
                }
            } else if (auto* delivered = std::get_if<Delivered>(&event)) {
                --in_flight;
                record(*delivered);
            } else {
                --in_flight;
                if (!m_failure) {
                    m_failure = std::get<WorkerFailure>(event).error;
                }
            }
        }
    }

    // The claims and outcomes of the events that arrived together share one transaction: one commit
    // (one fsync of the WAL) for all of them instead of two a letter. A letter still reaches SMTP only
    // after its claim and hashes are durable: commit_batch() hands the letters over after the commit.
    void batch()
    {
        if (!m_batch) {
            m_batch.emplace(m_db);
        }
    }

    void commit_batch()
    {
        if (m_batch) {
            m_batch->commit();
            m_batch.reset();
        }
        for (auto& delivery : m_claimed) {
            m_to_send.push(std::move(delivery));
        }
        m_claimed.clear();
    }

    // Loads a letter; returns false when it was settled without sending.
    bool submit(std::int64_t letter_id)
    {
        LetterJob job = detail::load_job(m_db, letter_id, m_options.language);
        if (job.status != AccountStatus::active) {
            batch();
            store::cancel_letter(m_db, letter_id, "account disabled", m_clock.now());
            audit::append(m_db, m_clock, m_options.operator_name, "send cancelled", job.user_code,
                          fmt::format("letter={} account disabled", letter_id));
            ++m_report.cancelled;
            report_progress();
            return false;
        }
        if (job.recipient.empty()) {
            settle(job, LetterState::failed, 0, "no e-mail address recorded");
            return false;
        }
        m_to_hash.push(std::move(job));
        return true;
    }

    void hash_worker()
    {
        while (auto job = m_to_hash.pop()) {
            if (m_abort) {
                continue;
            }
            try {
                Prepared prepared{std::move(*job), Secret(), Secret(), {}, {}};
                // A reminder says how to log in and carries no secret: nothing to make.
                const bool reminder = prepared.job.purpose == LetterPurpose::reminder;
                if (!reminder && !spid_family(prepared.job)) {
                    prepared.password = m_generator.password();
                    prepared.password_hash = m_hasher.hash(credentials::Purpose::password, prepared.job.account_id,
                                                           prepared.password.view());
                }
                if (!reminder && prepared.job.new_pin) {
                    prepared.pin = m_generator.pin();
                    prepared.pin_hash =
                        m_hasher.hash(credentials::Purpose::pin, prepared.job.account_id, prepared.pin.view());
                }
                m_events.push(std::move(prepared));
            } catch (...) {
                m_events.push(WorkerFailure{std::current_exception()});
            }
        }
    }

    void smtp_worker(mail::Transport& transport)
    {
        while (auto item = m_to_send.pop()) {
            if (m_abort) {
                continue; // left in 'sending': the next run retries it with new secrets
            }
            if (m_paused_flag.load()) {
                m_events.push(Delivered{std::move(item->job), std::nullopt});
                continue;
            }
            try {
                m_pacer.wait();
                mail::Delivery delivery = transport.deliver(item->envelope, item->message.view());
                item->message.clear();
                const bool stop = delivery.outcome == mail::Outcome::paused
                               || delivery.outcome == mail::Outcome::unavailable
                               || delivery.outcome == mail::Outcome::misconfigured;
                // The event first: the letters other connections then leave unattempted are recorded
                // after it, with the wait it decided.
                m_events.push(Delivered{std::move(item->job), std::move(delivery)});
                if (stop) {
                    m_paused_flag = true;
                }
            } catch (...) {
                m_events.push(WorkerFailure{std::current_exception()});
            }
        }
    }

    // Commits the hashes and the claim, then hands the letter to a connection.
    bool hand_over(Prepared prepared)
    {
        const TimePoint now = m_clock.now();
        // A recovery never stops working secrets: its new ones wait beside the old (see accounts::recover).
        const bool recovery = prepared.job.purpose == LetterPurpose::recovery;
        const TimePoint recovery_expires = now + std::chrono::hours(m_options.recovery_hours);
        const std::string expires =
            iso_time(recovery ? recovery_expires : now + std::chrono::hours(24) * m_options.initial_password_days);
        std::string message_id;
        Secret message =
            detail::write_letter(m_letters, prepared.job, prepared.password, prepared.pin, expires, now, message_id);
        prepared.password.clear();
        prepared.pin.clear();

        const auto& job = prepared.job;
        batch();
        // Claimed only from the state it was read in: a letter claimed or settled meanwhile by
        // anyone else is dropped here, its secrets never stored nor sent.
        if (!store::mark_letter_sending(m_db, job.letter_id, job.recipient, message_id, now, job.attempts)) {
            ++m_report.not_started;
            return false;
        }
        if (job.purpose == LetterPurpose::reminder) {
            // No secret was made: the account's credentials stay as they are.
        } else if (recovery) {
            store::record_pending_secrets(m_db, job.account_id, spid_family(job) ? "" : prepared.password_hash,
                                          job.new_pin ? prepared.pin_hash : "", recovery_expires);
        } else {
            if (spid_family(job)) {
                // No password at all: the holder logs in with SPID or CIE, known by codice fiscale.
                store::record_spid_login(m_db, job.account_id, now);
            } else {
                store::record_mailed_password(m_db, job.account_id, prepared.password_hash, now);
            }
            if (job.new_pin) {
                store::record_mailed_pin(m_db, job.account_id, prepared.pin_hash, now);
            }
        }

        LetterJob sent_job = job;
        sent_job.attempts += 1;
        // With VERP a bounce names its letter even when a server returns no headers at all.
        mail::Envelope envelope{m_options.verp ? bounces::verp_address(m_sender.email, bounces::message_id_token(message_id))
                                               : m_sender.email,
                                job.recipient, detail::letter_label(m_letters, job)};
        // Handed to a connection by commit_batch(), once durable: before the first SMTP byte.
        m_claimed.push_back(DeliveryJob{std::move(sent_job), std::move(envelope), std::move(message)});
        return true;
    }

    void record(const Delivered& delivered)
    {
        const auto& job = delivered.job;
        if (!delivered.delivery) {
            // Claimed but never handed to the server: back in the queue for the next run.
            requeue(job, "not attempted: the batch was paused", m_requeue_wait);
            ++m_report.not_started;
            report_progress();
            return;
        }
        const auto& delivery = *delivered.delivery;
        switch (delivery.outcome) {
        case mail::Outcome::sent:
            settle(job, LetterState::sent, delivery.code, delivery.reply);
            break;
        case mail::Outcome::failed:
            settle(job, LetterState::failed, delivery.code, delivery.reply);
            break;
        case mail::Outcome::deferred:
            if (job.attempts >= k_max_attempts) {
                settle(job, LetterState::failed, delivery.code,
                       fmt::format("gave up after {} attempts: {}", job.attempts, delivery.reply));
            } else {
                settle(job, LetterState::deferred, delivery.code, delivery.reply);
            }
            break;
        case mail::Outcome::misconfigured:
            // The setting is at fault, not the letter: due again as soon as it is fixed.
            m_report.misconfigured = delivery.setting;
            m_report.pause_reply = delivery.reply;
            stop_batch(job, delivery.reply, 0min);
            break;
        case mail::Outcome::unavailable:
            m_report.unavailable = true;
            m_report.paused = true;
            m_report.pause_reply = delivery.reply;
            stop_batch(job, delivery.reply, 0min);
            break;
        case mail::Outcome::paused:
            m_report.paused = true;
            m_report.pause_reply = delivery.reply;
            stop_batch(job, delivery.reply, k_pause);
            break;
        }
    }

    void stop_batch(const LetterJob& job, const std::string& reply, std::chrono::minutes wait)
    {
        m_requeue_wait = std::min(m_requeue_wait, wait);
        requeue(job, reply, wait);
        ++m_report.not_started;
        report_progress();
    }

    bool spid_family(const LetterJob& job) const { return m_options.family_spid && job.kind == AccountKind::family; }

    void requeue(const LetterJob& job, const std::string& reply, std::chrono::minutes wait = k_pause)
    {
        batch();
        const TimePoint now = m_clock.now();
        store::requeue_letter(m_db, job.letter_id, reply, now + wait, now);
        audit::append(m_db, m_clock, m_options.operator_name, "send paused", job.user_code,
                      fmt::format("letter={} {}", job.letter_id, reply));
    }

    void settle(const LetterJob& job, LetterState state, int code, const std::string& reply)
    {
        const TimePoint now = m_clock.now();
        store::LetterOutcome outcome{state, code, reply, std::nullopt, job.recipient};
        if (state == LetterState::deferred) {
            outcome.next_attempt_at = now + backoff(std::max(1, job.attempts));
        }
        batch();
        store::settle_letter(m_db, job.letter_id, outcome, now);
        audit::append(m_db, m_clock, m_options.operator_name, fmt::format("send {}", to_string(state)), job.user_code,
                      fmt::format("letter={} code={}", job.letter_id, code));
        if (state == LetterState::sent) {
            ++m_report.sent;
        } else if (state == LetterState::deferred) {
            ++m_report.deferred;
        } else {
            ++m_report.failed;
            m_report.failures.push_back({job.user_code, job.recipient, code, reply});
        }
        report_progress();
    }

    void report_progress()
    {
        if (m_progress) {
            m_progress({m_report.sent + m_report.deferred + m_report.failed + m_report.cancelled + m_report.not_started,
                        m_report.due, m_report.sent, m_report.deferred, m_report.failed});
        }
    }

    store::Database& m_db;
    const Clock& m_clock;
    const credentials::Hasher& m_hasher;
    const credentials::Generator& m_generator;
    const TransportFactory& m_make_transport;
    const SendOptions& m_options;
    const std::function<void(const Progress&)>& m_progress;
    detail::Letters m_letters;
    mail::Address m_sender; // the envelope sender: the address of [mail] from, or of init's --mail-from
    Pacer m_pacer;
    SendReport m_report;
    Channel<LetterJob> m_to_hash;
    Channel<DeliveryJob> m_to_send;
    Channel<Event> m_events;
    std::vector<std::thread> m_threads;
    std::size_t m_max_in_flight = 1;
    std::atomic<bool> m_paused_flag = false;
    std::chrono::minutes m_requeue_wait = k_pause; // for letters the stop left unattempted
    std::atomic<bool> m_abort = false;
    std::exception_ptr m_failure;
    std::optional<store::Transaction> m_batch; // the round's writes, see batch()
    std::vector<DeliveryJob> m_claimed;        // claimed in m_batch, handed over when it commits
};

} // namespace

SendReport send_letters(store::Database& db, const Clock& clock, const store::School& school,
                        const credentials::Hasher& hasher, const credentials::Generator& generator,
                        const TransportFactory& make_transport, const SendOptions& options,
                        const std::function<void(const Progress&)>& progress)
{
    auto report = Sender(db, clock, school, hasher, generator, make_transport, options, progress).run();
    if (options.alert_after_hours > 0) {
        report.overdue = store::letters_waiting_since(db, clock.now() - std::chrono::hours(options.alert_after_hours));
    }
    return report;
}

} // namespace credenza::dispatch
