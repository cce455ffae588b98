#include <credenza/util/text.hpp>
#include <credenza/provisioning/address.hpp>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/error.hpp>
#include <credenza/store/addresses.hpp>
#include "i18n/gettext.hpp"

namespace credenza::provisioning {

namespace {

// The longest base we make: Google allows 64 characters before the '@', and a clash adds digits.
constexpr std::size_t k_max_local_length = 60;

std::string fold(std::string_view text)
{
    std::string folded;
    std::size_t i = 0;
    while (i < text.size()) {
        const char32_t code = util::next_code_point(text, i);
        if ((code >= 'a' && code <= 'z') || (code >= '0' && code <= '9')) {
            folded += static_cast<char>(code);
        } else if (code >= 'A' && code <= 'Z') {
            folded += static_cast<char>(code - 'A' + 'a');
        } else {
            folded += util::fold_accent(code);
        }
        // Everything else (apostrophes, spaces, hyphens, dots, combining accents) is dropped.
    }
    return folded;
}


std::string check_domain(std::string_view domain)
{
    if (domain.empty()) {
        throw Error(ErrorCode::config, _("the school has no domain for institutional addresses"), Hint::set_domain);
    }
    return util::ascii_lower(domain);
}

} // namespace

std::string address_local_part(std::string_view name, std::string_view surname)
{
    std::string first = fold(name);
    std::string last = fold(surname);
    if (first.empty() && last.empty()) {
        throw Error(ErrorCode::bad_input, credenza::i18n::format(_fmt("cannot make an address from the name '{} {}': no Latin letter "
                                                      "or digit in it"),
                                                      std::string(name), std::string(surname)));
    }
    std::string local = first.empty() ? last : last.empty() ? first : first + "." + last;
    if (local.size() > k_max_local_length) {
        local.resize(k_max_local_length);
        while (local.back() == '.') {
            local.pop_back();
        }
    }
    return local;
}

std::string propose_address(std::string_view name, std::string_view surname, std::string_view domain,
                            const std::set<std::string>& taken)
{
    const std::string local = address_local_part(name, surname);
    const std::string at_domain = fmt::format("@{}", util::ascii_lower(domain));
    std::string candidate = local + at_domain;
    for (int n = 2; taken.contains(candidate); ++n) {
        candidate = local + std::to_string(n) + at_domain;
    }
    return candidate;
}

std::vector<Proposal> propose_addresses(store::Database& db, std::string_view domain,
                                        const std::vector<std::string>& classes)
{
    const std::string school_domain = check_domain(domain);
    std::vector<Proposal> proposals;
    auto taken = store::institutional_addresses_in_use(db);
    for (auto& pupil : store::active_pupils_without_address(db)) {
        Proposal proposal;
        proposal.person_id = pupil.person_id;
        proposal.user_code = std::move(pupil.user_code);
        proposal.tax_code = std::move(pupil.tax_code);
        proposal.surname = std::move(pupil.surname);
        proposal.name = std::move(pupil.name);
        proposal.class_name = std::move(pupil.class_name);
        proposal.address = propose_address(proposal.name, proposal.surname, school_domain, taken);
        taken.insert(proposal.address);
        proposals.push_back(std::move(proposal));
    }
    if (!classes.empty()) {
        std::erase_if(proposals, [&](const Proposal& proposal) {
            return std::find(classes.begin(), classes.end(), proposal.class_name) == classes.end();
        });
    }
    return proposals;
}

std::vector<Proposal> apply_proposals(store::Database& db, const Clock& clock, std::string_view domain,
                                      const std::vector<std::string>& classes, bool dry_run,
                                      std::string_view operator_name)
{
    // Inside the transaction, so that no import slips in between proposing and recording.
    store::Transaction transaction(db);
    auto proposals = propose_addresses(db, domain, classes);
    if (dry_run) {
        return proposals;
    }
    const auto now = clock.now();
    for (const auto& proposal : proposals) {
        store::set_institutional_address(db, proposal.person_id, proposal.address, now);
        audit::append(db, clock, operator_name, "set email", proposal.user_code, "from proposal");
    }
    transaction.commit();
    return proposals;
}

} // namespace credenza::provisioning
