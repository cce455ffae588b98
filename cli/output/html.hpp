#pragma once
// One self-contained, printable HTML page for the head teacher: inline CSS, no script, no
// external resource, every field escaped.

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <credenza/table.hpp>

namespace credenza::cli::output {


// A horizontal bar: `done` of `total` filled, with the numbers written beside it.
struct Bar
{
    std::string label;
    long long done = 0;
    long long total = 0;
};

struct HtmlSection
{
    std::string heading;
    std::string note; // a sentence under the heading, "" = none
    std::vector<Bar> bars;
    std::optional<Table> table; // every column of it, headed by the labels
    std::string empty_text; // "" = "nothing to show" in the reader's language
};

struct HtmlPage
{
    std::string title;
    std::string subtitle; // e.g. the school and the time of the report
    std::vector<HtmlSection> sections;
};

// One record as a two-column "field | value" table.
HtmlSection record_section(std::string heading, const Record& record);

void write_html(std::ostream& out, const HtmlPage& page);

} // namespace credenza::cli::output
