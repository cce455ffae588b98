#include <credenza/enrolment/columns.hpp>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace credenza::enrolment {

namespace {

struct Name
{
    std::string_view text;
    Field field;
    bool guardian;
};

constexpr Name k_canonical[] = {
    {"student_tax_code", Field::student_tax_code, false}, {"student_surname", Field::student_surname, false},
    {"student_name", Field::student_name, false},         {"birth_date", Field::birth_date, false},
    {"class", Field::class_name, false},                  {"student_email", Field::student_email, false},
    {"tax_code", Field::guardian_tax_code, true},         {"surname", Field::guardian_surname, true},
    {"name", Field::guardian_name, true},                 {"email", Field::guardian_email, true},
};

// The Italian headers of a register's export, after folding (lower case, single spaces).
constexpr Name k_italian[] = {
    {"codice fiscale", Field::student_tax_code, false}, {"cognome", Field::student_surname, false},
    {"nome", Field::student_name, false},               {"data di nascita", Field::birth_date, false},
    {"classe", Field::class_name, false},               {"email istituzionale", Field::student_email, false},
    {"codice fiscale genitore", Field::guardian_tax_code, true},
    {"cognome genitore", Field::guardian_surname, true},
    {"nome genitore", Field::guardian_name, true},      {"email genitore", Field::guardian_email, true},
};

constexpr Field k_required[] = {Field::student_tax_code, Field::student_surname, Field::student_name,
                                Field::birth_date, Field::class_name};

// Lower-case ASCII, spaces collapsed and trimmed, a UTF-8 BOM or quotes around it dropped.
std::string fold(std::string_view header)
{
    std::string folded;
    bool pending_space = false;
    for (const char c : header) {
        if (c == ' ' || c == '\t' || c == '_' || c == '-') {
            pending_space = !folded.empty();
            continue;
        }
        if (pending_space) {
            folded += ' ';
            pending_space = false;
        }
        folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return folded;
}

// "email genitore 2" -> ("email genitore", 2)
std::pair<std::string, int> split_trailing_number(const std::string& folded)
{
    std::size_t end = folded.size();
    while (end > 0 && std::isdigit(static_cast<unsigned char>(folded[end - 1]))) {
        --end;
    }
    if (end == folded.size() || end == 0) {
        return {folded, 0};
    }
    const int number = std::stoi(folded.substr(end));
    std::string base = folded.substr(0, end);
    while (!base.empty() && base.back() == ' ') {
        base.pop_back();
    }
    return {base, number};
}

} // namespace

std::optional<FieldRef> parse_field_name(std::string_view canonical)
{
    for (const auto& name : k_canonical) {
        if (!name.guardian && canonical == name.text) {
            return FieldRef{name.field, 0};
        }
    }
    // guardianN_<field>
    constexpr std::string_view prefix = "guardian";
    if (!canonical.starts_with(prefix) || canonical.size() < prefix.size() + 3) {
        return std::nullopt;
    }
    const char digit = canonical[prefix.size()];
    if (digit < '1' || digit > '0' + k_max_guardians || canonical[prefix.size() + 1] != '_') {
        return std::nullopt;
    }
    const auto rest = canonical.substr(prefix.size() + 2);
    for (const auto& name : k_canonical) {
        if (name.guardian && rest == name.text) {
            return FieldRef{name.field, digit - '0'};
        }
    }
    return std::nullopt;
}

std::string field_name(const FieldRef& ref)
{
    for (const auto& name : k_canonical) {
        if (name.field == ref.field) {
            return name.guardian ? fmt::format("guardian{}_{}", ref.guardian, name.text) : std::string(name.text);
        }
    }
    return "?";
}

std::optional<FieldRef> recognise_header(std::string_view header)
{
    const std::string folded = fold(header);
    // Canonical names fold to "student tax code", "guardian1 email": compare them folded too.
    for (const auto& name : k_canonical) {
        if (!name.guardian && folded == fold(name.text)) {
            return FieldRef{name.field, 0};
        }
    }
    const auto [base, number] = split_trailing_number(folded);
    if (number == 0) {
        // "guardian1 email": the number sits in the middle.
        std::string compact;
        std::remove_copy(folded.begin(), folded.end(), std::back_inserter(compact), ' ');
        if (compact.starts_with("guardian") && compact.size() > 9) {
            std::string canonical = "guardian";
            canonical += compact[8];
            canonical += '_';
            const auto rest = compact.substr(9);
            if (rest == "taxcode") {
                canonical += "tax_code";
            } else {
                canonical += rest;
            }
            if (auto ref = parse_field_name(canonical)) {
                return ref;
            }
        }
        for (const auto& name : k_italian) {
            if (!name.guardian && folded == name.text) {
                return FieldRef{name.field, 0};
            }
        }
        return std::nullopt;
    }
    if (number < 1 || number > k_max_guardians) {
        return std::nullopt;
    }
    for (const auto& name : k_italian) {
        if (name.guardian && base == name.text) {
            return FieldRef{name.field, number};
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> ColumnMap::column_of(const FieldRef& ref) const
{
    for (std::size_t i = 0; i < by_column.size(); ++i) {
        if (by_column[i] == ref) {
            return i;
        }
    }
    return std::nullopt;
}

ColumnMap map_columns(const std::vector<std::string>& headers, const std::map<std::string, std::string>& overrides,
                      std::vector<std::string>& problems)
{
    std::map<std::string, FieldRef> folded_overrides;
    std::map<std::string, bool> override_used;
    for (const auto& [column, field] : overrides) {
        const auto ref = parse_field_name(field);
        if (!ref) {
            problems.push_back(fmt::format("{}: unknown field in --map '{}={}'", field, column, field));
            continue;
        }
        folded_overrides.emplace(fold(column), *ref);
        override_used[fold(column)] = false;
    }

    ColumnMap map;
    map.headers = headers;
    for (const auto& header : headers) {
        std::optional<FieldRef> ref;
        if (auto found = folded_overrides.find(fold(header)); found != folded_overrides.end()) {
            ref = found->second;
            override_used[found->first] = true;
        } else {
            ref = recognise_header(header);
        }
        if (ref && map.column_of(*ref)) {
            problems.push_back(fmt::format("{}: column given twice ('{}')", field_name(*ref), header));
            ref.reset();
        }
        if (!ref) {
            map.ignored.push_back(header);
        } else {
            map.guardians = std::max(map.guardians, ref->guardian);
        }
        map.by_column.push_back(ref);
    }
    for (const auto& [column, used] : override_used) {
        if (!used) {
            problems.push_back(fmt::format("{}: --map names a column that is not in the file", column));
        }
    }
    for (const Field field : k_required) {
        if (!map.column_of({field, 0})) {
            problems.push_back(fmt::format("{}: missing column (rename it or use --map 'COLUMN={}')",
                                           field_name({field, 0}), field_name({field, 0})));
        }
    }
    for (int guardian = 1; guardian <= map.guardians; ++guardian) {
        for (const Field field : {Field::guardian_tax_code, Field::guardian_surname, Field::guardian_name}) {
            if (!map.column_of({field, guardian})) {
                problems.push_back(fmt::format("{}: missing column", field_name({field, guardian})));
            }
        }
    }
    return map;
}

} // namespace credenza::enrolment
