#include <credenza/text.hpp>
#include <credenza/provisioning/address.hpp>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/error.hpp>
#include <credenza/store/addresses.hpp>

namespace credenza::provisioning {

namespace {

// The longest base we make: Google allows 64 characters before the '@', and a clash adds digits.
constexpr std::size_t k_max_local_length = 60;

struct Fold
{
    char32_t first;
    char32_t last;
    const char* ascii;
};

// Latin letters with diacritics as an Italian secretary would type them without: the Latin-1
// Supplement and Latin Extended-A blocks, and the comma-below letters of Romanian.
constexpr Fold k_folds[] = {
    {0xC0, 0xC5, "a"},   {0xC6, 0xC6, "ae"},  {0xC7, 0xC7, "c"},   {0xC8, 0xCB, "e"},   {0xCC, 0xCF, "i"},
    {0xD0, 0xD0, "d"},   {0xD1, 0xD1, "n"},   {0xD2, 0xD6, "o"},   {0xD8, 0xD8, "o"},   {0xD9, 0xDC, "u"},
    {0xDD, 0xDD, "y"},   {0xDE, 0xDE, "th"},  {0xDF, 0xDF, "ss"},  {0xE0, 0xE5, "a"},   {0xE6, 0xE6, "ae"},
    {0xE7, 0xE7, "c"},   {0xE8, 0xEB, "e"},   {0xEC, 0xEF, "i"},   {0xF0, 0xF0, "d"},   {0xF1, 0xF1, "n"},
    {0xF2, 0xF6, "o"},   {0xF8, 0xF8, "o"},   {0xF9, 0xFC, "u"},   {0xFD, 0xFD, "y"},   {0xFE, 0xFE, "th"},
    {0xFF, 0xFF, "y"},   {0x100, 0x105, "a"}, {0x106, 0x10D, "c"}, {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
    {0x11C, 0x123, "g"}, {0x124, 0x127, "h"}, {0x128, 0x131, "i"}, {0x132, 0x133, "ij"}, {0x134, 0x135, "j"},
    {0x136, 0x138, "k"}, {0x139, 0x142, "l"}, {0x143, 0x14B, "n"}, {0x14C, 0x151, "o"}, {0x152, 0x153, "oe"},
    {0x154, 0x159, "r"}, {0x15A, 0x161, "s"}, {0x162, 0x167, "t"}, {0x168, 0x173, "u"}, {0x174, 0x175, "w"},
    {0x176, 0x178, "y"}, {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"}, {0x218, 0x219, "s"}, {0x21A, 0x21B, "t"},
};

// Decodes one UTF-8 sequence at text[i], advancing i; an invalid byte decodes as U+FFFD.
char32_t next_code_point(std::string_view text, std::size_t& i)
{
    const auto byte = static_cast<unsigned char>(text[i++]);
    int length = 0;
    char32_t code = 0;
    if (byte < 0x80) {
        return byte;
    } else if ((byte & 0xE0) == 0xC0) {
        length = 1;
        code = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
        length = 2;
        code = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
        length = 3;
        code = byte & 0x07;
    } else {
        return 0xFFFD;
    }
    for (int k = 0; k < length; ++k) {
        if (i >= text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            return 0xFFFD;
        }
        code = (code << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
    }
    return code;
}

std::string fold(std::string_view text)
{
    std::string folded;
    std::size_t i = 0;
    while (i < text.size()) {
        const char32_t code = next_code_point(text, i);
        if ((code >= 'a' && code <= 'z') || (code >= '0' && code <= '9')) {
            folded += static_cast<char>(code);
        } else if (code >= 'A' && code <= 'Z') {
            folded += static_cast<char>(code - 'A' + 'a');
        } else {
            for (const auto& entry : k_folds) {
                if (code >= entry.first && code <= entry.last) {
                    folded += entry.ascii;
                    break;
                }
            }
        }
        // Everything else (apostrophes, spaces, hyphens, dots, combining accents) is dropped.
    }
    return folded;
}


std::string check_domain(std::string_view domain)
{
    if (domain.empty()) {
        throw Error(ErrorCode::config,
                    "the school has no domain for institutional addresses: set 'domain' in the [school] section "
                    "of the config (or give --domain to 'credenza init')");
    }
    return ascii_lower(domain);
}

} // namespace

std::string address_local_part(std::string_view name, std::string_view surname)
{
    std::string first = fold(name);
    std::string last = fold(surname);
    if (first.empty() && last.empty()) {
        throw Error(ErrorCode::bad_input, fmt::format("cannot make an address from the name '{} {}': no Latin letter "
                                                      "or digit in it",
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
    const std::string at_domain = "@" + ascii_lower(domain);
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
