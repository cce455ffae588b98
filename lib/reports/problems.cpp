#include <credenza/reports/problems.hpp>

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include <credenza/bounces/report.hpp>
#include <credenza/store/reports.hpp>
#include "i18n/gettext.hpp"

#include "i18n/gettext.hpp"

namespace credenza::reports {

namespace {

Problem problem_of(const store::ReportedAccount& account, std::string problem)
{
    Problem row;
    row.problem = std::move(problem);
    row.user_code = account.user_code;
    row.kind = account.kind;
    row.tax_code = account.tax_code;
    row.surname = account.surname;
    row.name = account.name;
    row.classes = account.classes;
    return row;
}

void no_address(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& account : store::accounts_without_address(db, filter)) {
        auto row = problem_of(account, "no_address");
        row.reason = account.kind == AccountKind::family
                         ? _("guardian with no e-mail address: credentials cannot be sent; record the address in "
                             "the register, import again, then 'credenza issue' and 'credenza send'")
                         : _("student with no institutional address: credentials cannot be sent; create the address "
                             "in Google Workspace and record it ('credenza export gworkspace', then 'credenza account "
                             "set-email --from-proposal'), then 'credenza issue' and 'credenza send'");
        found.push_back(std::move(row));
    }
}

void never_sent(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& account : store::accounts_never_sent(db, filter)) {
        auto row = problem_of(account.account, "never_sent");
        row.address = account.address;
        row.reason = credenza::i18n::format(_fmt("no letter was ever sent to '{}' (the address arrived after the last 'credenza "
                                 "issue'): run 'credenza issue', then 'credenza send'"),
                                 row.address);
        found.push_back(std::move(row));
    }
}

void delivery_failed(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& letter : store::last_failed_letters(db, filter)) {
        auto row = problem_of(letter.account, "delivery_failed");
        row.address = letter.recipient;
        const int code = letter.last_code.value_or(0);
        const std::string& reply = letter.last_reply;
        if (code >= 500 && code < 600) {
            row.reason = credenza::i18n::format(_fmt("the mail server refused '{}' for good ({}): correct the address in the "
                                     "register and import again with '--accept-changes' (without it the import "
                                     "holds the corrected address of an account that already had a letter), "
                                     "then send new credentials with 'credenza reset'"),
                                     row.address, reply.empty() ? std::to_string(code) : reply);
        } else {
            row.reason = credenza::i18n::format(_fmt("delivery to '{}' given up after {} attempts{}: check the address"), row.address,
                                     letter.attempts, reply.empty() ? std::string() : " (" + reply + ")");
        }
        found.push_back(std::move(row));
    }
}

void bounced(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& letter : store::last_bounced_letters(db, filter)) {
        auto row = problem_of(letter.account, "bounced");
        row.address = letter.recipient;
        const std::string pupils =
            letter.pupils.empty() ? std::string() : i18n::format(_fmt(" (pupils: {})"), letter.pupils);
        row.reason = i18n::format(
            _fmt("the letter to '{}'{} came back: {} ({}); its credentials no longer work: correct the address in "
                 "the register, import with '--accept-changes', then 'credenza send' (a new letter is queued when "
                 "the address changes)"),
            row.address, pupils, i18n::translate(bounces::status_reason(letter.status)),
            letter.diagnostic.empty() ? letter.status : letter.status + " " + letter.diagnostic);
        found.push_back(std::move(row));
    }
}

void waiting(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& waiting : store::waiting_letters(db, filter)) {
        const auto& letter = waiting.letter;
        auto row = problem_of(letter.account, "waiting");
        row.address = letter.recipient;
        row.reason = credenza::i18n::format(
            P_("letter to '{}' waiting since {} after {} attempt: the last reply was '{}'; {}",
               "letter to '{}' waiting since {} after {} attempts: the last reply was '{}'; {}",
               static_cast<unsigned long>(letter.attempts)),
                                 row.address, waiting.queued_at, letter.attempts,
                                 letter.last_reply,
                                 waiting.next_attempt.empty()
                                     ? std::string(_("it goes with the next 'credenza send'"))
                                     : credenza::i18n::format(_fmt("next attempt not before {} ('credenza send --retry-now' "
                                                   "to retry at once)"),
                                                   waiting.next_attempt));
        found.push_back(std::move(row));
    }
}

void pending(store::Database& db, const Filter& filter, const ProblemRules& rules, std::vector<Problem>& found)
{
    const auto before = rules.now - std::chrono::hours(rules.pending_hours);
    for (const auto& waiting : store::letters_pending_since(db, filter, before)) {
        auto row = problem_of(waiting.letter.account, "pending");
        row.address = waiting.letter.recipient;
        row.reason = credenza::i18n::format(_fmt("letter to '{}' queued since {} and never tried: run 'credenza send' (and check "
                                 "that cron runs it)"),
                                 row.address, waiting.queued_at);
        found.push_back(std::move(row));
    }
}

void shared_address(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& shared : store::shared_addresses(db, filter)) {
        auto row = problem_of(shared.account, "shared_address");
        row.address = shared.address;
        row.reason = credenza::i18n::format(_fmt("'{}' is also the address of {}: the PIN is personal, so each guardian "
                                 "needs an address of their own in the register"),
                                 row.address, shared.others);
        found.push_back(std::move(row));
    }
}

void address_held(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& account : store::accounts_with_address_held(db, filter)) {
        auto row = problem_of(account.account, "address_held");
        row.address = account.address;
        row.reason = credenza::i18n::format(_fmt("the last import held a change of this account's address (a new one, or "
                                 "its clearing), and the account already had a letter: letters still go to '{}'; "
                                 "check the change in the import's review, then import again with "
                                 "'--accept-changes' (and 'credenza reset' if the old address does not work)"),
                                 row.address);
        found.push_back(std::move(row));
    }
}

void locked(store::Database& db, const Filter& filter, const ProblemRules& policy, std::vector<Problem>& found)
{
    for (const auto& account : store::accounts_over_failure_limits(db, filter, policy.pin_max_failures,
                                                                    policy.password_max_failures)) {
        auto row = problem_of(account.account, "locked");
        std::vector<std::string> what;
        if (account.pin_failures >= policy.pin_max_failures) {
            what.push_back(credenza::i18n::format(_fmt("PIN locked after {} failures"), account.pin_failures));
        }
        if (account.password_failures >= policy.password_max_failures) {
            what.push_back(credenza::i18n::format(_fmt("password locked after {} failures"), account.password_failures));
        }
        row.reason = credenza::i18n::format(_fmt("{}: only an administrator's 'credenza reset' unlocks it"), fmt::join(what, ", "));
        found.push_back(std::move(row));
    }
}

void password_expired(store::Database& db, const Filter& filter, const ProblemRules& rules,
                      std::vector<Problem>& found)
{
    const auto before = rules.now - std::chrono::hours(24) * rules.initial_password_days;
    for (const auto& expired : store::initial_passwords_expired(db, filter, before)) {
        auto row = problem_of(expired.account, "password_expired");
        row.reason = credenza::i18n::format(_fmt("the password sent on {} was never changed and expired after {} days: send new "
                                 "credentials with 'credenza reset {} --reason ...' (or the holder asks for them "
                                 "with 'Password dimenticata?' where the school allows it)"),
                                 expired.set_at.substr(0, 10), rules.initial_password_days, row.user_code);
        found.push_back(std::move(row));
    }
}

void disabled(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& account : store::disabled_with_pupils(db, filter)) {
        auto row = problem_of(account.account, "disabled");
        row.reason = credenza::i18n::format(_fmt("account disabled{} while its pupil is still enrolled: if it should work, "
                                 "'credenza account enable {} --reason ...'"),
                                 account.disabled_by == DisabledBy::admin    ? _(" by an administrator")
                                 : account.disabled_by == DisabledBy::import ? _(" by an import")
                                                                             : "",
                                 row.user_code);
        found.push_back(std::move(row));
    }
}

void no_guardian(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& pupil : store::pupils_without_guardian(db, filter)) {
        auto row = problem_of(pupil, "no_guardian");
        row.reason = _("pupil with no guardian: no family account can be made; record a guardian in the "
                       "register and import again");
        found.push_back(std::move(row));
    }
}

} // namespace

const std::vector<std::string>& problem_codes()
{
    static const std::vector<std::string> codes = {"no_address", "never_sent",       "delivery_failed", "bounced",
                                                   "waiting",
                                                   "pending",    "shared_address",   "address_held", "locked",
                                                   "password_expired", "disabled",   "no_guardian"};
    return codes;
}

std::string problem_label(std::string_view code)
{
    static constexpr std::pair<std::string_view, const char*> k_labels[] = {
        {"no_address", N_("no address to write to")},
        {"never_sent", N_("credentials never sent")},
        {"delivery_failed", N_("delivery failed")},
        {"waiting", N_("letter waiting to be retried")},
        {"pending", N_("letter queued and never tried")},
        {"shared_address", N_("address shared with another guardian")},
        {"address_held", N_("changed address held by the import")},
        {"locked", N_("locked after failed attempts")},
        {"password_expired", N_("first password expired")},
        {"disabled", N_("account disabled, pupil still enrolled")},
        {"no_guardian", N_("pupil with no guardian")},
    };
    for (const auto& [known, label] : k_labels) {
        if (known == code) {
            return credenza::i18n::translate(label);
        }
    }
    return std::string(code);
}

std::vector<Problem> problems(store::Database& db, const Filter& filter, const ProblemRules& rules)
{
    std::vector<Problem> found;
    const std::vector<std::function<void()>> checks = {
        [&] { no_address(db, filter, found); },       [&] { never_sent(db, filter, found); },
        [&] { delivery_failed(db, filter, found); },  [&] { bounced(db, filter, found); },
        [&] { waiting(db, filter, found); },
        [&] { pending(db, filter, rules, found); },   [&] { shared_address(db, filter, found); },
        [&] { address_held(db, filter, found); },
        [&] { locked(db, filter, rules, found); },    [&] { password_expired(db, filter, rules, found); },
        [&] { disabled(db, filter, found); },         [&] { no_guardian(db, filter, found); },
    };
    for (const auto& check : checks) {
        const auto begin = found.size();
        check();
        std::stable_sort(found.begin() + static_cast<std::ptrdiff_t>(begin), found.end(),
                         [](const Problem& x, const Problem& y) {
                             return std::tie(x.classes, x.surname, x.name, x.user_code) <
                                    std::tie(y.classes, y.surname, y.name, y.user_code);
                         });
    }
    return found;
}

std::vector<std::pair<std::string, int>> count_problems(const std::vector<Problem>& problems)
{
    std::vector<std::pair<std::string, int>> counts;
    for (const auto& code : problem_codes()) {
        counts.emplace_back(code, static_cast<int>(std::count_if(problems.begin(), problems.end(),
                                                                  [&](const Problem& p) { return p.problem == code; })));
    }
    return counts;
}

} // namespace credenza::reports
