#pragma once
// Institutional addresses for the pupils who have none yet: name.surname@<school domain>,
// as the admin creates them in Google Workspace. The same proposals feed the Workspace
// export and `account set-email --from-proposal`, so the two always agree.

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::provisioning {

// The local part for a name and a surname: lower case, accents folded (à -> a, ß -> ss),
// apostrophes, spaces, hyphens and anything else outside [a-z0-9] removed from each,
// joined by a dot: ("Nicolò", "D'Angelo") -> "nicolo.dangelo". When one of the two folds
// to nothing the other stands alone; Error(bad_input) when both do.
std::string address_local_part(std::string_view name, std::string_view surname);

// local@domain, or local2@domain, local3@domain... the first not in `taken` (compared
// ignoring case; `taken` holds lower-case addresses).
std::string propose_address(std::string_view name, std::string_view surname, std::string_view domain,
                            const std::set<std::string>& taken);

struct Proposal
{
    std::int64_t person_id = 0;
    std::string user_code;   // of the student account, "" when there is none
    std::string tax_code;
    std::string surname;
    std::string name;
    std::string class_name;
    std::string address;
};

// A proposal for every active pupil without an institutional address, of the given classes
// (empty = all). Addresses already held by any pupil are taken; proposals are made for every
// such pupil in a fixed order (class, surname, name, codice fiscale) before the class filter,
// so that a pupil's proposal does not depend on which classes are asked for.
// Error(config) when `domain` is empty.
std::vector<Proposal> propose_addresses(store::Database& db, std::string_view domain,
                                        const std::vector<std::string>& classes = {});

// Records the proposals as the pupils' institutional addresses in one transaction, each
// audited as "set email" of the student account, "from proposal". With dry_run nothing is
// written. Returns what was (or would be) set.
std::vector<Proposal> apply_proposals(store::Database& db, const Clock& clock, std::string_view domain,
                                      const std::vector<std::string>& classes, bool dry_run,
                                      std::string_view operator_name);

} // namespace credenza::provisioning
