#include <credenza/table.hpp>

#include <fmt/format.h>

#include <credenza/error.hpp>
#include "i18n/gettext.hpp"

namespace credenza {

Table& Table::add_column(std::string key, std::string label, Detail detail)
{
    if (!m_rows.empty()) {
        throw Error(ErrorCode::internal, credenza::i18n::format(_fmt("column '{}' added to a table that has rows"), key));
    }
    m_columns.push_back({std::move(key), std::move(label), detail});
    return *this;
}

Table& Table::add_row(Row row)
{
    if (row.size() != m_columns.size()) {
        throw Error(ErrorCode::internal,
                    credenza::i18n::format(_fmt("a row of {} cells in a table of {} columns"), row.size(), m_columns.size()));
    }
    m_rows.push_back(std::move(row));
    return *this;
}

Table Table::view(Detail detail) const&
{
    return Table(*this).view(detail);
}

Table Table::view(Detail detail) &&
{
    std::vector<std::size_t> kept;
    Table shown;
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        if (m_columns[c].detail <= detail) {
            kept.push_back(c);
            shown.m_columns.push_back(m_columns[c]);
        }
    }
    if (kept.size() == m_columns.size()) {
        shown.m_rows = std::move(m_rows);
        return shown;
    }
    shown.m_rows.reserve(m_rows.size());
    for (auto& row : m_rows) {
        Row cells;
        cells.reserve(kept.size());
        for (const auto c : kept) {
            cells.push_back(std::move(row[c]));
        }
        shown.m_rows.push_back(std::move(cells));
    }
    return shown;
}

std::optional<std::size_t> Table::index_of(std::string_view key) const
{
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        if (m_columns[c].key == key) {
            return c;
        }
    }
    return std::nullopt;
}

const Value* Table::find(std::size_t row, std::string_view key) const
{
    const auto column = index_of(key);
    if (!column || row >= m_rows.size() || !m_rows[row][*column]) {
        return nullptr;
    }
    return &*m_rows[row][*column];
}

// Out of line: inlined into long chains of add() calls, GCC 12 at -O2 reports false
// -Warray-bounds errors on the moved strings.
Record& Record::add(std::string key, Value value)
{
    fields.emplace_back(std::move(key), std::move(value));
    return *this;
}

const Value* Record::find(std::string_view key) const
{
    for (const auto& [name, value] : fields) {
        if (name == key) {
            return &value;
        }
    }
    return nullptr;
}

std::string to_text(const Value& value)
{
    struct Visitor
    {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(bool b) const { return b ? "yes" : "no"; }
        std::string operator()(long long n) const { return std::to_string(n); }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(const std::vector<std::string>& list) const
        {
            return fmt::format("{}", fmt::join(list, " "));
        }
    };
    return std::visit(Visitor{}, value);
}

} // namespace credenza
