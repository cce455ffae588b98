#pragma once
// A SPID, CIE or eIDAS login turned into accounts. The register's front end does the login itself
// (the ministry's gateway, OpenID Connect or SAML) and gets the person's codice fiscale as the
// fiscalNumber attribute ("TINIT-<codice fiscale>"); credenza maps it to the person's active
// accounts and records the login. See man/credenza-identity.1 for what a caller may learn.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/kinds.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::accounts {

// "TINIT-RSSMRA80A01H501U", " rssmra80a01h501u ", "RSS MRA 80A01 H501U" -> "RSSMRA80A01H501U":
// spaces dropped, upper case, the TINIT- prefix of an Italian fiscalNumber removed. Another
// country's prefix (an eIDAS identity from abroad) is kept, so it matches no codice fiscale.
std::string normalise_fiscal_number(std::string_view text);

enum class IdentityStatus {
    found,    // at least one active account
    none,     // no account, or not a valid codice fiscale: answered alike
    disabled, // accounts exist, none active (disabled, or their pupils have left)
};

struct IdentityPupil
{
    std::string tax_code;
    std::string class_name;
};

struct IdentityAccount
{
    std::string user_code;
    AccountKind kind = AccountKind::family;
    LoginMethod login_method = LoginMethod::password;
    bool has_pin = false;
    std::vector<IdentityPupil> pupils;     // a student's own record, a family's pupils
    std::vector<std::string> capabilities; // accounts::capabilities_of
};

struct IdentityRequest
{
    std::string fiscal_number;             // as the gateway gives it
    std::optional<LoginKind> record_login; // record this login on the accounts answered
    std::string account;                   // with record_login: only this user code (the chooser's pick)
};

struct Identity
{
    IdentityStatus status = IdentityStatus::none;
    std::string fiscal_number;             // normalised
    std::vector<IdentityAccount> accounts; // active ones only; empty unless found
    std::vector<std::string> recorded;     // user codes whose login was recorded
};

// Every active account of the person. With record_login, records the method and time (first and
// last login) on each of them, or only on `account` (a user code of this person, else the answer
// is none), each audited as operator_name. A malformed fiscal number is answered as an unknown one,
// after the same query, so that the two cannot be told apart by answer or time.
Identity identify(store::Database& db, const Clock& clock, const IdentityRequest& request,
                  std::string_view operator_name);

} // namespace credenza::accounts
