#include <credenza/accounts/accounts.hpp>

#include <algorithm>
#include <ctime>
#include <set>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/enrolment/codice_fiscale.hpp>
#include <credenza/enrolment/fields.hpp>
#include <credenza/store/accounts.hpp>
#include <credenza/util/text.hpp>
#include "i18n/gettext.hpp"

namespace credenza::accounts {

namespace {

constexpr int k_adult_age = 18;

AccountInfo info_of(store::AccountRow&& row, TimePoint now)
{
    AccountInfo info;
    info.id = row.id;
    info.person_id = row.person_id;
    info.user_code = std::move(row.user_code);
    info.kind = row.kind;
    info.tax_code = std::move(row.tax_code);
    info.surname = std::move(row.surname);
    info.name = std::move(row.name);
    info.email = std::move(row.email);
    info.status = row.status;
    info.disabled_by = row.disabled_by;
    info.must_change_password = row.must_change_password;
    info.has_password = row.has_password;
    info.has_pin = row.has_pin;
    info.password_set_at = std::move(row.password_set_at);
    info.first_login_at = std::move(row.first_login_at);
    info.login_method = row.login_method;
    info.birth_date = std::move(row.birth_date);
    info.credentials = std::move(row.credentials);
    info.pin_failures = row.pin_failures;
    info.password_failures = row.password_failures;
    if (info.kind == AccountKind::student) {
        info.adult = is_adult(info.birth_date, now);
        if (!row.class_name.empty()) {
            info.classes.push_back(std::move(row.class_name));
        }
    }
    return info;
}

// The words of a guardian with no account, or a disabled one: translated once per listing.
struct GuardianWords
{
    std::string no_account = _("no account");
    std::string disabled = _(", disabled");
};

void fill_pupils(AccountInfo& info, const std::vector<store::PupilInCare>& pupils,
                 const std::vector<store::GuardianOfPupil>& guardians, const GuardianWords& words, bool names = true)
{
    if (info.kind == AccountKind::student) {
        info.pupils = {info.tax_code};
        if (!names) {
            return;
        }
        info.pupil_names = {fmt::format("{} {}{}", info.name, info.surname,
                                        info.classes.empty() ? std::string() : " (" + info.classes.front() + ")")};
        for (const auto& guardian : guardians) {
            info.guardians.push_back(fmt::format(
                "{} {} ({})", guardian.name, guardian.surname,
                guardian.user_code.empty() ? words.no_account
                                           : guardian.user_code + (guardian.active ? "" : words.disabled)));
        }
        return;
    }
    info.pupils.reserve(pupils.size());
    for (const auto& pupil : pupils) {
        info.pupils.push_back(pupil.tax_code);
        if (names) {
            info.pupil_names.push_back(fmt::format("{} {} ({})", pupil.name, pupil.surname, pupil.class_name));
        }
        info.classes.push_back(pupil.class_name);
    }
    // Each class once, in order (a family has a few pupils: no set of them).
    std::sort(info.classes.begin(), info.classes.end());
    info.classes.erase(std::unique(info.classes.begin(), info.classes.end()), info.classes.end());
}

void fill_pupils(store::Database& db, AccountInfo& info)
{
    const bool student = info.kind == AccountKind::student;
    fill_pupils(info, student ? std::vector<store::PupilInCare>() : store::active_pupils_of_guardian(db, info.person_id),
                student ? store::guardian_accounts_of_pupil(db, info.person_id) : std::vector<store::GuardianOfPupil>(),
                GuardianWords());
}

void complete(store::Database& db, AccountInfo& info)
{
    fill_pupils(db, info);
    info.capabilities = capabilities_of(info);
}

} // namespace

std::optional<bool> is_adult(std::string_view birth_date, TimePoint now)
{
    const auto birth = enrolment::parse_iso_date(birth_date);
    if (!birth) {
        return std::nullopt;
    }
    // A birthday is a date of the school's calendar, not of UTC.
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm local{};
    localtime_r(&seconds, &local);
    const enrolment::Date today{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
    return enrolment::age_on(*birth, today) >= k_adult_age;
}

std::vector<std::string> capabilities_of(const AccountInfo& account)
{
    std::vector<std::string> capabilities = {"lessons", "homework", "material"};
    if (account.kind == AccountKind::family) {
        for (const char* extra : {"marks", "absences", "communications", "justify_absences", "justify_late_entries",
                                  "request_early_exits", "sign_self_certifications"}) {
            capabilities.emplace_back(extra);
        }
    } else if (account.adult.value_or(false) && account.has_pin) {
        // An adult student with a PIN of their own signs for themselves.
        for (const char* extra : {"justify_own_absences", "justify_own_late_entries", "request_own_early_exits"}) {
            capabilities.emplace_back(extra);
        }
    }
    return capabilities;
}

std::string fold_for_search(std::string_view text)
{
    std::string folded;
    folded.reserve(text.size());
    std::size_t position = 0;
    while (position < text.size()) {
        const char32_t code_point = util::next_code_point(text, position);
        if (code_point == U'\'' || code_point == U'\u2019') {
            continue; // D'Angelo is typed "dangelo" as often as "d'angelo"
        }
        if (code_point < 0x80) {
            folded += util::ascii_lower(static_cast<char>(code_point));
        } else if (const auto ascii = util::fold_accent(code_point); !ascii.empty()) {
            folded += ascii;
        } else {
            util::append_utf8(folded, code_point);
        }
    }
    return folded;
}

namespace {

std::vector<std::string> search_words(std::string_view text)
{
    std::vector<std::string> words;
    std::string word;
    for (const char c : fold_for_search(text) + " ") {
        if (c == ' ' || c == '\t' || c == ',') {
            if (!word.empty()) {
                words.push_back(std::move(word));
                word.clear();
            }
        } else {
            word += c;
        }
    }
    return words;
}

constexpr std::string_view k_separators = " .@-_,()/";

// A word matches at the start of a name, a class, a code or a part of an address ("2b" is the class,
// not the middle of a codice fiscale); a word that holds a separator ("mario.rossi@") anywhere.
bool matches(const std::string& folded, const std::string& word)
{
    if (word.find_first_of(k_separators) != std::string::npos) {
        return folded.find(word) != std::string::npos;
    }
    for (auto at = folded.find(word); at != std::string::npos; at = folded.find(word, at + 1)) {
        if (at == 0 || k_separators.find(folded[at - 1]) != std::string_view::npos) {
            return true;
        }
    }
    return false;
}

// The ids of the accounts whose search text holds every word, in one pass over the accounts.
std::vector<std::int64_t> matching_ids(store::Database& db, std::string_view text)
{
    const auto words = search_words(text);
    if (words.empty()) {
        throw Error(ErrorCode::usage, credenza::i18n::format(_fmt("nothing to search for in '{}'"), std::string(text)));
    }
    std::vector<std::int64_t> ids;
    for (const auto& account : store::account_search_texts(db)) {
        const std::string folded = fold_for_search(account.text);
        if (std::all_of(words.begin(), words.end(),
                        [&](const std::string& word) { return matches(folded, word); })) {
            ids.push_back(account.account_id);
        }
    }
    return ids;
}

} // namespace

std::vector<AccountInfo> find_accounts(store::Database& db, const Clock& clock, std::string_view text)
{
    const auto ids = matching_ids(db, text);
    const TimePoint now = clock.now();
    std::vector<AccountInfo> accounts;
    if (ids.empty()) {
        return accounts;
    }
    for (auto& row : store::account_rows_by_id(db, ids)) {
        accounts.push_back(info_of(std::move(row), now));
    }
    for (auto& info : accounts) {
        complete(db, info);
    }
    return accounts;
}

std::string password_expires_at(const AccountInfo& account, int initial_password_days)
{
    if (!account.has_password || !account.must_change_password) {
        return "";
    }
    const auto set_at = parse_iso_time(account.password_set_at);
    return set_at ? iso_time(*set_at + std::chrono::hours(24) * initial_password_days) : std::string();
}

namespace {

// The classes of the filter as the secretary types them (" 5a " is 5A); empty = every account.
std::vector<std::string> wanted_classes(const AccountFilter& filter)
{
    std::vector<std::string> wanted;
    for (const auto& class_name : filter.classes) {
        wanted.push_back(enrolment::normalise_class(class_name));
    }
    return wanted;
}

bool in_classes(const AccountInfo& info, const std::vector<std::string>& wanted)
{
    return wanted.empty() || std::any_of(info.classes.begin(), info.classes.end(), [&](const std::string& c) {
               return std::find(wanted.begin(), wanted.end(), c) != wanted.end();
           });
}

} // namespace

void for_each_account(store::Database& db, const Clock& clock, const AccountFilter& filter,
                      const std::function<void(AccountInfo&&)>& visit)
{
    const TimePoint now = clock.now();
    const auto wanted = wanted_classes(filter);
    if (!filter.search.empty()) {
        const auto ids = matching_ids(db, filter.search);
        const std::set<std::int64_t> found(ids.begin(), ids.end());
        std::vector<AccountInfo> accounts;
        store::for_each_account_row(db, filter.kind, filter.status, [&](store::AccountRow&& row) {
            if (found.contains(row.id)) {
                accounts.push_back(info_of(std::move(row), now));
            }
        });
        for (auto& info : accounts) {
            complete(db, info);
            if (in_classes(info, wanted)) {
                visit(std::move(info));
            }
        }
        return;
    }
    // Every account (or every one of a kind or status): the pupils and guardians of all in one pass
    // each, where a query per account made the listing of a large school take seconds; then each
    // account made and handed on as it is read.
    const auto pupils = store::active_pupils_of_guardians(db);
    // Every guardian of every pupil only for their names, which a listing without them never reads.
    const auto guardians = filter.with_names
                               ? store::guardian_accounts_of_pupils(db)
                               : std::unordered_map<std::int64_t, std::vector<store::GuardianOfPupil>>();
    const GuardianWords words;
    const std::vector<store::PupilInCare> no_pupils;
    const std::vector<store::GuardianOfPupil> no_guardians;
    store::for_each_account_row(db, filter.kind, filter.status, [&](store::AccountRow&& row) {
        AccountInfo info = info_of(std::move(row), now);
        const auto found_pupils = pupils.find(info.person_id);
        const auto found_guardians = guardians.find(info.person_id);
        fill_pupils(info, found_pupils == pupils.end() ? no_pupils : found_pupils->second,
                    found_guardians == guardians.end() ? no_guardians : found_guardians->second, words,
                    filter.with_names);
        if (filter.with_names) {
            info.capabilities = capabilities_of(info);
        }
        if (in_classes(info, wanted)) {
            visit(std::move(info));
        }
    });
}

std::vector<AccountInfo> list_accounts(store::Database& db, const Clock& clock, const AccountFilter& filter)
{
    std::vector<AccountInfo> accounts;
    for_each_account(db, clock, filter, [&](AccountInfo&& info) { accounts.push_back(std::move(info)); });
    return accounts;
}

AccountInfo find_account(store::Database& db, const Clock& clock, std::string_view account)
{
    const TimePoint now = clock.now();
    std::vector<AccountInfo> found;
    for (auto& row :
         store::find_account_rows(db, util::ascii_upper(account), enrolment::normalise_codice_fiscale(account))) {
        found.push_back(info_of(std::move(row), now));
    }
    if (found.empty()) {
        throw Error(ErrorCode::not_found, credenza::i18n::format(_fmt("no account '{}'"), std::string(account)));
    }
    if (found.size() > 1) {
        throw Error(ErrorCode::usage,
                    credenza::i18n::format(_fmt("'{}' holds a family and a student account: name one by user code ('{}' or '{}')"),
                                std::string(account), found[0].user_code, found[1].user_code));
    }
    complete(db, found.front());
    return found.front();
}

bool set_enabled(store::Database& db, const Clock& clock, std::string_view account, bool enabled,
                 std::string_view reason, std::string_view operator_name)
{
    store::Transaction transaction(db);
    const AccountInfo info = find_account(db, clock, account);
    const bool is_enabled = info.status == AccountStatus::active;
    if (is_enabled == enabled) {
        return false;
    }
    store::set_account_status(db, info.id, enabled ? AccountStatus::active : AccountStatus::disabled,
                              enabled ? DisabledBy::none : DisabledBy::admin, clock.now());
    audit::append(db, clock, operator_name, enabled ? "enable" : "disable", info.user_code,
                  reason.empty() ? std::string() : fmt::format("reason={}", reason));
    transaction.commit();
    return true;
}

} // namespace credenza::accounts
