#include <doctest/doctest.h>

#include <string>

#include <credenza/enrolment/file_kind.hpp>

using credenza::enrolment::not_csv_kind;
using namespace std::string_literals;

TEST_CASE("file kind: workbooks, PDF and UTF-16 are told apart by their first bytes")
{
    CHECK(not_csv_kind("PK\x03\x04...[Content_Types].xml...xl/workbook.xml"s) == "an Excel workbook (.xlsx)");
    CHECK(not_csv_kind("PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet"s) ==
          "a LibreOffice Calc spreadsheet (.ods)");
    CHECK(not_csv_kind("PK\x03\x04other"s) == "a ZIP archive");
    CHECK(not_csv_kind("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0"s) == "an Excel 97-2003 workbook (.xls)");
    CHECK(not_csv_kind("%PDF-1.7\n"s) == "a PDF document");
    CHECK(not_csv_kind("\xFF\xFE" "C\0o\0"s).starts_with("a UTF-16 text"));
    CHECK(not_csv_kind("C\0o\0d\0i\0c\0e\0"s).starts_with("a UTF-16 text"));
    CHECK(not_csv_kind("ab\0cdefgh"s) == "a binary file");
}

TEST_CASE("file kind: CSV text, Windows-1252 or with a UTF-8 byte order mark, is CSV")
{
    CHECK(not_csv_kind("Codice Fiscale;Cognome\r\n").empty());
    CHECK(not_csv_kind("\xEF\xBB\xBFstudent_tax_code,class\n").empty());
    CHECK(not_csv_kind("Luc\xE0;Mattia\n").empty());
    CHECK(not_csv_kind("").empty());
}
