#pragma once
// The kinds and states of the domain as enums. Their names are the words stored in the
// database and printed in JSON, so to_string / parse are the only place they are spelled.

#include <optional>
#include <string_view>

namespace credenza {

enum class AccountKind { family, student };
enum class AccountStatus { active, disabled };
enum class DisabledBy { none, import, admin };
enum class LoginMethod { password, spid_cie };
enum class PupilStatus { active, left };
enum class LetterPurpose { initial, reset, recovery, reminder };
// How a holder actually logged in (the front end reports SPID, CIE and eIDAS logins).
enum class LoginKind { password, spid, cie, eidas };
enum class LetterState { queued, sending, sent, deferred, failed, cancelled, bounced };

std::string_view to_string(AccountKind kind);
std::string_view to_string(AccountStatus status);
std::string_view to_string(DisabledBy by); // "" for none
std::string_view to_string(LoginMethod method);
std::string_view to_string(PupilStatus status);
std::string_view to_string(LetterPurpose purpose);
std::string_view to_string(LetterState state);
std::string_view to_string(LoginKind kind);

// The inverse of to_string; std::nullopt for any other word.
template <typename Enum>
std::optional<Enum> parse(std::string_view word);

template <> std::optional<AccountKind> parse<AccountKind>(std::string_view word);
template <> std::optional<AccountStatus> parse<AccountStatus>(std::string_view word);
template <> std::optional<DisabledBy> parse<DisabledBy>(std::string_view word);
template <> std::optional<LoginMethod> parse<LoginMethod>(std::string_view word);
template <> std::optional<PupilStatus> parse<PupilStatus>(std::string_view word);
template <> std::optional<LetterPurpose> parse<LetterPurpose>(std::string_view word);
template <> std::optional<LetterState> parse<LetterState>(std::string_view word);
template <> std::optional<LoginKind> parse<LoginKind>(std::string_view word);

} // namespace credenza
