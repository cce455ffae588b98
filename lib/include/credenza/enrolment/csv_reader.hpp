#pragma once
// Streaming reader for the enrolment CSV files that school registers export:
// comma, semicolon or tab separated, UTF-8 or Windows-1252, any line ending.

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace credenza::enrolment {

enum class Encoding { automatic, utf8, windows1252 };

struct CsvOptions
{
    char delimiter = '\0';                 // '\0': sniff ',' or ';' (or tab) from the first record line
    Encoding encoding = Encoding::automatic;
};

struct CsvRecord
{
    std::size_t line = 0;                  // 1-based physical line where the record starts
    std::vector<std::string> fields;       // always UTF-8
};

// Reads one record at a time with a fixed-size buffer, so memory does not grow with
// the file. RFC 4180 quoting; a quote inside an unquoted field is kept as a literal
// character (as spreadsheets write them). A UTF-8 BOM at the start is skipped, and
// so are lines that are empty or hold only spaces and tabs. Rows are returned with
// as many fields as they have: checking the count is the caller's job.
class CsvReader
{
public:
    // Throws Error(ErrorCode::no_input, "cannot open 'PATH': <strerror>").
    // With Encoding::automatic it first streams the file once to decide: valid UTF-8 -> utf8, else windows1252.
    explicit CsvReader(const std::filesystem::path& path, CsvOptions options = {});

    // The next record, false at the end. Throws Error(bad_input, "PATH:LINE: ...") for
    // malformed quoting, a record over 1 MiB, or bytes that are not UTF-8 when the
    // encoding is utf8.
    bool next(CsvRecord& record);

    char delimiter() const;                // the one in use (after sniffing)
    Encoding encoding() const;             // the one in use (after detection)
    const std::filesystem::path& path() const;

private:
    bool fill();                           // false at the end of the file
    int get();                             // next byte, or -1 at the end of the file
    int peek();
    [[noreturn]] void fail(std::size_t line, const std::string& reason) const;
    // Appends `field` to the record as its field number `count` (then incremented), reusing a string of it.
    void finish_field(CsvRecord& record, std::size_t& count, std::string& field, std::size_t line) const;

    std::filesystem::path m_path;
    std::ifstream m_file;
    std::vector<char> m_buffer;
    std::size_t m_position = 0;
    std::size_t m_end = 0;
    std::size_t m_line = 1;                // physical line of the next byte
    char m_delimiter = ',';
    Encoding m_encoding = Encoding::utf8;
    bool m_detected = false; // the encoding was found by reading the file, not given
    std::string m_field;                   // the field being read
};

// Every byte has a mapping. The five bytes Windows-1252 leaves undefined (0x81, 0x8D,
// 0x8F, 0x90, 0x9D) become the C1 control characters with the same value, as in the
// WHATWG Encoding Standard, so name checks reject them as control characters.
std::string windows1252_to_utf8(std::string_view text);

} // namespace credenza::enrolment
