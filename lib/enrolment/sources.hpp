#pragma once
// Internal to the import: the files of an import read into validated pupil rows, whatever
// their layout, and the problems found, bounded in memory.

#include <functional>
#include <string>
#include <vector>

#include <credenza/enrolment/import.hpp>

#include "rows.hpp"

namespace credenza::enrolment::detail {

// The first k_max_listed_problems problems, and how many there were.
class ProblemList
{
public:
    void add(std::string problem);
    void add_all(std::vector<std::string>& problems); // moves them in and empties `problems`
    bool empty() const { return m_total == 0; }
    std::size_t total() const { return m_total; }
    // The listed problems, then "... and N more problems" when some were only counted.
    std::vector<std::string> details() const;
    // Error(bad_input): "'FILE' has N errors: nothing was imported", with the details.
    [[noreturn]] void fail(const std::string& file) const;

private:
    std::vector<std::string> m_listed;
    std::size_t m_total = 0;
};

struct Sources
{
    std::vector<PupilRow> rows;   // one per pupil, guardians merged, in the order first seen (not streamed)
    std::size_t records = 0;      // data records read (rows of the file, not pupils)
    Layout layout = Layout::pupil_rows;
    bool layout_forced = false;
    std::vector<ColumnUse> columns;
    std::vector<std::string> ignored;
    char delimiter = ',';
    Encoding encoding = Encoding::utf8;
    std::string student_tax_code_header; // as written in the pupils file, for messages
};

// Takes each valid pupil row as it is read, with the sources as known so far (header, columns, layout).
using RowSink = std::function<void(const Sources&, PupilRow&)>;

// Reads options.file (and options.guardians_file). Problems go to `problems`; rows with a
// problem are not kept. Throws Error(bad_input) for a file that is not CSV, has no header or
// whose header has problems (listed as "FILE:1: column: reason").
// With a sink and a row per pupil in one file, every row goes to the sink as soon as it is read
// and none is kept: memory does not grow with the file but for the codici fiscali seen. In the
// other layouts a pupil's row is complete only at the end, so rows are kept and given to the sink
// then, in the order first seen. Without a sink, the rows are returned in `rows`.
Sources read_sources(const ImportOptions& options, ProblemList& problems, const RowSink& sink = {});

} // namespace credenza::enrolment::detail
