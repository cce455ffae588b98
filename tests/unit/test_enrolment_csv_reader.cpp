#include <credenza/enrolment/csv_reader.hpp>
#include <credenza/error.hpp>
#include <credenza/util/text.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace credenza::enrolment;
using credenza::Error;
using credenza::ErrorCode;

namespace {

// A file in the temporary directory, removed when the test ends.
class TempCsv
{
public:
    explicit TempCsv(const std::string& bytes)
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "credenza_csv_XXXXXX").string();
        const int fd = mkstemp(pattern.data());
        REQUIRE(fd >= 0);
        close(fd);
        m_path = pattern;
        std::ofstream(m_path, std::ios::binary) << bytes;
    }
    ~TempCsv() { std::filesystem::remove(m_path); }
    TempCsv(const TempCsv&) = delete;
    TempCsv& operator=(const TempCsv&) = delete;

    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

std::vector<CsvRecord> read_all(const std::filesystem::path& path, CsvOptions options = {})
{
    CsvReader reader(path, options);
    std::vector<CsvRecord> records;
    CsvRecord record;
    while (reader.next(record)) {
        records.push_back(record);
    }
    return records;
}

using Fields = std::vector<std::string>;

std::string error_message(const std::filesystem::path& path, CsvOptions options = {})
{
    try {
        read_all(path, options);
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::bad_input);
        return e.what();
    }
    return "no error";
}

const std::filesystem::path k_data = CREDENZA_TEST_DATA;

} // namespace

TEST_CASE("csv: plain records come back with their fields and line numbers")
{
    TempCsv file("a,b,c\n1,2,3\n4,,6\n");
    CsvReader reader(file.path());
    CHECK(reader.delimiter() == ',');
    CHECK(reader.encoding() == Encoding::utf8);
    CHECK(reader.path() == file.path());
    CsvRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.line == 1);
    CHECK(record.fields == Fields{"a", "b", "c"});
    REQUIRE(reader.next(record));
    CHECK(record.line == 2);
    CHECK(record.fields == Fields{"1", "2", "3"});
    REQUIRE(reader.next(record));
    CHECK(record.line == 3);
    CHECK(record.fields == Fields{"4", "", "6"});
    CHECK_FALSE(reader.next(record));
    CHECK_FALSE(reader.next(record));
}

TEST_CASE("csv: the last record needs no line break, and an empty file has no records")
{
    TempCsv file("a,b\n1,2");
    const auto records = read_all(file.path());
    REQUIRE(records.size() == 2);
    CHECK(records[1].fields == Fields{"1", "2"});
    TempCsv empty("");
    CHECK(read_all(empty.path()).empty());
    TempCsv trailing_comma("a,b,\n");
    CHECK(read_all(trailing_comma.path())[0].fields == Fields{"a", "b", ""});
}

TEST_CASE("csv: quoted fields keep delimiters, doubled quotes and line breaks")
{
    TempCsv file("name,note\n\"Rossi, Mario\",\"detto \"\"il Rosso\"\"\"\n\"two\nlines\",x\nnext,row\n");
    const auto records = read_all(file.path());
    REQUIRE(records.size() == 4);
    CHECK(records[1].fields == Fields{"Rossi, Mario", "detto \"il Rosso\""});
    CHECK(records[2].line == 3);
    CHECK(records[2].fields == Fields{"two\nlines", "x"});
    CHECK(records[3].line == 5); // the line break inside quotes counts
    CHECK(records[3].fields == Fields{"next", "row"});
}

TEST_CASE("csv: an empty quoted field and a stray quote inside an unquoted field")
{
    TempCsv file("\"\",a\"b,\"\"\"\"\n");
    const auto records = read_all(file.path());
    REQUIRE(records.size() == 1);
    CHECK(records[0].fields == Fields{"", "a\"b", "\""});
}

TEST_CASE("csv: a UTF-8 byte order mark is skipped")
{
    TempCsv file("\xEF\xBB\xBFstudent_tax_code;class\nRSSMRA80A01H501U;1A\n");
    CsvReader reader(file.path());
    CHECK(reader.delimiter() == ';');
    CHECK(reader.encoding() == Encoding::utf8);
    CsvRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.fields == Fields{"student_tax_code", "class"});
}

TEST_CASE("csv: CRLF and CR line ends end records and count as one line")
{
    TempCsv crlf("a,b\r\n1,\"x\r\ny\"\r\n2,3\r\n");
    const auto records = read_all(crlf.path());
    REQUIRE(records.size() == 3);
    CHECK(records[0].fields == Fields{"a", "b"});
    CHECK(records[1].fields == Fields{"1", "x\r\ny"});
    CHECK(records[2].line == 4);
    CHECK(records[2].fields == Fields{"2", "3"});

    TempCsv cr("a,b\r1,2\r\r3,4");
    const auto old_mac = read_all(cr.path());
    REQUIRE(old_mac.size() == 3);
    CHECK(old_mac[1].fields == Fields{"1", "2"});
    CHECK(old_mac[2].line == 4);
}

TEST_CASE("csv: blank lines are skipped and still counted")
{
    TempCsv file("\n\na,b\n\n   \n1,2\n\t\n\n");
    const auto records = read_all(file.path());
    REQUIRE(records.size() == 2);
    CHECK(records[0].line == 3);
    CHECK(records[1].line == 6);
    CHECK(records[1].fields == Fields{"1", "2"});
}

TEST_CASE("csv: rows of delimiters only are returned, not skipped")
{
    TempCsv file("a,b\n,\n");
    const auto records = read_all(file.path());
    REQUIRE(records.size() == 2);
    CHECK(records[1].fields == Fields{"", ""});
}

TEST_CASE("csv: ragged rows are returned as they are")
{
    TempCsv file("a,b,c\n1\n1,2,3,4\n");
    const auto records = read_all(file.path());
    REQUIRE(records.size() == 3);
    CHECK(records[1].fields == Fields{"1"});
    CHECK(records[2].fields == Fields{"1", "2", "3", "4"});
}

TEST_CASE("csv: a record read into the strings of the one before keeps nothing of it")
{
    // One CsvRecord for every record (as the import reads): its strings are reused, longer and shorter.
    const std::string long_a = "giorgia.dangelo.with.a.long.address@itisvallauri.edu.it";
    const std::string long_b = "RSSMRA80A01H501U-and-more-than-a-short-string";
    TempCsv file(long_a + "," + long_b + ",\"" + long_b + ", quoted\"\nx\n   \n,\"\"," + long_a + "\nshort,y\n");
    CsvReader reader(file.path());
    CsvRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.fields == Fields{long_a, long_b, long_b + ", quoted"});
    REQUIRE(reader.next(record));
    CHECK(record.fields == Fields{"x"});
    CHECK(record.line == 2);
    REQUIRE(reader.next(record)); // the blank line 3 is skipped
    CHECK(record.fields == Fields{"", "", long_a});
    CHECK(record.line == 4);
    REQUIRE(reader.next(record));
    CHECK(record.fields == Fields{"short", "y"});
    CHECK_FALSE(reader.next(record));
}

TEST_CASE("csv: a Windows-1252 record read into the strings of the one before is converted whole")
{
    TempCsv file("caf\xE9 della scuola media statale,b\nNicol\xF2\n");
    CsvReader reader(file.path(), {',', Encoding::windows1252});
    CsvRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.fields == Fields{"caf\xC3\xA9 della scuola media statale", "b"});
    REQUIRE(reader.next(record));
    CHECK(record.fields == Fields{"Nicol\xC3\xB2"});
}

TEST_CASE("csv: the delimiter is sniffed from the first record line")
{
    TempCsv semicolons("Cognome;Nome;Classe\nRossi, detto Bianchi;Mario;1A\n");
    CsvReader semicolon_reader(semicolons.path());
    CHECK(semicolon_reader.delimiter() == ';');
    CsvRecord record;
    REQUIRE(semicolon_reader.next(record));
    REQUIRE(semicolon_reader.next(record));
    CHECK(record.fields == Fields{"Rossi, detto Bianchi", "Mario", "1A"});

    TempCsv tabs("a\tb\tc\n1\t2\t3\n");
    CHECK(CsvReader(tabs.path()).delimiter() == '\t');

    TempCsv quoted("\"a;b;c\",d,e\n");
    CHECK(CsvReader(quoted.path()).delimiter() == ',');

    TempCsv after_blank("\n\na;b\n");
    CHECK(CsvReader(after_blank.path()).delimiter() == ';');

    TempCsv one_column("codice\nx\n");
    CHECK(CsvReader(one_column.path()).delimiter() == ',');
}

TEST_CASE("csv: an explicit delimiter overrides sniffing")
{
    TempCsv file("a;b,c\n");
    CsvOptions options;
    options.delimiter = ',';
    const auto records = read_all(file.path(), options);
    CHECK(records[0].fields == Fields{"a;b", "c"});
    options.delimiter = '"';
    CHECK_THROWS_AS(CsvReader(file.path(), options), Error);
}

TEST_CASE("csv: a Windows-1252 file is detected and converted to UTF-8")
{
    TempCsv file("Piet\xE0;D\x92" "Angelo;\x80;Cant\xF9;Zo\xEB\r\n");
    CsvReader reader(file.path());
    CHECK(reader.encoding() == Encoding::windows1252);
    CsvRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.fields == Fields{"Pietà", "D’Angelo", "€", "Cantù", "Zoë"});
}

TEST_CASE("csv: a UTF-8 character split across the read buffer does not look like Windows-1252")
{
    std::string text = "a\n" + std::string(64 * 1024 - 3, 'x'); // "à" straddles byte 65536
    text += "à\n";
    TempCsv file(text);
    CsvReader reader(file.path());
    CHECK(reader.encoding() == Encoding::utf8);
    CsvRecord record;
    REQUIRE(reader.next(record));
    REQUIRE(reader.next(record));
    CHECK(record.fields[0].ends_with("xà"));
}

TEST_CASE("csv: a file cut in the middle of a UTF-8 character is Windows-1252")
{
    TempCsv file("abc\xC3");
    CHECK(CsvReader(file.path()).encoding() == Encoding::windows1252);
}

TEST_CASE("csv: a stray byte in a UTF-8 file is reported at its own line, the file read as UTF-8")
{
    // "Cantù" written as UTF-8 on line 2, then a lone Windows-1252 "ù" on line 4: read as
    // Windows-1252, line 2 would become "CantÃ¹" and the stray would pass as a letter.
    TempCsv file("nome\nCant\xC3\xB9\nRossi\nPeric\xF9\nBianchi\n");
    CsvReader reader(file.path());
    CHECK(reader.encoding() == Encoding::utf8);
    CHECK(error_message(file.path()) == file.path().string() +
                                            ":4: text is not valid UTF-8, though the rest of the file is: correct "
                                            "this line in the register, or save the file again as UTF-8");
    // The same stray past the first read buffer, after a buffer of UTF-8: still UTF-8.
    std::string long_text = "nome\n";
    while (long_text.size() < 70 * 1024) {
        long_text += "Nicol\xC3\xB2\n";
    }
    TempCsv long_file(long_text + "Peric\xF9\n");
    CHECK(CsvReader(long_file.path()).encoding() == Encoding::utf8);
    // A byte that is not UTF-8 before any that is: the file is Windows-1252, read whole as such.
    TempCsv windows("nome\nPeric\xF9\nCant\xC3\xB9\n");
    CHECK(CsvReader(windows.path()).encoding() == Encoding::windows1252);
}

TEST_CASE("csv: an explicit encoding is used as given")
{
    TempCsv file("nome\nPiet\xE0\n");
    CsvOptions options;
    options.encoding = Encoding::utf8;
    CHECK(error_message(file.path(), options) ==
          file.path().string() + ":2: text is not valid UTF-8 (is the file in Windows-1252?)");

    TempCsv utf8("nome\nPietà\n");
    options.encoding = Encoding::windows1252;
    const auto records = read_all(utf8.path(), options);
    CHECK(records[1].fields == Fields{"PietÃ\u00a0"});
}

TEST_CASE("csv: an unterminated quoted field is reported at the line where it opens")
{
    TempCsv file("a,b\n1,2\n3,\"open\nstill open\n");
    CHECK(error_message(file.path()) == file.path().string() + ":3: unterminated quoted field");
}

TEST_CASE("csv: text after a closing quote is reported with its line")
{
    TempCsv file("a,b\n\"x\ny\"z,1\n");
    CHECK(error_message(file.path()) == file.path().string() + ":3: text after a closing quote");
}

TEST_CASE("csv: a record over 1 MiB is refused")
{
    TempCsv file("a,b\n" + std::string(1024 * 1024 + 1, 'x') + "\n");
    CHECK(error_message(file.path()) ==
          file.path().string() + ":2: record longer than 1 MiB (is this a CSV file?)");
}

TEST_CASE("csv: fields longer than the read buffer come back whole, quoted or not, with their line breaks")
{
    // Fields are read by runs of bytes up to a delimiter, a quote or a line end: a run stops at the
    // end of the 64 KiB buffer and goes on after it is filled again.
    const std::string unquoted(70000, 'u');
    const std::string quoted_head(40000, 'q');
    const std::string quoted_tail(40000, 'r');
    TempCsv file("a,b,c\n" + unquoted + ",\"" + quoted_head + "\n" + quoted_tail + "\"\"x\",end\nlast,1,2\n");
    const auto records = read_all(file.path());
    REQUIRE(records.size() == 3);
    CHECK(records[1].fields == Fields{unquoted, quoted_head + "\n" + quoted_tail + "\"x", "end"});
    CHECK(records[1].line == 2);
    CHECK(records[2].fields == Fields{"last", "1", "2"});
    CHECK(records[2].line == 4);
}

TEST_CASE("csv: a missing file is no_input with the system's reason")
{
    const std::filesystem::path missing = std::filesystem::temp_directory_path() / "credenza_no_such_file.csv";
    try {
        CsvReader reader(missing);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::no_input);
        CHECK(std::string(e.what()) == "cannot open '" + missing.string() + "': No such file or directory");
    }
    try {
        CsvReader reader(std::filesystem::temp_directory_path());
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::no_input);
        CHECK(std::string(e.what()).ends_with("': Is a directory"));
    }
}

TEST_CASE("csv: a big file streams record by record")
{
    std::string text = "student_tax_code,student_surname,student_name,class\n";
    constexpr std::size_t k_rows = 200000;
    text.reserve(k_rows * 40);
    for (std::size_t i = 0; i < k_rows; ++i) {
        text += "RSSMRA80A01H501U,Rossi,\"Mario, " + std::to_string(i) + "\",1A\n";
    }
    TempCsv file(text);
    text.clear();
    CsvReader reader(file.path());
    CsvRecord record;
    std::size_t count = 0;
    std::size_t last_line = 0;
    while (reader.next(record)) {
        ++count;
        last_line = record.line;
    }
    CHECK(count == k_rows + 1);
    CHECK(last_line == k_rows + 1);
    CHECK(record.fields.empty());
}

TEST_CASE("encoding: Windows-1252 converts every byte to valid UTF-8")
{
    CHECK(windows1252_to_utf8("\xE0") == "à");
    CHECK(windows1252_to_utf8("\x92") == "’");
    CHECK(windows1252_to_utf8("\x80") == "€");
    CHECK(windows1252_to_utf8("\x8A\x9A\x9F") == "ŠšŸ");
    CHECK(windows1252_to_utf8("\xA0\xFF") == "\u00a0ÿ");
    CHECK(windows1252_to_utf8("plain ASCII") == "plain ASCII");
    for (int byte = 0; byte < 256; ++byte) {
        const std::string one(1, static_cast<char>(byte));
        CAPTURE(byte);
        CHECK(credenza::util::is_valid_utf8(windows1252_to_utf8(one)));
    }
}

TEST_CASE("encoding: the five undefined Windows-1252 bytes become C1 control characters")
{
    CHECK(windows1252_to_utf8("\x81") == "\xC2\x81");
    CHECK(windows1252_to_utf8("\x8D") == "\xC2\x8D");
    CHECK(windows1252_to_utf8("\x8F") == "\xC2\x8F");
    CHECK(windows1252_to_utf8("\x90") == "\xC2\x90");
    CHECK(windows1252_to_utf8("\x9D") == "\xC2\x9D");
}

TEST_CASE("csv: the sample enrolment file reads as 13 records of 14 fields")
{
    const auto records = read_all(k_data / "enrolment_2025.csv");
    REQUIRE(records.size() == 13);
    for (const auto& record : records) {
        CHECK(record.fields.size() == 14);
    }
    CHECK(records[1].fields[2] == "Nicolò");
}

TEST_CASE("csv: the register export is Windows-1252 with semicolons and a quoted note")
{
    CsvReader reader(k_data / "registro_export.csv");
    CHECK(reader.delimiter() == ';');
    CHECK(reader.encoding() == Encoding::windows1252);
    std::vector<CsvRecord> records;
    CsvRecord record;
    while (reader.next(record)) {
        records.push_back(record);
    }
    REQUIRE(records.size() == 7);
    CHECK(records[0].fields.front() == "Codice Fiscale");
    CHECK(records[1].fields[1] == "Lucà");
    CHECK(records[1].fields[11] == "D’Amico");
    CHECK(records[1].fields[4] == "3B");
    CHECK(records[5].fields[14] == "Richiesta colloquio; contattare la madre");
    CHECK(records[6].line == 7);
}

TEST_CASE("csv: the control character sample keeps the record with a line break on line 4")
{
    const auto records = read_all(k_data / "control_characters.csv");
    REQUIRE(records.size() == 5);
    CHECK(records[2].line == 3);
    CHECK(records[2].fields[2] == "Anna\tMaria");
    CHECK(records[3].line == 4);
    CHECK(records[3].fields[1] == "D'Angelo\nBianchi");
    CHECK(records[4].line == 6);
}
