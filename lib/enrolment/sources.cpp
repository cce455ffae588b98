#include "sources.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include <credenza/enrolment/file_kind.hpp>
#include <credenza/error.hpp>
#include <credenza/util/text.hpp>
#include "i18n/gettext.hpp"
#include "tax_key.hpp"

namespace credenza::enrolment::detail {

void ProblemList::add(std::string problem)
{
    if (m_listed.size() < k_max_listed_problems) {
        m_listed.push_back(std::move(problem));
    }
    ++m_total;
}

void ProblemList::add_all(std::vector<std::string>& problems)
{
    for (auto& problem : problems) {
        add(std::move(problem));
    }
    problems.clear();
}

std::vector<std::string> ProblemList::details() const
{
    auto details = m_listed;
    if (m_total > m_listed.size()) {
        details.push_back(credenza::i18n::format(_fmt("... and {} more problems not listed: fix the ones above and run the import "
                                      "again to see them"),
                                      m_total - m_listed.size()));
    }
    return details;
}

void ProblemList::fail(const std::string& file) const
{
    throw Error(ErrorCode::bad_input,
                credenza::i18n::format(_fmt("'{}' has {} {}: nothing was imported"), file, m_total, P_("error", "errors", static_cast<unsigned long>(m_total))),
                details());
}

namespace {

bool blank(const CsvRecord& record)
{
    // Spreadsheets save rows that were merely formatted as ";;;;": they hold nothing.
    return std::all_of(record.fields.begin(), record.fields.end(),
                       [](const std::string& field) { return field.find_first_not_of(util::k_blanks) == std::string::npos; });
}

class FileReader
{
public:
    FileReader(const std::filesystem::path& path, const CsvOptions& csv) : m_file(path.string()), m_reader(make(path, csv))
    {
    }

    // The header, or Error(bad_input) for an empty file.
    std::vector<std::string> header()
    {
        CsvRecord record;
        if (!m_reader.next(record)) {
            throw Error(ErrorCode::bad_input, credenza::i18n::format(_fmt("'{}' is empty: expected a header row"), m_file));
        }
        m_header_line = record.line;
        return record.fields;
    }

    ColumnMap map(const std::vector<std::string>& headers, const ImportOptions& options, Layout layout, FileRole role)
    {
        std::vector<std::string> header_problems;
        ColumnMap columns = map_columns(headers, options.column_map, header_problems, layout, role);
        if (!header_problems.empty()) {
            ProblemList problems;
            for (auto& problem : header_problems) {
                problems.add(fmt::format("{}:{}: {}", m_file, m_header_line, problem));
            }
            problems.fail(m_file);
        }
        return columns;
    }

    bool next(CsvRecord& record)
    {
        while (m_reader.next(record)) {
            if (!blank(record)) {
                return true;
            }
        }
        return false;
    }

    const std::string& file() const { return m_file; }
    CsvReader& reader() { return m_reader; }

private:
    static CsvReader make(const std::filesystem::path& path, const CsvOptions& csv)
    {
        require_csv_text(path);
        return CsvReader(path, csv);
    }

    std::string m_file;
    CsvReader m_reader;
    std::size_t m_header_line = 1;
};

void record_columns(Sources& sources, const std::string& file, const ColumnMap& columns, FileRole role)
{
    for (std::size_t i = 0; i < columns.headers.size(); ++i) {
        std::string field;
        if (const auto& ref = columns.by_column[i]) {
            // A guardians file reads only the pupil's codice fiscale of the pupil's fields.
            const bool used = role == FileRole::pupils || is_guardian_field(ref->field) ||
                              ref->field == Field::student_tax_code;
            field = used ? field_name(*ref) : "";
        }
        if (field.empty()) {
            sources.ignored.push_back(columns.headers[i]);
        }
        sources.columns.push_back({file, columns.headers[i], field});
    }
}

std::string header_of(const ColumnMap& columns, const FieldRef& ref)
{
    const auto column = columns.column_of(ref);
    return column ? columns.headers[*column] : field_name(ref);
}

// Appends a row's guardians to a pupil's, numbering them in order; false when there are too many.
void add_guardians(PupilRow& pupil, std::vector<GuardianRow>& guardians, const std::string& file,
                   const ColumnMap& columns, ProblemList& problems)
{
    for (auto& guardian : guardians) {
        if (std::any_of(pupil.guardians.begin(), pupil.guardians.end(),
                        [&](const GuardianRow& other) { return other.tax_code == guardian.tax_code; })) {
            problems.add(credenza::i18n::format(_fmt("{}:{}: {}: guardian '{}' of pupil '{}' is given twice"), file, guardian.line,
                                     header_of(columns, {Field::guardian_tax_code, 0}), guardian.tax_code,
                                     pupil.tax_code));
            continue;
        }
        const int position = static_cast<int>(pupil.guardians.size()) + 1;
        if (position > k_max_guardians) {
            problems.add(credenza::i18n::format(_fmt("{}:{}: {}: pupil '{}' has more than {} guardians"), file, guardian.line,
                                     header_of(columns, {Field::guardian_tax_code, 0}), pupil.tax_code,
                                     k_max_guardians));
            continue;
        }
        guardian.position = position;
        pupil.guardians.push_back(std::move(guardian));
    }
}

// Rows of one pupil in a row per guardian must agree on the pupil's own fields.
void check_same_pupil(const PupilRow& first, const PupilRow& row, const std::string& file, const ColumnMap& columns,
                      ProblemList& problems)
{
    const auto differs = [&](Field field, const std::string& here, const std::string& there) {
        if (here != there) {
            problems.add(credenza::i18n::format(_fmt("{}:{}: {}: pupil '{}' has '{}' here but '{}' on line {}"), file, row.line,
                                     header_of(columns, {field, 0}), row.tax_code, here, there, first.line));
        }
    };
    differs(Field::student_surname, row.surname, first.surname);
    differs(Field::student_name, row.name, first.name);
    differs(Field::birth_date, row.birth_date.iso(), first.birth_date.iso());
    differs(Field::class_name, row.class_name, first.class_name);
    if (row.email && first.email && !row.email->empty() && !first.email->empty()) {
        differs(Field::student_email, *row.email, *first.email);
    }
}

} // namespace

Sources read_sources(const ImportOptions& options, ProblemList& problems, const RowSink& sink)
{
    Sources sources;
    FileReader pupils_file(options.file, options.csv);
    const auto headers = pupils_file.header();
    sources.layout_forced = options.layout != Layout::automatic;
    if (options.guardians_file) {
        if (options.layout != Layout::automatic && options.layout != Layout::two_files) {
            throw Error(ErrorCode::usage, credenza::i18n::format(_fmt("--guardians needs --layout two-files, not --layout {}"),
                                                      layout_name(options.layout)));
        }
        sources.layout = Layout::two_files;
    } else if (options.layout == Layout::two_files) {
        throw Error(ErrorCode::usage, _("--layout two-files needs the guardians file: --guardians FILE"));
    } else {
        sources.layout = sources.layout_forced ? options.layout : detect_layout(headers, options.column_map);
    }
    const Layout pupil_layout = sources.layout == Layout::two_files ? Layout::pupil_rows : sources.layout;
    const ColumnMap columns = pupils_file.map(headers, options, pupil_layout, FileRole::pupils);
    record_columns(sources, pupils_file.file(), columns, FileRole::pupils);
    sources.delimiter = pupils_file.reader().delimiter();
    sources.encoding = pupils_file.reader().encoding();
    sources.student_tax_code_header = header_of(columns, {Field::student_tax_code, 0});

    // A row per pupil in one file is complete as read: streamed to the sink, not kept.
    const bool streamed = sink && sources.layout == Layout::pupil_rows && !options.guardians_file;
    // pupil -> index in sources.rows, or its line when streamed
    std::unordered_map<TaxKey, std::size_t, TaxKeyHash> by_tax_code; // a valid code: 16 characters
    CsvRecord record;
    PupilRow row;
    std::vector<std::string> row_problems;
    const std::string& file = pupils_file.file();
    while (pupils_file.next(record)) {
        ++sources.records;
        const bool valid = read_row(record, columns, file, FileRole::pupils, row, row_problems);
        problems.add_all(row_problems);
        if (!valid) {
            continue;
        }
        const auto [found, inserted] = by_tax_code.emplace(TaxKey(row.tax_code), streamed ? row.line : sources.rows.size());
        if (inserted && streamed) {
            sink(sources, row);
            continue;
        }
        if (inserted) {
            if (sources.layout == Layout::guardian_rows) {
                auto guardians = std::move(row.guardians);
                row.guardians.clear();
                add_guardians(row, guardians, file, columns, problems);
            }
            sources.rows.push_back(std::move(row));
            continue;
        }
        if (sources.layout != Layout::guardian_rows) {
            const std::size_t first_line = streamed ? found->second : sources.rows[found->second].line;
            problems.add(credenza::i18n::format(_fmt("{}:{}: {}: pupil '{}' already appears on line {}"), file, row.line,
                                     sources.student_tax_code_header, row.tax_code, first_line));
            continue;
        }
        PupilRow& first = sources.rows[found->second];
        check_same_pupil(first, row, file, columns, problems);
        if (!first.email || first.email->empty()) {
            first.email = row.email;
        }
        add_guardians(first, row.guardians, file, columns, problems);
    }

    if (options.guardians_file) {
        FileReader guardians_file(*options.guardians_file, options.csv);
        const auto guardian_headers = guardians_file.header();
        const ColumnMap guardian_columns =
            guardians_file.map(guardian_headers, options, Layout::guardian_rows, FileRole::guardians);
        record_columns(sources, guardians_file.file(), guardian_columns, FileRole::guardians);
        while (guardians_file.next(record)) {
            const bool valid =
                read_row(record, guardian_columns, guardians_file.file(), FileRole::guardians, row, row_problems);
            problems.add_all(row_problems);
            if (!valid || row.guardians.empty()) {
                continue;
            }
            const auto found = by_tax_code.find(TaxKey(row.tax_code));
            if (found == by_tax_code.end()) {
                problems.add(credenza::i18n::format(_fmt("{}:{}: {}: pupil '{}' is not in '{}'"), guardians_file.file(), record.line,
                                         header_of(guardian_columns, {Field::student_tax_code, 0}), row.tax_code,
                                         file));
                continue;
            }
            add_guardians(sources.rows[found->second], row.guardians, guardians_file.file(), guardian_columns,
                          problems);
        }
    }
    if (sink && !streamed) {
        for (auto& pupil : sources.rows) {
            sink(sources, pupil);
        }
        sources.rows.clear();
    }
    return sources;
}

} // namespace credenza::enrolment::detail
