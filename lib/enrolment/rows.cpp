#include "rows.hpp"

#include <array>
#include <cstdint>

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
        // Each field's column, looked up once a row instead of a scan of the header per field read.
        m_index.fill(k_none);
        for (std::size_t i = 0; i < columns.by_column.size() && i <= k_max_indexed; ++i) {
            // The first column of a field, as ColumnMap::column_of finds it.
            if (const auto& ref = columns.by_column[i]; ref && slot(*ref) < m_index.size() && m_index[slot(*ref)] == k_none) {
                m_index[slot(*ref)] = static_cast<std::int16_t>(i);
            }
        }
    }

    bool has_column(const FieldRef& ref) const { return column_of(ref).has_value(); }

    // columns.column_of(ref), from the table.
    std::optional<std::size_t> column_of(const FieldRef& ref) const
    {
        if (slot(ref) >= m_index.size() || m_columns.by_column.size() > k_max_indexed) {
            return m_columns.column_of(ref);
        }
        const std::int16_t column = m_index[slot(ref)];
        return column == k_none ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(column));
    }

    // The field without its blanks at either end, as a view into the record.
    std::string_view value(const FieldRef& ref) const
    {
        const auto column = column_of(ref);
        if (!column || *column >= m_record.fields.size()) {
            return {};
        }
        const std::string_view field = m_record.fields[*column];
        const auto first = field.find_first_not_of(util::k_blanks);
        if (first == std::string_view::npos) {
            return {};
        }
        return field.substr(first, field.find_last_not_of(util::k_blanks) - first + 1);
    }

    // Whether the field is missing or blank: value(ref).empty() with no copy.
    bool blank(const FieldRef& ref) const
    {
        const auto column = column_of(ref);
        return !column || *column >= m_record.fields.size() ||
               m_record.fields[*column].find_first_not_of(util::k_blanks) == std::string::npos;
    }

    void problem(const FieldRef& ref, const std::string& reason)
    {
        const auto column = column_of(ref);
        const std::string header = column ? m_columns.headers[*column] : field_name(ref);
        m_problems.push_back(fmt::format("{}:{}: {}: {}", m_file, m_record.line, header, reason));
        m_ok = false;
    }

    // Each reads its field into `out`, in place: a row's strings keep their room from one record to
    // the next (a new string per field was most of the allocations of an import).
    void tax_code(const FieldRef& ref, std::string& code)
    {
        normalise_codice_fiscale(value(ref), code);
        if (code.empty()) {
            problem(ref, _("missing codice fiscale"));
        } else if (const auto reason = codice_fiscale_problem(code); !reason.empty()) {
            problem(ref, credenza::i18n::format(_fmt("invalid codice fiscale '{}': {}"), code, reason));
        }
    }

    void person_name(const FieldRef& ref, std::string& text)
    {
        text.assign(value(ref));
        if (const auto reason = name_problem(text); !reason.empty()) {
            problem(ref, reason);
        }
    }

    void email(const FieldRef& ref, std::optional<std::string>& out)
    {
        if (!has_column(ref)) {
            out.reset();
            return;
        }
        std::string& text = out ? *out : out.emplace();
        text.assign(value(ref));
        if (!text.empty()) {
            if (const auto reason = email_problem(text); !reason.empty()) {
                problem(ref, credenza::i18n::format(_fmt("invalid e-mail address '{}': {}"), printable(text), reason));
            }
        }
    }

    // For quoting a bad value back: control characters would garble the terminal.
    static std::string printable(std::string_view text)
    {
        std::string shown;
        for (const char c : text) {
            shown += util::is_ascii_control(c) ? '?' : c;
        }
        return shown;
    }

    bool ok() const { return m_ok; }

private:
    static constexpr std::int16_t k_none = -1;
    static constexpr std::size_t k_fields = static_cast<std::size_t>(Field::guardian_role) + 1;
    static constexpr std::size_t k_max_indexed = 32767; // columns an int16_t can name
    // A field and guardian number as an index of m_index (past its end: not in the table).
    static std::size_t slot(const FieldRef& ref)
    {
        const auto guardian = static_cast<std::size_t>(ref.guardian);
        return guardian > static_cast<std::size_t>(k_max_guardians)
                   ? std::size_t(-1)
                   : static_cast<std::size_t>(ref.field) * (k_max_guardians + 1) + guardian;
    }

    std::array<std::int16_t, k_fields*(k_max_guardians + 1)> m_index{};
    const CsvRecord& m_record;
    const ColumnMap& m_columns;
    const std::string& m_file;
    std::vector<std::string>& m_problems;
    bool m_ok = true;
};

void read_pupil_fields(RowReader& reader, PupilRow& row)
{
    reader.person_name({Field::student_surname}, row.surname);
    reader.person_name({Field::student_name}, row.name);

    const std::string_view birth = reader.value({Field::birth_date});
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
    reader.email({Field::student_email}, row.email);
}

} // namespace

bool read_row(const CsvRecord& record, const ColumnMap& columns, const std::string& file, FileRole role, PupilRow& row,
              std::vector<std::string>& problems)
{
    RowReader reader(record, columns, file, problems);
    // Every field is set again below, in the strings the row had (their room is kept).
    row.line = record.line;
    row.tax_code.clear();
    row.surname.clear();
    row.name.clear();
    row.birth_date = Date{};
    row.class_name.clear();
    row.email.reset();

    if (record.fields.size() != columns.headers.size()) {
        row.guardians.clear();
        problems.push_back(credenza::i18n::format(_fmt("{}:{}: row: has {} fields where the header has {}"), file, record.line,
                                       record.fields.size(), columns.headers.size()));
        return false;
    }

    reader.tax_code({Field::student_tax_code}, row.tax_code);
    if (role == FileRole::pupils) {
        read_pupil_fields(reader, row);
    }

    std::size_t used = 0; // guardians read so far
    for (const int position : columns.guardians) {
        const FieldRef tax_ref{Field::guardian_tax_code, position};
        const FieldRef surname_ref{Field::guardian_surname, position};
        const FieldRef name_ref{Field::guardian_name, position};
        const FieldRef email_ref{Field::guardian_email, position};
        if (reader.blank(tax_ref) && reader.blank(surname_ref) && reader.blank(name_ref) && reader.blank(email_ref)) {
            continue; // no such guardian on this row
        }
        // The row's guardians of the record before are read into again (their strings' room kept).
        GuardianRow& guardian = used < row.guardians.size() ? row.guardians[used] : row.guardians.emplace_back();
        guardian.position = position;
        guardian.line = record.line;
        guardian.in_guardians_file = role == FileRole::guardians; // "FILE:LINE" is written only for a message
        reader.tax_code(tax_ref, guardian.tax_code);
        reader.person_name(surname_ref, guardian.surname);
        reader.person_name(name_ref, guardian.name);
        reader.email(email_ref, guardian.email);
        if (!guardian.tax_code.empty() && guardian.tax_code == row.tax_code) {
            reader.problem(tax_ref, _("a pupil cannot be their own guardian"));
        }
        for (std::size_t other = 0; other < used; ++other) {
            if (!guardian.tax_code.empty() && row.guardians[other].tax_code == guardian.tax_code) {
                reader.problem(tax_ref, credenza::i18n::format(_fmt("the same guardian is given twice ('{}')"), guardian.tax_code));
            }
        }
        ++used;
    }
    row.guardians.resize(used);
    return reader.ok();
}

} // namespace credenza::enrolment::detail
