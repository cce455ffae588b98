#include <credenza/reports/problems.hpp>

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include <credenza/store/reports.hpp>

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
    for (const auto& account : store::guardians_without_address(db, filter)) {
        auto row = problem_of(account, "no_address");
        row.reason = "guardian with no e-mail address: credentials cannot be sent; record the address in "
                     "the register and import again";
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
            row.reason = fmt::format("the mail server refused '{}' for good ({}): correct the address in the "
                                     "register, import again, then send new credentials with 'credenza "
                                     "reset'",
                                     row.address, reply.empty() ? std::to_string(code) : reply);
        } else {
            row.reason = fmt::format("delivery to '{}' given up after {} attempts{}: check the address", row.address,
                                     letter.attempts, reply.empty() ? std::string() : " (" + reply + ")");
        }
        found.push_back(std::move(row));
    }
}

void waiting(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& waiting : store::waiting_letters(db, filter)) {
        const auto& letter = waiting.letter;
        auto row = problem_of(letter.account, "waiting");
        row.address = letter.recipient;
        row.reason = fmt::format("letter to '{}' waiting since {} after {} attempt{}: the last reply was '{}'; {}",
                                 row.address, waiting.queued_at, letter.attempts, letter.attempts == 1 ? "" : "s",
                                 letter.last_reply,
                                 waiting.next_attempt.empty()
                                     ? std::string("it goes with the next 'credenza send'")
                                     : fmt::format("next attempt not before {} ('credenza send --retry-now' "
                                                   "to retry at once)",
                                                   waiting.next_attempt));
        found.push_back(std::move(row));
    }
}

void shared_address(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& shared : store::shared_addresses(db, filter)) {
        auto row = problem_of(shared.account, "shared_address");
        row.address = shared.address;
        row.reason = fmt::format("'{}' is also the address of {}: the PIN is personal, so each guardian "
                                 "needs an address of their own in the register",
                                 row.address, shared.others);
        found.push_back(std::move(row));
    }
}

void locked(store::Database& db, const Filter& filter, const LockPolicy& policy, std::vector<Problem>& found)
{
    for (const auto& account : store::accounts_over_failure_limits(db, filter, policy.pin_max_failures,
                                                                    policy.password_max_failures)) {
        auto row = problem_of(account.account, "locked");
        std::vector<std::string> what;
        if (account.pin_failures >= policy.pin_max_failures) {
            what.push_back(fmt::format("PIN locked after {} failures", account.pin_failures));
        }
        if (account.password_failures >= policy.password_max_failures) {
            what.push_back(fmt::format("password locked after {} failures", account.password_failures));
        }
        row.reason = fmt::format("{}: only an administrator's 'credenza reset' unlocks it", fmt::join(what, ", "));
        found.push_back(std::move(row));
    }
}

void no_guardian(store::Database& db, const Filter& filter, std::vector<Problem>& found)
{
    for (const auto& pupil : store::pupils_without_guardian(db, filter)) {
        auto row = problem_of(pupil, "no_guardian");
        row.reason = "pupil with no guardian: no family account can be made; record a guardian in the "
                     "register and import again";
        found.push_back(std::move(row));
    }
}

} // namespace

std::vector<Problem> problems(store::Database& db, const Filter& filter, const LockPolicy& policy)
{
    std::vector<Problem> found;
    const std::vector<std::function<void()>> checks = {
        [&] { no_address(db, filter, found); },     [&] { delivery_failed(db, filter, found); },
        [&] { waiting(db, filter, found); },
        [&] { shared_address(db, filter, found); }, [&] { locked(db, filter, policy, found); },
        [&] { no_guardian(db, filter, found); },
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

} // namespace credenza::reports
