#include "rows.hpp"

#include <fmt/format.h>

#include <credenza/enrolment/codice_fiscale.hpp>
#include <credenza/util/text.hpp>
#include "i18n/gettext.hpp"

namespace credenza::enrolment::detail {

namespace {

class RowReader
{
public:
    RowReader(const CsvRecord& record, const ColumnMap& columns, const std::string& file,
              std::vector<std::string>& problems)
        : m_record(record), m_columns(columns), m_file(file), m_problems(problems)
    {
    }

    bool has_column(const FieldRef& ref) const { return m_columns.column_of(ref).has_value(); }

    std::string value(const FieldRef& ref) const
    {
        const auto column = m_columns.column_of(ref);
        if (!column || *column >= m_record.fields.size()) {
            return {};
        }
        return util::trim(m_record.fields[*column]);
    }

    // Whether the field is missing or blank: value(ref).empty() with no copy.
    bool blank(const FieldRef& ref) const
    {
        const auto column = m_columns.column_of(ref);
        return !column || *column >= m_record.fields.size() ||
               m_record.fields[*column].find_first_not_of(util::k_blanks) == std::string::npos;
    }

    void problem(const FieldRef& ref, const std::string& reason)
    {
        const auto column = m_columns.column_of(ref);
        const std::string header = column ? m_columns.headers[*column] : field_name(ref);
        m_problems.push_back(fmt::format("{}:{}: {}: {}", m_file, m_record.line, header, reason));
        m_ok = false;
    }

    std::string tax_code(const FieldRef& ref)
    {
        const std::string code = normalise_codice_fiscale(value(ref));
        if (code.empty()) {
            problem(ref, _("missing codice fiscale"));
        } else if (const auto reason = codice_fiscale_problem(code); !reason.empty()) {
            problem(ref, credenza::i18n::format(_fmt("invalid codice fiscale '{}': {}"), code, reason));
        }
        return code;
    }

    std::string person_name(const FieldRef& ref)
    {
        const std::string text = value(ref);
        if (const auto reason = name_problem(text); !reason.empty()) {
            problem(ref, reason);
        }
        return text;
    }

    std::optional<std::string> email(const FieldRef& ref)
    {
        if (!has_column(ref)) {
            return std::nullopt;
        }
        std::string text = value(ref); // not const: moved into the optional
        if (!text.empty()) {
            if (const auto reason = email_problem(text); !reason.empty()) {
                problem(ref, credenza::i18n::format(_fmt("invalid e-mail address '{}': {}"), printable(text), reason));
            }
        }
        return text;
    }

    // For quoting a bad value back: control characters would garble the terminal.
    static std::string printable(const std::string& text)
    {
        std::string shown;
        for (const char c : text) {
            shown += util::is_ascii_control(c) ? '?' : c;
        }
        return shown;
    }

    bool ok() const { return m_ok; }

private:
    const CsvRecord& m_record;
    const ColumnMap& m_columns;
    const std::string& m_file;
    std::vector<std::string>& m_problems;
    bool m_ok = true;
};

void read_pupil_fields(RowReader& reader, PupilRow& row)
{
    row.surname = reader.person_name({Field::student_surname});
    row.name = reader.person_name({Field::student_name});

    const std::string birth = reader.value({Field::birth_date});
    if (const auto date = parse_date(birth)) {
        row.birth_date = *date;
    } else {
        reader.problem({Field::birth_date},
                       birth.empty() ? std::string(_("missing date"))
                                     : credenza::i18n::format(_fmt("invalid date '{}' (use DD/MM/YYYY or YYYY-MM-DD)"),
                                                   RowReader::printable(birth)));
    }

    row.class_name = normalise_class(reader.value({Field::class_name}));
    if (const auto reason = class_problem(row.class_name); !reason.empty()) {
        reader.problem({Field::class_name}, row.class_name.empty()
                                                ? std::string(_("missing class"))
                                                : credenza::i18n::format(_fmt("invalid class '{}': {}"),
                                                              RowReader::printable(row.class_name), reason));
    }
    row.email = reader.email({Field::student_email});
}

} // namespace

bool read_row(const CsvRecord& record, const ColumnMap& columns, const std::string& file, FileRole role, PupilRow& row,
              std::vector<std::string>& problems)
{
    RowReader reader(record, columns, file, problems);
    row = PupilRow{};
    row.line = record.line;

    if (record.fields.size() != columns.headers.size()) {
        problems.push_back(credenza::i18n::format(_fmt("{}:{}: row: has {} fields where the header has {}"), file, record.line,
                                       record.fields.size(), columns.headers.size()));
        return false;
    }

    row.tax_code = reader.tax_code({Field::student_tax_code});
    if (role == FileRole::pupils) {
        read_pupil_fields(reader, row);
    }

    for (const int position : columns.guardians) {
        const FieldRef tax_ref{Field::guardian_tax_code, position};
        const FieldRef surname_ref{Field::guardian_surname, position};
        const FieldRef name_ref{Field::guardian_name, position};
        const FieldRef email_ref{Field::guardian_email, position};
        if (reader.blank(tax_ref) && reader.blank(surname_ref) && reader.blank(name_ref) && reader.blank(email_ref)) {
            continue; // no such guardian on this row
        }
        GuardianRow guardian;
        guardian.position = position;
        guardian.line = record.line;
        guardian.in_guardians_file = role == FileRole::guardians; // "FILE:LINE" is written only for a message
        guardian.tax_code = reader.tax_code(tax_ref);
        guardian.surname = reader.person_name(surname_ref);
        guardian.name = reader.person_name(name_ref);
        guardian.email = reader.email(email_ref);
        if (!guardian.tax_code.empty() && guardian.tax_code == row.tax_code) {
            reader.problem(tax_ref, _("a pupil cannot be their own guardian"));
        }
        for (const auto& other : row.guardians) {
            if (!guardian.tax_code.empty() && other.tax_code == guardian.tax_code) {
                reader.problem(tax_ref, credenza::i18n::format(_fmt("the same guardian is given twice ('{}')"), guardian.tax_code));
            }
        }
        row.guardians.push_back(std::move(guardian));
    }
    return reader.ok();
}

} // namespace credenza::enrolment::detail
