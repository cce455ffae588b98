#include <credenza/mail/address.hpp>

#include <algorithm>

#include <credenza/enrolment/fields.hpp>
#include <credenza/util/text.hpp>
#include "i18n/gettext.hpp"

namespace credenza::mail {

ParsedAddress parse_sender(std::string_view text)
{
    ParsedAddress parsed;
    const std::string trimmed = util::trim(text, util::k_whitespace);
    if (std::any_of(trimmed.begin(), trimmed.end(), [](char c) { return util::is_ascii_control(c); })) {
        parsed.problem = _("has a control character");
        return parsed;
    }
    if (!util::is_valid_utf8(trimmed)) {
        parsed.problem = _("is not valid UTF-8");
        return parsed;
    }
    std::string email = trimmed;
    const auto open = trimmed.rfind('<');
    if (open != std::string::npos || trimmed.find('>') != std::string::npos) {
        if (open == std::string::npos || !trimmed.ends_with('>')) {
            parsed.problem = _("must be 'address@domain' or 'Name <address@domain>'");
            return parsed;
        }
        email = trimmed.substr(open + 1, trimmed.size() - open - 2);
        std::string name = util::trim(std::string_view(trimmed).substr(0, open), util::k_whitespace);
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
            name = name.substr(1, name.size() - 2);
        }
        if (name.find_first_of("<>\"") != std::string::npos) {
            parsed.problem = _("has a display name with '<', '>' or '\"' in it");
            return parsed;
        }
        parsed.address.name = name;
    }
    if (const auto problem = enrolment::email_problem(email); !problem.empty()) {
        parsed.problem = email.empty() ? std::string(_("has no address"))
                                       : credenza::i18n::format(_fmt("address {}"), problem);
        return parsed;
    }
    parsed.address.email = email;
    return parsed;
}

} // namespace credenza::mail
