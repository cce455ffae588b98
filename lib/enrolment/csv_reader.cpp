// Streaming CSV reader: RFC 4180 quoting over a fixed-size buffer.

#include <credenza/enrolment/csv_reader.hpp>
#include <credenza/error.hpp>
#include <credenza/util/text.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include "i18n/gettext.hpp"

namespace credenza::enrolment {

namespace {

constexpr std::size_t k_buffer_bytes = 64 * 1024;
constexpr std::size_t k_max_record_bytes = 1024 * 1024;
constexpr std::string_view k_bom = "\xEF\xBB\xBF";

std::ifstream open_input(const std::filesystem::path& path)
{
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored)) {
        throw Error(ErrorCode::no_input,
                    credenza::i18n::format(_fmt("cannot open '{}': {}"), path.string(), std::strerror(EISDIR)));
    }
    errno = 0;
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        const int error = errno != 0 ? errno : ENOENT;
        throw Error(ErrorCode::no_input,
                    credenza::i18n::format(_fmt("cannot open '{}': {}"), path.string(), std::strerror(error)));
    }
    return file;
}

void check_read(const std::ifstream& file, const std::filesystem::path& path)
{
    if (file.bad()) {
        throw Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot read '{}': {}"), path.string(),
                                               std::strerror(errno != 0 ? errno : EIO)));
    }
}

// How many bytes at the end of a chunk start a UTF-8 sequence that the chunk cuts
// short; they are checked again with the next chunk.
std::size_t incomplete_tail(std::string_view chunk)
{
    const std::size_t limit = std::min<std::size_t>(chunk.size(), 3);
    for (std::size_t back = 1; back <= limit; ++back) {
        const auto byte = static_cast<unsigned char>(chunk[chunk.size() - back]);
        if ((byte & 0xC0) == 0x80) {
            continue; // a continuation byte: keep looking for the lead
        }
        std::size_t length = 1;
        if (byte >= 0xF0) {
            length = 4;
        } else if (byte >= 0xE0) {
            length = 3;
        } else if (byte >= 0xC0) {
            length = 2;
        }
        return length > back ? back : 0;
    }
    return 0;
}

// Whether the first byte beyond ASCII starts a UTF-8 character: then a byte that is not UTF-8
// comes after one written as UTF-8.
bool first_beyond_ascii_is_utf8(std::string_view text)
{
    const auto high =
        std::find_if(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    return high != text.end() && util::utf8_sequence_length(text, static_cast<std::size_t>(high - text.begin())) > 0;
}

// UTF-8 unless a byte is not UTF-8 before any character written as UTF-8: then Windows-1252. A byte
// that is not UTF-8 after an accented letter that is (a line pasted from another program into a
// UTF-8 file) is a stray in a UTF-8 file: read as UTF-8 it is reported at its own line, where read as
// Windows-1252 every accented letter of the file became two wrong characters and the errors fell on
// the lines that were right.
Encoding detect_encoding(const std::filesystem::path& path)
{
    std::ifstream file = open_input(path);
    std::array<char, k_buffer_bytes> buffer{};
    std::string carry;
    bool utf8_seen = false;
    for (;;) {
        file.read(buffer.data(), buffer.size());
        check_read(file, path);
        const auto count = static_cast<std::size_t>(file.gcount());
        if (count == 0) {
            break;
        }
        std::string chunk = carry;
        chunk.append(buffer.data(), count);
        const std::size_t tail = incomplete_tail(chunk);
        const std::string_view whole = std::string_view(chunk).substr(0, chunk.size() - tail);
        if (!util::is_valid_utf8(whole)) {
            return utf8_seen || first_beyond_ascii_is_utf8(whole) ? Encoding::utf8 : Encoding::windows1252;
        }
        utf8_seen = utf8_seen || std::any_of(whole.begin(), whole.end(),
                                             [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
        carry = chunk.substr(chunk.size() - tail);
    }
    return carry.empty() || utf8_seen ? Encoding::utf8 : Encoding::windows1252;
}

// Counts the candidates outside quotes on the first line that is not blank; the
// most frequent wins, ',' when there is none (a file of one column).
char sniff_delimiter(const std::filesystem::path& path)
{
    std::ifstream file = open_input(path);
    std::array<char, k_buffer_bytes> buffer{};
    std::size_t commas = 0, semicolons = 0, tabs = 0, seen = 0;
    bool in_quotes = false, at_start = true, line_has_text = false, decided = false;
    while (!decided) {
        file.read(buffer.data(), buffer.size());
        check_read(file, path);
        const auto count = static_cast<std::size_t>(file.gcount());
        if (count == 0) {
            break;
        }
        std::string_view chunk(buffer.data(), count);
        if (at_start && chunk.starts_with(k_bom)) {
            chunk.remove_prefix(k_bom.size());
        }
        at_start = false;
        for (const char c : chunk) {
            if (c == '"') {
                in_quotes = !in_quotes;
            } else if (!in_quotes && (c == '\n' || c == '\r')) {
                decided = line_has_text;
                if (decided) {
                    break;
                }
                commas = semicolons = tabs = 0;
            } else if (!in_quotes) {
                commas += c == ',';
                semicolons += c == ';';
                tabs += c == '\t';
            }
            line_has_text = line_has_text || (c != ' ' && c != '\t' && c != '\n' && c != '\r');
            decided = ++seen > k_max_record_bytes;
            if (decided) {
                break;
            }
        }
    }
    if (semicolons > commas && semicolons >= tabs) {
        return ';';
    }
    if (tabs > commas && tabs > semicolons) {
        return '\t';
    }
    return ',';
}

} // namespace

CsvReader::CsvReader(const std::filesystem::path& path, CsvOptions options)
    : m_path(path), m_file(open_input(path)), m_buffer(k_buffer_bytes)
{
    const char d = options.delimiter;
    if (d == '"' || d == '\n' || d == '\r') {
        throw Error(ErrorCode::usage, credenza::i18n::format(_fmt("a quote or a line break cannot be the delimiter of '{}'"),
                                                  path.string()));
    }
    m_detected = options.encoding == Encoding::automatic;
    m_encoding = m_detected ? detect_encoding(path) : options.encoding;
    m_delimiter = d == '\0' ? sniff_delimiter(path) : d;
    // A BOM is skipped whatever the encoding: "ï»¿" opening a register export is never meant.
    if (fill() && std::string_view(m_buffer.data(), m_end).starts_with(k_bom)) {
        m_position = k_bom.size();
    }
}

bool CsvReader::fill()
{
    m_file.read(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
    check_read(m_file, m_path);
    m_position = 0;
    m_end = static_cast<std::size_t>(m_file.gcount());
    return m_end > 0;
}

int CsvReader::get()
{
    if (m_position == m_end && !fill()) {
        return -1;
    }
    return static_cast<unsigned char>(m_buffer[m_position++]);
}

int CsvReader::peek()
{
    if (m_position == m_end && !fill()) {
        return -1;
    }
    return static_cast<unsigned char>(m_buffer[m_position]);
}

void CsvReader::fail(std::size_t line, const std::string& reason) const
{
    throw Error(ErrorCode::bad_input, fmt::format("{}:{}: {}", m_path.string(), line, reason));
}

void CsvReader::finish_field(CsvRecord& record, std::size_t& count, std::string& field, std::size_t line) const
{
    // The record's strings are reused from one record to the next (most fields of a register export
    // are longer than a string holds without allocating): the field is copied into one, not moved.
    std::string& slot = count < record.fields.size() ? record.fields[count] : record.fields.emplace_back();
    ++count;
    if (m_encoding == Encoding::windows1252) {
        slot = windows1252_to_utf8(field);
    } else if (std::all_of(field.begin(), field.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }) ||
               util::is_valid_utf8(field)) {
        slot.assign(field);
    } else if (m_detected) {
        // Found UTF-8 elsewhere in the file (detect_encoding): a stray byte, not a whole other encoding.
        fail(line, _("text is not valid UTF-8, though the rest of the file is: correct this line in the "
                     "register, or save the file again as UTF-8"));
    } else {
        fail(line, _("text is not valid UTF-8 (is the file in Windows-1252?)"));
    }
    field.clear();
}

bool CsvReader::next(CsvRecord& record)
{
    enum class State { field_start, unquoted, quoted, after_quote };
    const int delimiter = static_cast<unsigned char>(m_delimiter);
    // Appends to `field` the bytes of the buffer from the next one up to the first that `stops` (or
    // the end of the buffer: the loop reads on byte by byte), counted into `size`.
    const auto append_run = [this](std::string& field, std::size_t& size, std::size_t line, auto&& stops) {
        std::size_t run = m_position;
        while (run < m_end && !stops(m_buffer[run])) {
            ++run;
        }
        const std::size_t count = run - m_position;
        if (count == 0) {
            return;
        }
        size += count;
        if (size > k_max_record_bytes) {
            fail(line, "record longer than 1 MiB (is this a CSV file?)");
        }
        field.append(m_buffer.data() + m_position, count);
        m_position = run;
    };
    std::string& field = m_field; // kept, with its room, from one record to the next
    for (;;) {
        std::size_t count = 0; // fields of the record so far
        record.line = m_line;
        field.clear();
        std::size_t size = 0;
        std::size_t quote_line = 0;
        bool any_quoted = false;
        State state = State::field_start;
        bool done = false;
        while (!done) {
            const int c = get();
            if (c < 0 && size == 0) {
                record.fields.clear();
                return false;
            }
            if (c >= 0 && ++size > k_max_record_bytes) {
                fail(record.line, "record longer than 1 MiB (is this a CSV file?)");
            }
            const bool line_end = c == '\n' || c == '\r';
            if (line_end && state != State::quoted) {
                if (c == '\r' && peek() == '\n') {
                    get();
                }
                ++m_line;
            }
            switch (state) {
            case State::field_start:
            case State::unquoted:
                if (c < 0 || line_end) {
                    finish_field(record, count, field, record.line);
                    done = true;
                } else if (c == delimiter) {
                    finish_field(record, count, field, record.line);
                    state = State::field_start;
                } else if (c == '"' && state == State::field_start) {
                    state = State::quoted;
                    any_quoted = true;
                    quote_line = m_line;
                } else {
                    field += static_cast<char>(c);
                    state = State::unquoted;
                    // The rest of the field up to a delimiter or a line end, appended at once (byte by
                    // byte, reading was 8% of an import).
                    append_run(field, size, record.line,
                               [&](char b) { return b == m_delimiter || b == '\n' || b == '\r'; });
                }
                break;
            case State::quoted:
                if (c < 0) {
                    fail(quote_line, _("unterminated quoted field"));
                } else if (c == '"') {
                    state = State::after_quote;
                } else {
                    field += static_cast<char>(c);
                    if (c == '\n' || (c == '\r' && peek() != '\n')) {
                        ++m_line;
                    }
                    append_run(field, size, record.line, [](char b) { return b == '"' || b == '\n' || b == '\r'; });
                }
                break;
            case State::after_quote:
                if (c == '"') {
                    field += '"';
                    state = State::quoted;
                } else if (c < 0 || line_end) {
                    finish_field(record, count, field, record.line);
                    done = true;
                } else if (c == delimiter) {
                    finish_field(record, count, field, record.line);
                    state = State::field_start;
                } else {
                    fail(m_line, _("text after a closing quote"));
                }
                break;
            }
        }
        record.fields.resize(count);
        const bool blank = record.fields.size() == 1 && !any_quoted &&
                           record.fields[0].find_first_not_of(" \t") == std::string::npos;
        if (!blank) {
            return true;
        }
    }
}

char CsvReader::delimiter() const
{
    return m_delimiter;
}

Encoding CsvReader::encoding() const
{
    return m_encoding;
}

const std::filesystem::path& CsvReader::path() const
{
    return m_path;
}

} // namespace credenza::enrolment
