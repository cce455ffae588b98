// The settings keys: one row per key, its type given by the member it fills, its bounds or
// choices. The file and the environment readers (load.cpp) both go through assign().

#include "keys.hpp"

#include <credenza/bounces/mailbox.hpp>
#include <credenza/error.hpp>
#include <credenza/mail/transport.hpp>
#include <credenza/time.hpp>

#include "i18n/gettext.hpp"

#include <boost/program_options/parsers.hpp>
#include <boost/program_options/value_semantic.hpp>
#include <boost/program_options/variables_map.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace credenza::config {
namespace detail {
namespace {

namespace po = boost::program_options;

template <auto Section, auto Member>
Target at(Settings& settings)
{
    return &(settings.*Section.*Member);
}

Target db(Settings& settings)
{
    return &settings.db;
}

// The KDF floor: libsodium's own minimum only in a benchmark build (CMake CREDENZA_BENCH_KDF_FLOOR),
// where kdf_memlimit_mib = 0 means 8 KiB; a production binary cannot be configured weaker than this.
#ifdef CREDENZA_BENCH_KDF_FLOOR
constexpr int k_min_kdf_memlimit_mib = 0;
constexpr int k_min_kdf_opslimit = 1;
#else
constexpr int k_min_kdf_memlimit_mib = 19;
constexpr int k_min_kdf_opslimit = 2;
#endif

// Defaults live in the structs of settings.hpp only; this table says where each key goes.
const std::vector<Key> k_keys = {
    {"db", db},

    {"school.code", at<&Settings::school, &SchoolSettings::code>},
    {"school.name", at<&Settings::school, &SchoolSettings::name>},
    {"school.portal_url", at<&Settings::school, &SchoolSettings::portal_url>},
    {"school.domain", at<&Settings::school, &SchoolSettings::domain>},
    {"school.cycle", at<&Settings::school, &SchoolSettings::cycle>, {}, {"primo", "secondo", "both"}},
    {"school.first_cycle_classes", at<&Settings::school, &SchoolSettings::first_cycle_classes>},
    {"school.timezone", at<&Settings::school, &SchoolSettings::timezone>},

    {"mail.transport", at<&Settings::mail, &MailSettings::transport>, {}, {"dir", "smtp"}},
    {"mail.from", at<&Settings::mail, &MailSettings::from>},
    {"mail.outbox", at<&Settings::mail, &MailSettings::outbox>},
    {"mail.template_dir", at<&Settings::mail, &MailSettings::template_dir>},
    {"mail.language", at<&Settings::mail, &MailSettings::language>, {}, {"it", "en"}},
    {"mail.daily_cap", at<&Settings::mail, &MailSettings::daily_cap>, Range{1, 1000000}},
    {"mail.rate_per_minute", at<&Settings::mail, &MailSettings::rate_per_minute>, Range{0, 1000000}},
    {"mail.alert_after_hours", at<&Settings::mail, &MailSettings::alert_after_hours>, Range{0, 8760}},
    {"mail.student_tone", at<&Settings::mail, &MailSettings::student_tone>, {}, {"informal", "formal"}},
    {"mail.verp", at<&Settings::mail, &MailSettings::verp>},

    {"smtp.url", at<&Settings::smtp, &SmtpSettings::url>},
    {"smtp.tls", at<&Settings::smtp, &SmtpSettings::tls>, {}, {"starttls", "implicit", "none"}},
    {"smtp.user", at<&Settings::smtp, &SmtpSettings::user>},
    {"smtp.password_file", at<&Settings::smtp, &SmtpSettings::password_file>},
    {"smtp.ca_file", at<&Settings::smtp, &SmtpSettings::ca_file>},
    {"smtp.verify_peer", at<&Settings::smtp, &SmtpSettings::verify_peer>},
    {"smtp.connections", at<&Settings::smtp, &SmtpSettings::connections>, Range{1, 16}},
    {"smtp.timeout_seconds", at<&Settings::smtp, &SmtpSettings::timeout_seconds>, Range{1, 600}},

    {"imap.url", at<&Settings::imap, &ImapSettings::url>},
    {"imap.tls", at<&Settings::imap, &ImapSettings::tls>, {}, {"implicit", "starttls", "none"}},
    {"imap.user", at<&Settings::imap, &ImapSettings::user>},
    {"imap.password_file", at<&Settings::imap, &ImapSettings::password_file>},
    {"imap.ca_file", at<&Settings::imap, &ImapSettings::ca_file>},
    {"imap.verify_peer", at<&Settings::imap, &ImapSettings::verify_peer>},
    {"imap.processed_folder", at<&Settings::imap, &ImapSettings::processed_folder>},
    {"imap.purge_after_days", at<&Settings::imap, &ImapSettings::purge_after_days>, Range{0, 3650}},
    {"imap.timeout_seconds", at<&Settings::imap, &ImapSettings::timeout_seconds>, Range{1, 600}},

    // The credentials module checks these bounds again for settings a front end made itself; here
    // they fail at load, with the file and line. The user code format is checked there only.
    {"credentials.key_file", at<&Settings::credentials, &CredentialSettings::key_file>},
    {"credentials.kdf_memlimit_mib", at<&Settings::credentials, &CredentialSettings::kdf_memlimit_mib>,
     Range{k_min_kdf_memlimit_mib, 4096}},
    {"credentials.kdf_opslimit", at<&Settings::credentials, &CredentialSettings::kdf_opslimit>,
     Range{k_min_kdf_opslimit, 100}},
    {"credentials.password_length", at<&Settings::credentials, &CredentialSettings::password_length>,
     Range{10, 64}},
    {"credentials.pin_length", at<&Settings::credentials, &CredentialSettings::pin_length>, Range{6, 10}},
    {"credentials.user_code_format", at<&Settings::credentials, &CredentialSettings::user_code_format>},
    {"credentials.parallel_hashes", at<&Settings::credentials, &CredentialSettings::parallel_hashes>, Range{0, 4096}},
    {"credentials.hash_wait_seconds", at<&Settings::credentials, &CredentialSettings::hash_wait_seconds>,
     Range{1, 3600}},

    {"policy.initial_password_days", at<&Settings::policy, &PolicySettings::initial_password_days>, Range{1, 365}},
    {"policy.pin_max_failures", at<&Settings::policy, &PolicySettings::pin_max_failures>, Range{3, 100}},
    {"policy.password_max_failures", at<&Settings::policy, &PolicySettings::password_max_failures>,
     Range{10, 1000}},
    {"policy.password_slowdown_after", at<&Settings::policy, &PolicySettings::password_slowdown_after>,
     Range{1, 100}},
    {"policy.recover_interval_minutes", at<&Settings::policy, &PolicySettings::recover_interval_minutes>,
     Range{1, 1440}},
    {"policy.self_service_recover", at<&Settings::policy, &PolicySettings::self_service_recover>},
    {"policy.family_login", at<&Settings::policy, &PolicySettings::family_login>, {}, {"password", "spid_cie"}},
    {"policy.password_min_length", at<&Settings::policy, &PolicySettings::password_min_length>, Range{8, 64}},
    {"policy.pin_slowdown_after", at<&Settings::policy, &PolicySettings::pin_slowdown_after>, Range{1, 100}},
    {"policy.expired_password_grace_days", at<&Settings::policy, &PolicySettings::expired_password_grace_days>,
     Range{0, 90}},
    {"policy.recovery_hours", at<&Settings::policy, &PolicySettings::recovery_hours>, Range{1, 24}},
    {"policy.recover_requester_per_hour", at<&Settings::policy, &PolicySettings::recover_requester_per_hour>,
     Range{1, 1000}},
    {"policy.password_blocklist", at<&Settings::policy, &PolicySettings::password_blocklist>},
    {"policy.reminder_interval_days", at<&Settings::policy, &PolicySettings::reminder_interval_days>, Range{1, 365}},

    {"import.map", at<&Settings::import, &ImportSettings::map>},
    {"import.layout", at<&Settings::import, &ImportSettings::layout>, {}, {"auto", "pupil-rows", "guardian-rows"}},
    {"import.check_student_domain", at<&Settings::import, &ImportSettings::check_student_domain>},
    {"import.snapshot_dir", at<&Settings::import, &ImportSettings::snapshot_dir>},
    {"import.snapshots_kept", at<&Settings::import, &ImportSettings::snapshots_kept>, Range{1, 100}},

    {"ui.language", at<&Settings::ui, &UiSettings::language>, {}, {"", "it", "en"}},
};

Error bad_value(const Place& place, const std::string& raw, std::string_view reason)
{
    return Error(ErrorCode::config, credenza::i18n::format(_fmt("{}: bad value for {}: '{}' {}"), place.where, place.label, raw, reason));
}

bool is_integer(std::string_view text)
{
    if (text.starts_with('+') || text.starts_with('-')) {
        text.remove_prefix(1);
    }
    return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Boost only says a value is invalid; say why, in the user's terms.
Error conversion_error(const Key& key, Target target, const std::string& raw, const Place& place)
{
    if (std::holds_alternative<bool*>(target)) {
        return bad_value(place, raw, _("is not a boolean (true/false, yes/no, on/off, 1/0)"));
    }
    if (std::holds_alternative<int*>(target) && is_integer(raw)) {
        return key.range ? bad_value(place, raw, credenza::i18n::format(_fmt("is out of range {}..{}"), key.range->min, key.range->max))
                         : bad_value(place, raw, _("is too large"));
    }
    return bad_value(place, raw, _("is not a number"));
}

std::string quoted_list(const std::vector<std::string_view>& choices)
{
    std::string text;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (i > 0) {
            text += i + 1 == choices.size() ? _(" or ") : ", ";
        }
        text += fmt::format("'{}'", choices[i]);
    }
    return text;
}

// Whether a URL names a user (and perhaps a password) before its host: "smtp://u:p@host".
bool carries_user_info(const std::string& url)
{
    const auto scheme_end = url.find("://");
    const auto authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    const auto authority = url.substr(authority_start, url.find_first_of("/?#", authority_start) - authority_start);
    return authority.find('@') != std::string::npos;
}

void check_smtp_url(const std::string& url, const Place& place)
{
    if (url.empty()) {
        return;
    }
    // A password in the URL would end up in process listings and messages: never echo it.
    if (carries_user_info(url)) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("{}: {} must not carry a user or password: use 'smtp.user', and "
                                "'smtp.password_file' or CREDENZA_SMTP_PASSWORD"),
                                place.where, place.label));
    }
    // Never echoed: a password typed in the wrong place would end up in cron's mail.
    if (!url.starts_with("smtp://") && !url.starts_with("smtps://")) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("{}: {} must start with 'smtp://' or 'smtps://'"), place.where, place.label));
    }
    if (mail::url_host(url).empty()) {
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("{}: {} names no host"), place.where, place.label));
    }
}

void check_imap_url(const std::string& url, const Place& place)
{
    if (url.empty()) {
        return;
    }
    // Never echoed, like the SMTP url: a password typed in the wrong place would end up in cron's mail.
    if (carries_user_info(url)) {
        throw Error(ErrorCode::config,
                    i18n::format(_fmt("{}: {} must not carry a user or password: use 'imap.user' and "
                                      "'imap.password_file'"),
                                 place.where, place.label));
    }
    if (!url.starts_with("imap://") && !url.starts_with("imaps://")) {
        throw Error(ErrorCode::config,
                    i18n::format(_fmt("{}: {} must start with 'imap://' or 'imaps://'"), place.where, place.label));
    }
    if (mail::url_host(url).empty()) {
        throw Error(ErrorCode::config, i18n::format(_fmt("{}: {} names no host"), place.where, place.label));
    }
}

void check(const Key& key, const std::string& text, const Place& place)
{
    if (!key.choices.empty() && std::find(key.choices.begin(), key.choices.end(), text) == key.choices.end()) {
        throw Error(ErrorCode::config, credenza::i18n::format(_fmt("{}: {} must be {} (found '{}')"), place.where, place.label,
                                                   quoted_list(key.choices), text));
    }
    if (key.name == "smtp.url") {
        check_smtp_url(text, place);
    }
    if (key.name == "school.timezone" && !text.empty() && !is_time_zone(text)) {
        throw Error(ErrorCode::config,
                    i18n::format(_fmt("{}: {} is not a time zone of the tz database (found '{}'): give a name such "
                                      "as 'Europe/Rome', or leave it empty for the system's"),
                                  place.where, place.label, text));
    }
    if (key.name == "imap.url") {
        check_imap_url(text, place);
    }
    if (key.name == "imap.processed_folder" && !bounces::is_folder_name(text)) {
        throw Error(ErrorCode::config,
                    i18n::format(_fmt("{}: {} must be a folder name of letters, digits, spaces, '.', '_', '-' or '/' "
                                      "(found '{}')"),
                                 place.where, place.label, text));
    }
}

void check(const Key& key, int number, const std::string& raw, const Place& place)
{
    if (key.range && (number < key.range->min || number > key.range->max)) {
        throw bad_value(place, raw, credenza::i18n::format(_fmt("is out of range {}..{}"), key.range->min, key.range->max));
    }
}

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string_view section_of(std::string_view key)
{
    const auto dot = key.find('.');
    return dot == std::string_view::npos ? std::string_view() : key.substr(0, dot);
}

// The candidate nearest to `name`, when it is within a third of the length of the name's last part
// (at least 2 edits): "smtp.timeout_second" finds "smtp.timeout_seconds", "smtp.host" finds nothing.
template <typename Candidates>
std::string closest(std::string_view name, const Candidates& candidates)
{
    std::string best;
    const auto last_part = name.substr(name.rfind('.') == std::string_view::npos ? 0 : name.rfind('.') + 1);
    std::size_t best_distance = std::max<std::size_t>(2, last_part.size() / 3) + 1;
    for (const std::string_view candidate : candidates) {
        // "smtp.timeout" is a start of "smtp.timeout_seconds": as good as one slip.
        const auto distance = candidate.starts_with(name) ? 1 : edit_distance(name, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = std::string(candidate);
        }
    }
    return best;
}

} // namespace

bool is_section(std::string_view section)
{
    return std::any_of(k_keys.begin(), k_keys.end(), [&](const Key& key) { return section_of(key.name) == section; });
}

std::string closest_key(std::string_view name)
{
    std::vector<std::string_view> names;
    // A key in the wrong section ("[mail] url") is found by its own name too.
    const auto own = name.substr(name.find('.') == std::string_view::npos ? 0 : name.find('.') + 1);
    for (const auto& key : k_keys) {
        if (key.name.substr(key.name.find('.') == std::string_view::npos ? 0 : key.name.find('.') + 1) == own) {
            return std::string(key.name);
        }
        names.push_back(key.name);
    }
    return closest(name, names);
}

std::string closest_section(std::string_view section)
{
    std::vector<std::string_view> sections;
    for (const auto& key : k_keys) {
        if (!section_of(key.name).empty()) {
            sections.push_back(section_of(key.name));
        }
    }
    return closest(section, sections);
}

const std::vector<Key>& keys()
{
    return k_keys;
}

const Key* find_key(std::string_view name)
{
    const auto found = std::find_if(k_keys.begin(), k_keys.end(), [&](const Key& key) { return key.name == name; });
    return found == k_keys.end() ? nullptr : &*found;
}

const po::options_description& options_description()
{
    static const po::options_description description = [] {
        po::options_description result("credenza settings");
        Settings probe;
        for (const auto& key : k_keys) {
            const std::string name(key.name);
            std::visit(
                [&](auto* member) {
                    using Value = std::remove_pointer_t<decltype(member)>;
                    result.add_options()(name.c_str(), po::value<Value>());
                },
                key.target(probe));
        }
        return result;
    }();
    return description;
}

void assign(Settings& settings, const Key& key, const std::string& raw, const Place& place)
{
    const Target target = key.target(settings);
    // Boost reads an empty boolean as true; "verify_peer =" is more likely a slip than a yes.
    if (std::holds_alternative<bool*>(target) && raw.empty()) {
        throw conversion_error(key, target, raw, place);
    }

    po::parsed_options parsed(&options_description());
    parsed.options.emplace_back(std::string(key.name), std::vector<std::string>{raw});
    po::variables_map converted;
    try {
        po::store(parsed, converted);
        po::notify(converted);
    } catch (const po::validation_error&) {
        throw conversion_error(key, target, raw, place);
    }

    const auto& value = converted[std::string(key.name)];
    if (auto* text = std::get_if<std::string*>(&target)) {
        check(key, value.as<std::string>(), place);
        **text = value.as<std::string>();
    } else if (auto* number = std::get_if<int*>(&target)) {
        check(key, value.as<int>(), raw, place);
        **number = value.as<int>();
    } else {
        *std::get<bool*>(target) = value.as<bool>();
    }
}

} // namespace detail

std::vector<std::string> setting_keys()
{
    std::vector<std::string> names;
    for (const auto& key : detail::keys()) {
        names.emplace_back(key.name);
    }
    return names;
}

std::string environment_name(const std::string& key)
{
    std::string name = "CREDENZA_";
    for (const char c : key) {
        name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return name;
}

} // namespace credenza::config
