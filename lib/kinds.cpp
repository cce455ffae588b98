#include <credenza/kinds.hpp>

#include <array>
#include <utility>

namespace credenza {

namespace {

template <typename Enum, std::size_t N>
using Words = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Words<AccountKind, 2> k_account_kinds{{{AccountKind::family, "family"}, {AccountKind::student, "student"}}};
constexpr Words<AccountStatus, 2> k_account_statuses{
    {{AccountStatus::active, "active"}, {AccountStatus::disabled, "disabled"}}};
constexpr Words<DisabledBy, 3> k_disabled_by{
    {{DisabledBy::none, ""}, {DisabledBy::import, "import"}, {DisabledBy::admin, "admin"}}};
constexpr Words<LoginMethod, 2> k_login_methods{
    {{LoginMethod::password, "password"}, {LoginMethod::spid_cie, "spid_cie"}}};
constexpr Words<PupilStatus, 2> k_pupil_statuses{{{PupilStatus::active, "active"}, {PupilStatus::left, "left"}}};
constexpr Words<LetterPurpose, 4> k_letter_purposes{{{LetterPurpose::initial, "initial"},
                                                    {LetterPurpose::reset, "reset"},
                                                    {LetterPurpose::recovery, "recovery"},
                                                    {LetterPurpose::reminder, "reminder"}}};
constexpr Words<LoginKind, 4> k_login_kinds{
    {{LoginKind::password, "password"}, {LoginKind::spid, "spid"}, {LoginKind::cie, "cie"}, {LoginKind::eidas, "eidas"}}};
constexpr Words<LetterState, 7> k_letter_states{{{LetterState::queued, "queued"},
                                                 {LetterState::sending, "sending"},
                                                 {LetterState::sent, "sent"},
                                                 {LetterState::deferred, "deferred"},
                                                 {LetterState::failed, "failed"},
                                                 {LetterState::cancelled, "cancelled"},
                                                 {LetterState::bounced, "bounced"}}};

template <typename Enum, std::size_t N>
std::string_view word_of(const Words<Enum, N>& words, Enum value)
{
    for (const auto& [candidate, word] : words) {
        if (candidate == value) {
            return word;
        }
    }
    return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const Words<Enum, N>& words, std::string_view word)
{
    for (const auto& [value, candidate] : words) {
        if (candidate == word) {
            return value;
        }
    }
    return std::nullopt;
}

} // namespace

std::string_view to_string(AccountKind kind) { return word_of(k_account_kinds, kind); }
std::string_view to_string(AccountStatus status) { return word_of(k_account_statuses, status); }
std::string_view to_string(DisabledBy by) { return word_of(k_disabled_by, by); }
std::string_view to_string(LoginMethod method) { return word_of(k_login_methods, method); }
std::string_view to_string(PupilStatus status) { return word_of(k_pupil_statuses, status); }
std::string_view to_string(LetterPurpose purpose) { return word_of(k_letter_purposes, purpose); }
std::string_view to_string(LetterState state) { return word_of(k_letter_states, state); }
std::string_view to_string(LoginKind kind) { return word_of(k_login_kinds, kind); }

template <> std::optional<AccountKind> parse<AccountKind>(std::string_view word) { return value_of(k_account_kinds, word); }
template <> std::optional<AccountStatus> parse<AccountStatus>(std::string_view word)
{
    return value_of(k_account_statuses, word);
}
template <> std::optional<DisabledBy> parse<DisabledBy>(std::string_view word) { return value_of(k_disabled_by, word); }
template <> std::optional<LoginMethod> parse<LoginMethod>(std::string_view word)
{
    return value_of(k_login_methods, word);
}
template <> std::optional<PupilStatus> parse<PupilStatus>(std::string_view word)
{
    return value_of(k_pupil_statuses, word);
}
template <> std::optional<LetterPurpose> parse<LetterPurpose>(std::string_view word)
{
    return value_of(k_letter_purposes, word);
}
template <> std::optional<LetterState> parse<LetterState>(std::string_view word)
{
    return value_of(k_letter_states, word);
}
template <> std::optional<LoginKind> parse<LoginKind>(std::string_view word) { return value_of(k_login_kinds, word); }

} // namespace credenza
