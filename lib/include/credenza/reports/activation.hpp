#pragma once
// Who has started using the register, and who is ready for SPID/CIE: per class, the accounts that
// never logged in (by how they are meant to log in), how the others last logged in, the families
// still logging in with a password, and the guardians whose codice fiscale would not find them.

#include <string>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/store/database.hpp>
#include <credenza/store/logins.hpp>
#include <credenza/table.hpp>
#include <credenza/time.hpp>

namespace credenza::reports {

struct ActivationAccount
{
    std::string user_code;
    AccountKind kind = AccountKind::family;
    LoginMethod login_method = LoginMethod::password;
    std::string tax_code;
    std::string surname;
    std::string name;
    std::vector<std::string> classes;
    std::string credentials;          // "none" | "pending" | "sent" | "failed"
    store::LoginRecord login;
    bool tax_code_fits_name = true;   // the codice fiscale's six name letters match surname and name
    std::string attention;            // never_logged_in | password_login | tax_code_to_check | ""
};

struct ActivationClass
{
    std::string class_name;
    int accounts = 0;                 // active accounts covering a pupil of the class
    int never_logged_in = 0;
    int never_password = 0;           // never logged in, meant to log in with a password
    int never_spid_cie = 0;           // never logged in, meant to log in with SPID or CIE
    int last_password = 0;            // last login by password
    int last_spid = 0;
    int last_cie = 0;
    int last_eidas = 0;
    int families_on_password = 0;     // family accounts whose last login was by password
    int tax_codes_to_check = 0;       // guardians whose codice fiscale does not fit their name
};

struct Activation
{
    std::vector<ActivationClass> classes;      // sorted by class
    std::vector<ActivationAccount> accounts;   // every active account of those classes
};

// Active accounts only; `classes` (as typed, normalised here) narrows to accounts covering a pupil
// of one of them. A family account counts in each class of its pupils.
Activation activation(store::Database& db, const Clock& clock, const std::vector<std::string>& classes);

// The three letters of a surname and of a name in a codice fiscale ("Rossi" -> "RSS",
// "Maria" -> "MRA", "Gianfranco" -> "GFR"): consonants, then vowels, then X.
std::string codice_fiscale_surname_letters(std::string_view surname);
std::string codice_fiscale_name_letters(std::string_view name);

Table activation_table(const std::vector<ActivationClass>& rows);
// The accounts that need something: never logged in, logging in with a password as families, or a
// codice fiscale to check.
Table activation_accounts_table(const std::vector<ActivationAccount>& rows);

} // namespace credenza::reports
