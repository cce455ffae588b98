#pragma once
// The CSV that the Google Admin console's "Bulk update users" takes, to create the
// students' institutional accounts. Its passwords are Google's initial passwords, not
// credenza's: they are made here, written once, and stored nowhere.

#include <string>
#include <vector>

#include <credenza/credentials/generator.hpp>
#include <credenza/credentials/secret.hpp>
#include <credenza/provisioning/address.hpp>

namespace credenza::provisioning {

// The header, with the spellings of Google's own template.
inline constexpr const char* k_workspace_header =
    "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],"
    "Org Unit Path [Required],Change Password at Next Sign-In";

struct WorkspaceOptions
{
    std::string org_unit_root = "/Studenti"; // each pupil goes to <root>/<class>
};

// The whole file (UTF-8 without BOM, CRLF line ends, RFC 4180 quoting): the header and one
// row per proposal with a fresh password from `generator` and "Change Password at Next
// Sign-In" TRUE. Returned as a Secret, so the buffer is wiped when it is done with.
credentials::Secret workspace_csv(const std::vector<Proposal>& proposals, const credentials::Generator& generator,
                                  const WorkspaceOptions& options = {});

} // namespace credenza::provisioning
