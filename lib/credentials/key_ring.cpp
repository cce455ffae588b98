#include <credenza/credentials/key_ring.hpp>

#include <credenza/credentials/random.hpp>
#include <credenza/credentials/secret.hpp>
#include <credenza/error.hpp>
#include <credenza/util/files.hpp>

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "i18n/gettext.hpp"

namespace credenza::credentials {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_magic = "credenza-pepper-v1";
constexpr std::string_view k_header = "# credenza pepper keys: keep this file out of database backups\n";
constexpr std::string_view k_id_label = "credenza-pepper-id";
constexpr std::size_t k_key_bytes = crypto_auth_hmacsha256_KEYBYTES;
constexpr std::size_t k_key_hex = 2 * k_key_bytes;
constexpr std::size_t k_id_bytes = 4;
constexpr off_t k_max_file_size = 1024 * 1024;

static_assert(k_key_bytes == 32);

std::string quoted(const fs::path& path)
{
    return fmt::format("'{}'", path.string());
}

Error read_error(const fs::path& path, std::string_view cause)
{
    return Error(ErrorCode::config, credenza::i18n::format(_fmt("cannot read key file {}: {}"), quoted(path), cause));
}

std::string fingerprint(const unsigned char* key)
{
    crypto_hash_sha256_state state;
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_init(&state);
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(k_id_label.data()),
                              k_id_label.size());
    crypto_hash_sha256_update(&state, key, k_key_bytes);
    crypto_hash_sha256_final(&state, digest.data());
    sodium_memzero(&state, sizeof state);
    std::array<char, 2 * k_id_bytes + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), k_id_bytes);
    return std::string(hex.data(), 2 * k_id_bytes);
}

void append(Secret& out, std::string_view text)
{
    for (const char c : text) {
        out.push_back(c);
    }
}

// Appends "credenza-pepper-v1 ID HEX\n" for a fresh random key whose id is not in `taken`.
void append_new_key(Secret& out, const std::vector<std::string>& taken)
{
    std::array<unsigned char, k_key_bytes> key{};
    std::string id;
    do {
        randombytes_buf(key.data(), key.size());
        id = fingerprint(key.data());
    } while (std::find(taken.begin(), taken.end(), id) != taken.end());
    std::array<char, k_key_hex + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
    sodium_memzero(key.data(), key.size());
    append(out, k_magic);
    append(out, " ");
    append(out, id);
    append(out, " ");
    append(out, std::string_view(hex.data(), k_key_hex));
    append(out, "\n");
    sodium_memzero(hex.data(), hex.size());
}

Secret read_key_file(const fs::path& path)
{
    const util::FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        throw read_error(path, std::strerror(errno));
    }
    struct stat status{};
    if (::fstat(fd.get(), &status) != 0) {
        throw read_error(path, std::strerror(errno));
    }
    if (!S_ISREG(status.st_mode)) {
        throw read_error(path, "not a regular file");
    }
    // Checked on the open file, so the file cannot be swapped between check and read.
    if ((status.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        throw Error(ErrorCode::permission,
                    credenza::i18n::format(_fmt("key file {} is readable by other users: chmod 600 {}"), quoted(path),
                                quoted(path)));
    }
    if (status.st_size > k_max_file_size) {
        throw read_error(path, "too large for a key file");
    }
    std::string buffer(static_cast<std::size_t>(status.st_size), '\0');
    std::size_t done = 0;
    while (done < buffer.size()) {
        const ssize_t got = ::read(fd.get(), buffer.data() + done, buffer.size() - done);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            const int error = errno;
            Secret wipe_me(std::move(buffer));
            throw read_error(path, std::strerror(error));
        }
        if (got == 0) {
            break;
        }
        done += static_cast<std::size_t>(got);
    }
    buffer.resize(done);
    return Secret(std::move(buffer));
}

bool is_key_line(std::string_view line)
{
    const auto first = line.find_first_not_of(" \t\r");
    return first != std::string_view::npos && line[first] != '#';
}

std::vector<std::string_view> split_fields(std::string_view line)
{
    std::vector<std::string_view> fields;
    std::size_t pos = 0;
    while (pos < line.size()) {
        const auto start = line.find_first_not_of(" \t\r", pos);
        if (start == std::string_view::npos) {
            break;
        }
        const auto end = std::min(line.find_first_of(" \t\r", start), line.size());
        fields.push_back(line.substr(start, end - start));
        pos = end;
    }
    return fields;
}

template <typename Function>
void for_each_line(std::string_view text, Function function)
{
    std::size_t number = 1;
    while (!text.empty()) {
        const auto end = std::min(text.find('\n'), text.size());
        function(number, text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        ++number;
    }
}

Error sync_error(const util::FileError& error)
{
    return Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot sync directory {}: {}"), quoted(error.path()), error.cause()));
}

// The messages of a key file that cannot be created or written, whichever step failed.
Error write_error(const util::FileError& error)
{
    const fs::path& path = error.path();
    if (error.already_exists()) {
        return Error(ErrorCode::cannot_create, credenza::i18n::format(_fmt("key file {} already exists"), quoted(path)));
    }
    if (error.step() == util::FileError::Step::create) {
        return Error(ErrorCode::cannot_create, credenza::i18n::format(_fmt("cannot create key file {}: {}"), quoted(path), error.cause()));
    }
    return Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot write key file {}: {}"), quoted(path), error.cause()));
}

} // namespace

void KeyRing::create(const fs::path& path)
{
    ensure_sodium();
    Secret content;
    append(content, k_header);
    append_new_key(content, {});
    try {
        util::write_new_file(path, content.view(), S_IRUSR | S_IWUSR);
    } catch (const util::FileError& error) {
        throw write_error(error);
    }
    try {
        util::fsync_directory(util::directory_of(path));
    } catch (const util::FileError& error) {
        throw sync_error(error);
    }
}

void KeyRing::add_key(const fs::path& path)
{
    ensure_sodium();
    // Rotation replaces the file; through a symbolic link, replace the file it points to.
    fs::path target = path;
    std::error_code error;
    if (fs::is_symlink(path, error)) {
        target = fs::canonical(path, error);
        if (error) {
            throw read_error(path, error.message());
        }
    }
    Secret content = read_key_file(target);
    const KeyRing ring = KeyRing::parse(target, content.view());
    if (!content.view().empty() && content.view().back() != '\n') {
        content.push_back('\n');
    }
    append_new_key(content, ring.m_ids);

    // A new file renamed over the old one: a crash leaves either the old or the new file, whole.
    fs::path temporary = target;
    temporary += ".new";
    ::unlink(temporary.c_str()); // left over by an interrupted rotation; never used
    try {
        util::atomic_write(target, content.view(), S_IRUSR | S_IWUSR, temporary);
    } catch (const util::FileError& failure) {
        if (failure.step() == util::FileError::Step::rename) {
            throw Error(ErrorCode::io, credenza::i18n::format(_fmt("cannot replace key file {}: {}"), quoted(target), failure.cause()));
        }
        throw failure.path() == temporary ? write_error(failure) : sync_error(failure);
    }
}

KeyRing KeyRing::load(const fs::path& path)
{
    ensure_sodium();
    const Secret content = read_key_file(path);
    return parse(path, content.view());
}

KeyRing KeyRing::parse(const fs::path& path, std::string_view text)
{
    std::size_t count = 0;
    for_each_line(text, [&](std::size_t, std::string_view line) { count += is_key_line(line) ? 1 : 0; });
    if (count == 0) {
        throw read_error(path, "no key in it");
    }

    KeyRing ring;
    ring.m_keys.resize(count * k_key_bytes);
    // Kept out of swap and out of core dumps (sodium_mlock also marks it MADV_DONTDUMP). A
    // refusal (RLIMIT_MEMLOCK) is not fatal: the CLI turns core dumps off for the whole process.
    static_cast<void>(sodium_mlock(ring.m_keys.data(), ring.m_keys.size()));
    ring.m_ids.reserve(count);
    for_each_line(text, [&](std::size_t number, std::string_view line) {
        if (!is_key_line(line)) {
            return;
        }
        const auto fields = split_fields(line);
        if (fields.size() != 3 || fields[0] != k_magic) {
            throw read_error(path, credenza::i18n::format(_fmt("line {}: expected '{} ID KEY'"), number, k_magic));
        }
        unsigned char* key = ring.m_keys.data() + ring.m_ids.size() * k_key_bytes;
        std::size_t decoded = 0;
        const char* hex_end = nullptr;
        if (fields[2].size() != k_key_hex
            || sodium_hex2bin(key, k_key_bytes, fields[2].data(), fields[2].size(), nullptr, &decoded,
                              &hex_end)
                   != 0
            || decoded != k_key_bytes || hex_end != fields[2].data() + fields[2].size()) {
            throw read_error(path, credenza::i18n::format(_fmt("line {}: the key is not {} hex digits"), number, k_key_hex));
        }
        const std::string id(fields[1]);
        if (fingerprint(key) != id) {
            throw read_error(path, credenza::i18n::format(_fmt("line {}: key id '{}' does not match its key (damaged file?)"),
                                               number, id));
        }
        if (ring.has_key(id)) {
            throw read_error(path, credenza::i18n::format(_fmt("line {}: key '{}' appears twice"), number, id));
        }
        ring.m_ids.push_back(id);
    });
    return ring;
}

const std::string& KeyRing::current_id() const
{
    if (m_ids.empty()) {
        throw Error(ErrorCode::internal, _("the key ring holds no key"));
    }
    return m_ids.back();
}

bool KeyRing::has_key(std::string_view id) const
{
    return std::find(m_ids.begin(), m_ids.end(), id) != m_ids.end();
}

std::array<unsigned char, 32> KeyRing::keyed(std::string_view key_id, Purpose purpose,
                                             std::int64_t account_id, std::string_view secret) const
{
    const auto found = std::find(m_ids.begin(), m_ids.end(), key_id);
    if (found == m_ids.end()) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("pepper key '{}' is not in the key file: was the key file replaced?"),
                                key_id));
    }
    const unsigned char* key =
        m_keys.data() + static_cast<std::size_t>(found - m_ids.begin()) * k_key_bytes;
    const std::string_view label = purpose == Purpose::password ? "password" : "pin";
    const std::string account = std::to_string(account_id);
    const unsigned char separator = 0;

    crypto_auth_hmacsha256_state state;
    std::array<unsigned char, 32> out{};
    crypto_auth_hmacsha256_init(&state, key, k_key_bytes);
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(label.data()),
                                  label.size());
    crypto_auth_hmacsha256_update(&state, &separator, 1);
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(account.data()),
                                  account.size());
    crypto_auth_hmacsha256_update(&state, &separator, 1);
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                                  secret.size());
    crypto_auth_hmacsha256_final(&state, out.data());
    sodium_memzero(&state, sizeof state);
    return out;
}

std::string KeyRing::derive(std::string_view key_id, std::uint64_t subkey_id, const char (&context)[9]) const
{
    static_assert(crypto_kdf_KEYBYTES == k_key_bytes && crypto_kdf_CONTEXTBYTES == 8);
    const auto found = std::find(m_ids.begin(), m_ids.end(), key_id);
    if (found == m_ids.end()) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("pepper key '{}' is not in the key file: was the key file replaced?"), key_id));
    }
    const unsigned char* key = m_keys.data() + static_cast<std::size_t>(found - m_ids.begin()) * k_key_bytes;
    std::string subkey(32, '\0');
    crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(subkey.data()), subkey.size(), subkey_id, context, key);
    return subkey;
}

KeyRing::KeyRing(KeyRing&& other) noexcept
    : m_ids(std::move(other.m_ids)), m_keys(std::move(other.m_keys))
{
    other.m_ids.clear();
    other.m_keys.clear();
}

KeyRing& KeyRing::operator=(KeyRing&& other) noexcept
{
    if (this != &other) {
        if (!m_keys.empty()) {
            sodium_munlock(m_keys.data(), m_keys.size()); // wipes too
        }
        m_ids = std::move(other.m_ids);
        m_keys = std::move(other.m_keys);
        other.m_ids.clear();
        other.m_keys.clear();
    }
    return *this;
}

KeyRing::~KeyRing()
{
    if (!m_keys.empty()) {
        sodium_munlock(m_keys.data(), m_keys.size()); // wipes too
    }
}

} // namespace credenza::credentials
