#include <credenza/reports/activation.hpp>

#include <map>
#include <set>

#include <credenza/accounts/accounts.hpp>
#include <credenza/enrolment/fields.hpp>
#include <credenza/util/text.hpp>
#include "i18n/gettext.hpp"

namespace credenza::reports {

namespace {

bool is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

// The letters of a name as the codice fiscale reads them: accents folded, anything else dropped.
std::string letters_of(std::string_view text)
{
    std::string letters;
    std::size_t position = 0;
    while (position < text.size()) {
        const char32_t code_point = util::next_code_point(text, position);
        if (code_point < 0x80) {
            const char c = util::ascii_upper(static_cast<char>(code_point));
            if (c >= 'A' && c <= 'Z') {
                letters += c;
            }
        } else {
            letters += util::ascii_upper(util::fold_accent(code_point));
        }
    }
    return letters;
}

void split(std::string_view text, std::string& consonants, std::string& vowels)
{
    for (const char c : letters_of(text)) {
        (is_vowel(c) ? vowels : consonants) += c;
    }
}

std::string three(std::string letters)
{
    letters += "XXX";
    return letters.substr(0, 3);
}

bool tax_code_fits(const std::string& tax_code, const std::string& surname, const std::string& name)
{
    return tax_code.size() >= 6 && tax_code.substr(0, 3) == codice_fiscale_surname_letters(surname) &&
           tax_code.substr(3, 3) == codice_fiscale_name_letters(name);
}

Value text(std::string_view word)
{
    return Value(std::string(word));
}

Value optional_word(const std::optional<LoginKind>& kind)
{
    return kind ? text(to_string(*kind)) : Value();
}

Value time_or_null(const std::string& iso)
{
    return iso.empty() ? Value() : Value(iso);
}

} // namespace

std::string codice_fiscale_surname_letters(std::string_view surname)
{
    std::string consonants, vowels;
    split(surname, consonants, vowels);
    return three(consonants + vowels);
}

std::string codice_fiscale_name_letters(std::string_view name)
{
    std::string consonants, vowels;
    split(name, consonants, vowels);
    if (consonants.size() >= 4) {
        return {consonants[0], consonants[2], consonants[3]};
    }
    return three(consonants + vowels);
}

Activation activation(store::Database& db, const Clock& clock, const std::vector<std::string>& classes)
{
    accounts::AccountFilter filter;
    filter.status = AccountStatus::active;
    filter.classes = classes;
    std::set<std::string> wanted;
    for (const auto& class_name : classes) {
        wanted.insert(enrolment::normalise_class(class_name));
    }
    const auto logins = store::login_records(db);
    Activation report;
    std::map<std::string, ActivationClass> by_class;
    for (const auto& info : accounts::list_accounts(db, clock, filter)) {
        ActivationAccount account;
        account.user_code = info.user_code;
        account.kind = info.kind;
        account.login_method = info.login_method;
        account.tax_code = info.tax_code;
        account.surname = info.surname;
        account.name = info.name;
        account.classes = info.classes;
        account.credentials = info.credentials;
        if (const auto found = logins.find(info.id); found != logins.end()) {
            account.login = found->second;
        }
        const bool family = info.kind == AccountKind::family;
        account.tax_code_fits_name = !family || tax_code_fits(info.tax_code, info.surname, info.name);
        const bool never = account.login.first_login_at.empty() && account.login.last_login_at.empty();
        const bool on_password = family && account.login.last_method == LoginKind::password;
        // A code that does not fit first: whatever else holds, a SPID or CIE login would not find it.
        account.attention = !account.tax_code_fits_name ? "tax_code_to_check"
                            : never                      ? "never_logged_in"
                            : on_password                ? "password_login"
                                                         : "";
        for (const auto& class_name : info.classes) {
            if (!wanted.empty() && !wanted.contains(class_name)) {
                continue; // another class of a guardian's pupils, not asked for
            }
            auto& row = by_class[class_name];
            row.class_name = class_name;
            ++row.accounts;
            if (never) {
                ++row.never_logged_in;
                ++(info.login_method == LoginMethod::spid_cie ? row.never_spid_cie : row.never_password);
            }
            switch (account.login.last_method.value_or(LoginKind::password)) {
            case LoginKind::password: row.last_password += account.login.last_method ? 1 : 0; break;
            case LoginKind::spid: ++row.last_spid; break;
            case LoginKind::cie: ++row.last_cie; break;
            case LoginKind::eidas: ++row.last_eidas; break;
            }
            row.families_on_password += on_password ? 1 : 0;
            row.tax_codes_to_check += account.tax_code_fits_name ? 0 : 1;
        }
        report.accounts.push_back(std::move(account));
    }
    for (auto& [name, row] : by_class) {
        report.classes.push_back(std::move(row));
    }
    return report;
}

Table activation_table(const std::vector<ActivationClass>& rows)
{
    Table table;
    table.add_column("class", _("class"))
        .add_column("accounts", _("accounts"))
        .add_column("never_logged_in", _("never"))
        .add_column("never_password", _("never (password)"), Detail::full)
        .add_column("never_spid_cie", _("never (SPID/CIE)"), Detail::full)
        .add_column("last_password", _("password"))
        .add_column("last_spid", _("SPID"))
        .add_column("last_cie", _("CIE"))
        .add_column("last_eidas", _("eIDAS"))
        .add_column("families_on_password", _("families on password"))
        .add_column("tax_codes_to_check", _("tax codes to check"));
    for (const auto& row : rows) {
        table.add_row({Value(row.class_name), number(row.accounts), number(row.never_logged_in),
                       number(row.never_password), number(row.never_spid_cie), number(row.last_password),
                       number(row.last_spid), number(row.last_cie), number(row.last_eidas),
                       number(row.families_on_password), number(row.tax_codes_to_check)});
    }
    return table;
}

Table activation_accounts_table(const std::vector<ActivationAccount>& rows)
{
    Table table;
    table.add_column("attention", _("attention"))
        .add_column("user_code", _("user_code"))
        .add_column("kind", _("kind"))
        .add_column("login_method", _("logs in with"))
        .add_column("tax_code", _("tax_code"), Detail::full)
        .add_column("surname", _("surname"))
        .add_column("name", _("name"))
        .add_column("classes", _("classes"))
        .add_column("credentials", _("credentials"), Detail::full)
        .add_column("first_login_at", _("first_login_at"), Detail::full)
        .add_column("last_login_at", _("last_login_at"), Detail::full)
        .add_column("last_login_method", _("last login"));
    for (const auto& row : rows) {
        if (row.attention.empty()) {
            continue;
        }
        table.add_row({Value(row.attention), Value(row.user_code), text(to_string(row.kind)),
                       text(to_string(row.login_method)), Value(row.tax_code), Value(row.surname), Value(row.name),
                       Value(row.classes), Value(row.credentials), time_or_null(row.login.first_login_at),
                       time_or_null(row.login.last_login_at), optional_word(row.login.last_method)});
    }
    return table;
}

} // namespace credenza::reports
