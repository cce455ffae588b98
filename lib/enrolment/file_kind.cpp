#include <credenza/enrolment/file_kind.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include <credenza/error.hpp>
#include "i18n/gettext.hpp"

namespace credenza::enrolment {

namespace {

constexpr std::size_t k_sniff_bytes = 4096;

bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

} // namespace

std::string not_csv_kind(std::string_view bytes)
{
    if (bytes.starts_with("PK\x03\x04")) {
        // A ZIP archive: the first entry names tell the workbook apart.
        if (contains(bytes, "application/vnd.oasis.opendocument.spreadsheet")) {
            return _("a LibreOffice Calc spreadsheet (.ods)");
        }
        if (contains(bytes, "xl/") || contains(bytes, "[Content_Types].xml")) {
            return _("an Excel workbook (.xlsx)");
        }
        return _("a ZIP archive");
    }
    if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
        return _("an Excel 97-2003 workbook (.xls)");
    }
    if (bytes.starts_with("%PDF")) {
        return _("a PDF document");
    }
    if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
        return _("a UTF-16 text (Excel's \"Unicode text\")");
    }
    // UTF-16 without a byte order mark: every other byte of ASCII text is zero.
    if (bytes.size() >= 4) {
        std::size_t zeros_even = 0;
        std::size_t zeros_odd = 0;
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            if (bytes[i] == '\0') {
                ++(i % 2 == 0 ? zeros_even : zeros_odd);
            }
        }
        if (zeros_even * 2 > bytes.size() / 2 || zeros_odd * 2 > bytes.size() / 2) {
            return _("a UTF-16 text (Excel's \"Unicode text\")");
        }
        if (zeros_even + zeros_odd > 0) {
            return _("a binary file");
        }
    }
    return {};
}

void require_csv_text(const std::filesystem::path& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw Error(ErrorCode::no_input, credenza::i18n::format(_fmt("cannot open '{}': {}"), path.string(), std::strerror(errno)));
    }
    std::string bytes(k_sniff_bytes, '\0');
    file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(file.gcount()));
    if (const auto kind = not_csv_kind(bytes); !kind.empty()) {
        throw Error(ErrorCode::bad_input, credenza::i18n::format(_fmt("'{}' is {}, not a CSV file"), path.string(), kind),
                    Hint::save_as_csv);
    }
}

} // namespace credenza::enrolment
