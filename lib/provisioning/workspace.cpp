#include <credenza/provisioning/workspace.hpp>

#include <string_view>

namespace credenza::provisioning {

namespace {

// Names may hold a comma or a quote; passwords come from an alphabet of letters and digits.
void append_field(credentials::Secret& out, std::string_view text)
{
    const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quote) {
        out.push_back('"');
    }
    for (const char c : text) {
        out.push_back(c);
        if (c == '"') {
            out.push_back('"');
        }
    }
    if (quote) {
        out.push_back('"');
    }
}

void append_line(credentials::Secret& out, std::initializer_list<std::string_view> fields)
{
    bool first = true;
    for (const auto field : fields) {
        if (!first) {
            out.push_back(',');
        }
        first = false;
        append_field(out, field);
    }
    out.push_back('\r');
    out.push_back('\n');
}

} // namespace

credentials::Secret workspace_csv(const std::vector<Proposal>& proposals, const credentials::Generator& generator,
                                  const WorkspaceOptions& options)
{
    credentials::Secret csv;
    for (const char c : std::string_view(k_workspace_header)) {
        csv.push_back(c);
    }
    csv.push_back('\r');
    csv.push_back('\n');
    for (const auto& proposal : proposals) {
        const credentials::Secret password = generator.password();
        const std::string org_unit = options.org_unit_root + "/" + proposal.class_name;
        append_line(csv, {proposal.name, proposal.surname, proposal.address, password.view(), org_unit, "TRUE"});
    }
    return csv;
}

} // namespace credenza::provisioning
