#include <credenza/dispatch/issue.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/enrolment/fields.hpp>
#include <credenza/store/letters.hpp>
#include "i18n/gettext.hpp"

namespace credenza::dispatch {

namespace {

bool in_classes(const store::IssueCandidate& candidate, const std::vector<std::string>& classes)
{
    return classes.empty() || std::any_of(classes.begin(), classes.end(), [&](const std::string& c) {
               return candidate.classes.find(fmt::format(" {} ", enrolment::normalise_class(c))) != std::string::npos;
           });
}

} // namespace

IssueReport issue_letters(store::Database& db, const Clock& clock, const IssueOptions& options)
{
    IssueReport report;
    report.dry_run = options.dry_run;
    store::Transaction transaction(db);
    for (const auto& candidate : store::issue_candidates(db, options.kind)) {
        if (!in_classes(candidate, options.classes)) {
            continue;
        }
        if (candidate.has_letter) {
            ++report.already;
            continue;
        }
        if (candidate.email.empty()) {
            report.skipped.push_back({candidate.user_code, candidate.kind, candidate.surname, candidate.name,
                                      _("no e-mail address recorded")});
            continue;
        }
        queue_letter(db, clock, candidate.account_id, LetterPurpose::initial, candidate.kind == AccountKind::family,
                     "", options.operator_name);
        ++report.queued;
    }
    if (!options.dry_run) {
        transaction.commit();
    }
    return report;
}

std::int64_t queue_letter(store::Database& db, const Clock& clock, std::int64_t account_id, LetterPurpose purpose,
                          bool new_pin, const std::string& reason, const std::string& operator_name)
{
    const TimePoint now = clock.now();
    const auto user_code = store::letter_account_user_code(db, account_id);
    std::int64_t letter_id = 0;
    if (const auto pending = store::find_waiting_letter(db, account_id, purpose)) {
        // One pending letter per purpose: a second request widens it (a PIN asked for) and sends it now.
        letter_id = *pending;
        store::renew_waiting_letter(db, letter_id, new_pin, reason, operator_name, now);
    } else {
        letter_id = store::insert_letter(db, {account_id, purpose, new_pin, reason, operator_name}, now);
    }
    audit::append(db, clock, operator_name, fmt::format("queue {}", to_string(purpose)), user_code,
                  fmt::format("letter={}{}", letter_id, new_pin ? " pin=new" : ""));
    return letter_id;
}

} // namespace credenza::dispatch
