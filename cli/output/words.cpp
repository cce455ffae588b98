#include "cli/output/words.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <credenza/i18n.hpp>
#include <credenza/time.hpp>

#include "lib/i18n/gettext.hpp"

namespace credenza::cli::output {

namespace {

// Every key and label a table or record of credenza has, marked for the catalog: the English
// words are the msgid's, with '_' for spaces (words_of turns them into spaces in English).
[[maybe_unused]] constexpr std::array k_column_keys = {
    NC_("column", "account"), NC_("column", "accounts"), NC_("column", "action"), NC_("column", "address"),
    NC_("column", "adult"), NC_("column", "at"), NC_("column", "attempts"), NC_("column", "attention"),
    NC_("column", "change"), NC_("column", "class"), NC_("column", "classes"), NC_("column", "codice fiscale"),
    NC_("column", "column"), NC_("column", "credentials"), NC_("column", "deferred"), NC_("column", "detail"),
    NC_("column", "email"), NC_("column", "failed"), NC_("column", "families"), NC_("column", "families on password"),
    NC_("column", "families_on_password"), NC_("column", "families_with_credentials"),
    NC_("column", "family_accounts"), NC_("column", "field"), NC_("column", "file"), NC_("column", "first_login_at"),
    NC_("column", "guardians"), NC_("column", "headers"), NC_("column", "id"), NC_("column", "kind"),
    NC_("column", "last login"), NC_("column", "last_cie"), NC_("column", "last_code"), NC_("column", "last_eidas"),
    NC_("column", "last_login_at"), NC_("column", "last_login_method"), NC_("column", "last_password"),
    NC_("column", "last_reply"), NC_("column", "last_spid"), NC_("column", "letter"), NC_("column", "letters_deferred"),
    NC_("column", "letters_failed"), NC_("column", "letters_pending"), NC_("column", "letters_sent"),
    NC_("column", "login_method"), NC_("column", "logs in with"), NC_("column", "meaning"),
    NC_("column", "must_change_password"), NC_("column", "name"), NC_("column", "never"),
    NC_("column", "never_logged_in"), NC_("column", "never_password"), NC_("column", "never_spid_cie"),
    NC_("column", "new"), NC_("column", "next_attempt"), NC_("column", "no_address"), NC_("column", "old"),
    NC_("column", "operator"), NC_("column", "password"), NC_("column", "pending"), NC_("column", "problem"),
    NC_("column", "pupil_names"), NC_("column", "pupils"), NC_("column", "purpose"), NC_("column", "reason"),
    NC_("column", "sent"), NC_("column", "state"), NC_("column", "status"), NC_("column", "student_accounts"),
    NC_("column", "students"), NC_("column", "students_with_credentials"), NC_("column", "surname"),
    NC_("column", "tax codes to check"), NC_("column", "tax_code"), NC_("column", "tax_codes_to_check"),
    NC_("column", "time"), NC_("column", "user code"), NC_("column", "user_code"), NC_("column", "value"),
    NC_("column", "without_address"), NC_("column", "recognised headers (and their variants)"),
    // account show and the summary
    NC_("column", "birth_date"), NC_("column", "capabilities"), NC_("column", "disabled_by"),
    NC_("column", "family_accounts_active"), NC_("column", "family_accounts_disabled"),
    NC_("column", "family_accounts_without_address"), NC_("column", "first_login_method"),
    NC_("column", "has_password"), NC_("column", "has_pin"), NC_("column", "letters_cancelled"),
    NC_("column", "letters_queued"), NC_("column", "password_expires_at"), NC_("column", "password_failures"),
    NC_("column", "password_locked"), NC_("column", "password_set_at"), NC_("column", "pin_locked"),
    NC_("column", "pin_failures"),
    NC_("column", "pupils_active"), NC_("column", "pupils_left"), NC_("column", "student_accounts_active"),
    NC_("column", "student_accounts_disabled"), NC_("column", "student_accounts_without_address"),
    NC_("column", "problems_no_address"), NC_("column", "problems_never_sent"),
    NC_("column", "problems_delivery_failed"), NC_("column", "problems_waiting"), NC_("column", "problems_pending"),
    NC_("column", "problems_shared_address"), NC_("column", "problems_address_held"),
    NC_("column", "problems_locked"), NC_("column", "problems_password_expired"), NC_("column", "problems_disabled"),
    NC_("column", "problems_no_guardian"), NC_("column", "problems_bounced"),
};

// The stored words a person sees in a table: kinds, states, methods, problems.
[[maybe_unused]] constexpr std::array k_value_words = {
    NC_("value", "active"), NC_("value", "admin"), NC_("value", "cancelled"), NC_("value", "cie"),
    NC_("value", "deferred"), NC_("value", "disabled"), NC_("value", "eidas"), NC_("value", "failed"),
    NC_("value", "family"), NC_("value", "import"), NC_("value", "initial"), NC_("value", "left"),
    NC_("value", "password"), NC_("value", "queued"), NC_("value", "recovery"), NC_("value", "reminder"),
    NC_("value", "reset"), NC_("value", "sending"), NC_("value", "sent"), NC_("value", "spid"),
    NC_("value", "spid_cie"), NC_("value", "student"), NC_("value", "yes"), NC_("value", "no"),
    NC_("value", "no_address"), NC_("value", "never_sent"), NC_("value", "delivery_failed"), NC_("value", "waiting"),
    NC_("value", "pending"), NC_("value", "shared_address"), NC_("value", "address_held"), NC_("value", "locked"),
    NC_("value", "password_expired"), NC_("value", "no_guardian"), NC_("value", "none"),
    NC_("value", "bounced"),
    // what an account may do (account show's capabilities)
    NC_("value", "lessons"), NC_("value", "homework"), NC_("value", "material"), NC_("value", "marks"),
    NC_("value", "absences"), NC_("value", "communications"), NC_("value", "justify_absences"),
    NC_("value", "justify_late_entries"), NC_("value", "request_early_exits"),
    NC_("value", "sign_self_certifications"), NC_("value", "justify_own_absences"),
    NC_("value", "justify_own_late_entries"), NC_("value", "request_own_early_exits"),
    // an import's review (the change of each person) and its kinds of person
    NC_("value", "new"), NC_("value", "changed"), NC_("value", "held"), NC_("value", "cleared"), NC_("value", "kept"),
    NC_("value", "leaving"), NC_("value", "enabled"), NC_("value", "pupil"), NC_("value", "guardian"),
};

// Columns whose values are stored words (audit actions stay as stored: they are an interface).
bool holds_words(std::string_view key)
{
    static constexpr std::array<std::string_view, 12> keys = {
        "kind",        "status",            "state",              "purpose",     "problem",      "login_method",
        "disabled_by", "last_login_method", "first_login_method", "credentials", "capabilities", "change"};
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The translation in `context`, or nullopt when the reader's language has none.
std::optional<std::string> translated(const char* context, std::string_view key)
{
    const std::string text(key);
    const std::string found = i18n::translate_in(context, text.c_str());
    return found == text ? std::nullopt : std::optional<std::string>(found);
}

} // namespace

std::string words_of(std::string_view key)
{
    if (auto found = translated("column", key)) {
        return *found;
    }
    std::string words(key);
    std::replace(words.begin(), words.end(), '_', ' ');
    return words;
}

std::string short_heading(std::string_view key)
{
    return translated("column", key).value_or(std::string(key));
}

std::string stored_word(std::string_view word)
{
    return translated("value", word).value_or(std::string(word));
}

std::string kind_word(AccountKind kind)
{
    return stored_word(to_string(kind));
}

std::string person_text(const Value& value, std::string_view key)
{
    if (const auto* yes = std::get_if<bool>(&value)) {
        return *yes ? C_("value", "yes") : C_("value", "no");
    }
    if (const auto* text = std::get_if<std::string>(&value)) {
        if (holds_words(key)) {
            return stored_word(*text);
        }
        const auto style = reader_style(i18n::language());
        return local_date(local_time(*text, style), style);
    }
    if (const auto* list = std::get_if<std::vector<std::string>>(&value); list != nullptr && holds_words(key)) {
        // Words of several words ("giustifica assenze") need a comma between them. A stream: GCC 12
        // at -O3 takes fmt::join here for an overflow.
        std::ostringstream words;
        for (std::size_t i = 0; i < list->size(); ++i) {
            words << (i > 0 ? ", " : "") << stored_word((*list)[i]);
        }
        return words.str();
    }
    return to_text(value);
}

std::string person_text(const Cell& cell, std::string_view key)
{
    return cell ? person_text(*cell, key) : std::string();
}

} // namespace credenza::cli::output
