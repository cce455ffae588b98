#include <credenza/bounces/read.hpp>

#include <sodium.h>

#include <credenza/audit/log.hpp>
#include <credenza/error.hpp>
#include <credenza/store/bounces.hpp>

#include "i18n/gettext.hpp"

namespace credenza::bounces {

namespace {

// The letter a report names: through a Message-ID credenza made, else the VERP envelope's token.
std::optional<store::ReportedLetter> letter_of(store::Database& db, const Report& report)
{
    for (const auto& id : report.message_ids) {
        if (auto letter = store::letter_by_message_id(db, id)) {
            return letter;
        }
    }
    for (const auto& token : report.verp_tokens) {
        if (auto letter = store::letter_by_token(db, token)) {
            return letter;
        }
    }
    return std::nullopt;
}

// Records each report once: its own Message-ID, or what it said when it has none.
std::string report_key(const Report& report, std::int64_t letter_id)
{
    const std::string seed = report.report_id.empty()
                                 ? fmt::format("letter={} {} {} {} {}", letter_id, to_string(report.kind),
                                               report.status, report.recipient, report.diagnostic)
                                 : "id=" + report.report_id;
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), nullptr, 0);
    char hex[sizeof hash * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return hex;
}

store::BounceSeverity severity_of(const Report& report)
{
    if (report.kind != ReportKind::failed) {
        return store::BounceSeverity::delayed;
    }
    return report.hard() ? store::BounceSeverity::hard : store::BounceSeverity::soft;
}

} // namespace

ReadReport read_bounces(store::Database& db, const Clock& clock, Mailbox& mailbox, const ReadOptions& options)
{
    if (!is_folder_name(options.processed_folder)) {
        throw Error(ErrorCode::config,
                    i18n::format(_fmt("[imap] processed_folder '{}' is not a folder name"), options.processed_folder));
    }
    ReadReport run;
    const auto uids = mailbox.message_uids();
    run.messages = static_cast<int>(uids.size());
    bool folder_ready = false;
    for (const auto uid : uids) {
        std::string message = mailbox.fetch(uid);
        const Report report = parse_report(message);
        sodium_memzero(message.data(), message.size()); // a returned copy may hold the letter's text
        message.clear();

        switch (report.kind) {
        case ReportKind::auto_reply: ++run.auto_replies; continue;
        case ReportKind::not_report: ++run.other; continue;
        case ReportKind::malformed: ++run.unreadable; continue;
        case ReportKind::failed:
        case ReportKind::delayed:
        case ReportKind::delivered: break;
        }
        const auto letter = letter_of(db, report);
        if (!letter) {
            ++run.unmatched;
            continue;
        }
        const auto severity = severity_of(report);
        ReportedBounce line{letter->user_code, report.recipient, report.status, report.diagnostic, report.kind,
                            severity == store::BounceSeverity::hard, ""};
        if (!options.dry_run) {
            const TimePoint now = clock.now();
            store::Transaction transaction(db);
            const bool fresh = store::record_bounce(
                db, {letter->letter_id, report_key(report, letter->letter_id), severity, report.status,
                     report.diagnostic, report.recipient},
                now);
            if (fresh && severity == store::BounceSeverity::hard) {
                const std::string reply = fmt::format("bounced {}: {}", report.status, report.diagnostic);
                if (store::mark_letter_bounced(db, letter->letter_id, reply.substr(0, 400), now)) {
                    line.voided = store::void_bounced_secrets(db, letter->letter_id, now);
                }
            }
            if (fresh) {
                audit::append(db, clock, options.operator_name, fmt::format("bounce {}", store::to_string(severity)),
                              letter->user_code,
                              fmt::format("letter={} status={}{}", letter->letter_id, report.status,
                                          line.voided.empty() ? "" : " voided=" + line.voided));
            }
            transaction.commit(); // recorded before the move: a crash in between records nothing twice
            if (!folder_ready) {
                mailbox.ensure_folder(options.processed_folder);
                folder_ready = true;
            }
            mailbox.move(uid, options.processed_folder);
            ++run.moved;
            if (!fresh) {
                ++run.repeated;
                continue;
            }
        }
        switch (severity) {
        case store::BounceSeverity::hard: ++run.bounced; break;
        case store::BounceSeverity::soft: ++run.soft; break;
        case store::BounceSeverity::delayed: ++run.delayed; break;
        }
        run.letters.push_back(std::move(line));
    }
    if (!options.dry_run && options.purge_after_days > 0) {
        if (!folder_ready) {
            mailbox.ensure_folder(options.processed_folder);
        }
        run.purged = mailbox.purge(options.processed_folder,
                                   clock.now() - std::chrono::hours(24) * options.purge_after_days);
    }
    return run;
}

} // namespace credenza::bounces
