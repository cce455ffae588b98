#include <credenza/mail/transport.hpp>

#include <credenza/error.hpp>
#include <credenza/util/files.hpp>
#include <credenza/util/text.hpp>

#include "random.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "i18n/gettext.hpp"

namespace credenza::mail {

namespace {

[[noreturn]] void throw_io(std::string_view what, const std::filesystem::path& path, int error_number)
{
    throw Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot {} '{}': {}"), what, path.string(), std::strerror(error_number)));
}

void ensure_directory(const std::filesystem::path& outbox)
{
    std::error_code error;
    const auto parent = outbox.parent_path();
    if (!parent.empty() && !std::filesystem::exists(std::filesystem::symlink_status(outbox, error))) {
        std::filesystem::create_directories(parent, error);
        if (error) {
            throw Error(ErrorCode::cannot_create,
                        credenza::i18n::format(_fmt("cannot create outbox '{}': {}"), outbox.string(), error.message()));
        }
    }
    // The letters hold passwords and PINs: nobody but the owner may list or read them.
    if (::mkdir(outbox.c_str(), 0700) != 0 && errno != EEXIST) {
        throw Error(ErrorCode::cannot_create,
                    credenza::i18n::format(_fmt("cannot create outbox '{}': {}"), outbox.string(), std::strerror(errno)));
    }
    // Opened without following a symbolic link, and checked on the open directory: a link or a
    // directory planted by another user (when run as root, say) is refused, never written into.
    const util::FileDescriptor fd(::open(outbox.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) {
        const int open_error = errno;
        throw Error(ErrorCode::cannot_create,
                    credenza::i18n::format(_fmt("cannot create outbox '{}': {}"), outbox.string(),
                                open_error == ELOOP || open_error == ENOTDIR
                                    ? _("it exists and is not a directory (a symbolic link is refused)")
                                    : std::strerror(open_error)));
    }
    struct stat status{};
    if (::fstat(fd.get(), &status) != 0 || status.st_uid != ::geteuid()) {
        throw Error(ErrorCode::permission,
                    credenza::i18n::format(_fmt("outbox '{}' belongs to another user: refusing to write letters into it"),
                                outbox.string()));
    }
    // mkdir's mode passes through the umask; say exactly what we mean.
    if ((status.st_mode & 07777) != 0700 && ::fchmod(fd.get(), 0700) != 0) {
        throw Error(ErrorCode::cannot_create,
                    credenza::i18n::format(_fmt("cannot create outbox '{}': {}"), outbox.string(), std::strerror(errno)));
    }
}

// "20250213T102030.123456Z-1a2b3c4d": sorts by time, unique across processes.
std::string time_stamp()
{
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}.{:06}Z-{}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                       utc.tm_hour, utc.tm_min, utc.tm_sec, micros, detail::random_hex(4));
}

// ASCII letters and digits as they are, accented letters folded ("ò" -> "o"), apostrophes dropped
// ("D'Angelo" -> "DAngelo"), anything else one '-'; at most 40 characters, no '-' at either end.
std::string file_name_part(std::string_view text)
{
    std::string out;
    std::size_t position = 0;
    while (position < text.size() && out.size() < 40) {
        const char32_t code_point = util::next_code_point(text, position);
        const bool ascii_alnum = (code_point >= 'a' && code_point <= 'z') || (code_point >= 'A' && code_point <= 'Z')
                              || (code_point >= '0' && code_point <= '9');
        if (ascii_alnum) {
            out += static_cast<char>(code_point);
        } else if (code_point == '\'' || code_point == U'\u2019') {
            continue;
        } else if (const auto folded = util::fold_accent(code_point); !folded.empty()) {
            out += folded;
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    return out;
}

// One index field: never a tab or a line break inside.
std::string index_field(std::string_view text)
{
    std::string out(text);
    for (char& character : out) {
        if (util::is_ascii_control(character)) {
            character = ' ';
        }
    }
    return out;
}

} // namespace

std::string outbox_name_stem(const LetterLabel& label)
{
    std::string stem;
    for (const auto& part : {label.class_name, label.surname, label.user_code}) {
        const std::string safe = file_name_part(part);
        if (!safe.empty()) {
            stem += stem.empty() ? "" : "_";
            stem += safe;
        }
    }
    return stem;
}

DirectoryTransport::DirectoryTransport(std::filesystem::path outbox) : m_outbox(std::move(outbox))
{
    ensure_directory(m_outbox);
}

Delivery DirectoryTransport::deliver(const Envelope& envelope, std::string_view message)
{
    ensure_directory(m_outbox);
    const std::string stem = outbox_name_stem(envelope.label);
    const std::string stamp = time_stamp();
    const std::string name = (stem.empty() ? "" : stem + "_") + stamp + ".eml";
    const auto final_path = m_outbox / name;
    const auto temporary_path = m_outbox / ("." + name + ".tmp");

    const auto write = [](const std::filesystem::path& path, std::string_view data,
                          const std::filesystem::path& temporary) {
        try {
            util::atomic_write(path, data, 0600, temporary);
        } catch (const util::FileError& error) {
            // Creation failing here is an I/O error like any other: the outbox itself was made above.
            if (error.step() == util::FileError::Step::create) {
                throw_io(_("create"), temporary, error.error_number());
            }
            if (error.step() == util::FileError::Step::open) {
                throw_io(_("sync"), error.path(), error.error_number());
            }
            throw;
        }
    };
    write(final_path, message, temporary_path);

    if (m_index_path.empty()) {
        m_index_path = m_outbox / ("index-" + stamp + ".tsv");
        m_index = "file\tuser_code\tkind\tsurname\tclass\taddress\n";
    }
    const auto& label = envelope.label;
    m_index += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", name, index_field(label.user_code), index_field(label.kind),
                           index_field(label.surname), index_field(label.class_name), index_field(envelope.to));
    // The whole index again under a temporary name, then renamed: a reader never sees half of it.
    // Not fsynced (that would double the cost of a letter): after a power cut it may lack the last
    // letters, which are durable themselves.
    const auto index_temporary = m_outbox / ("." + m_index_path.filename().string() + ".tmp");
    {
        util::FileDescriptor fd = util::create_exclusive(index_temporary, 0600);
        try {
            util::write_all(fd.get(), m_index, index_temporary);
        } catch (...) {
            ::unlink(index_temporary.c_str());
            throw;
        }
        if (fd.close() != 0) {
            const int error = errno;
            ::unlink(index_temporary.c_str());
            throw_io(_("close"), index_temporary, error);
        }
    }
    if (::rename(index_temporary.c_str(), m_index_path.c_str()) != 0) {
        const int error = errno;
        ::unlink(index_temporary.c_str());
        throw_io(_("rename"), index_temporary, error);
    }
    return Delivery{Outcome::sent, 0, final_path.string(), ""};
}

} // namespace credenza::mail
