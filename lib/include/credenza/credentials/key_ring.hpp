#pragma once
// The pepper: 32-byte HMAC-SHA-256 keys kept in a file of their own (mode 0600),
// never in the database or its backups, so a stolen database cannot be brute-forced.
//
// Key file format (text, UTF-8, one key per line, the last line is the current key):
//
//     # credenza pepper keys: keep this file out of database backups
//     credenza-pepper-v1 1f3a9c0e 5b2e...64 hex digits...
//
// Blank lines and lines starting with '#' are ignored. The id is the first 8 hex
// digits of SHA-256("credenza-pepper-id" || key): it names the key in stored hashes,
// reveals nothing useful about it, and lets load() detect a damaged key.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace credenza::credentials {

enum class Purpose { password, pin };

class KeyRing
{
public:
    // Creates a key file with one fresh random key, mode 0600; never overwrites
    // (Error(cannot_create, "key file 'PATH' already exists")). File and directory are fsync'ed.
    static void create(const std::filesystem::path& path);
    // Adds a new key that becomes current (rotation); the old keys stay for old hashes.
    // The file is replaced atomically (write a new file, fsync, rename).
    static void add_key(const std::filesystem::path& path);
    // Error(config, "cannot read key file 'PATH': ...") when missing or malformed;
    // Error(permission, ...) when group or other users have any access to it.
    static KeyRing load(const std::filesystem::path& path);

    const std::string& current_id() const;
    bool has_key(std::string_view id) const;
    // HMAC-SHA-256(key[id], purpose label || 0x00 || decimal account id || 0x00 || secret);
    // Error(config) for an unknown id.
    // A 32-byte subkey of key[id] for another use (libsodium crypto_kdf: subkey number and an
    // 8-character context), e.g. the key of the audit chain. Error(config) for an unknown id.
    std::string derive(std::string_view key_id, std::uint64_t subkey_id, const char (&context)[9]) const;
    std::array<unsigned char, 32> keyed(std::string_view key_id, Purpose purpose,
                                        std::int64_t account_id, std::string_view secret) const;

    KeyRing(KeyRing&& other) noexcept;
    KeyRing& operator=(KeyRing&& other) noexcept;
    KeyRing(const KeyRing&) = delete;
    KeyRing& operator=(const KeyRing&) = delete;
    ~KeyRing(); // wipes the keys

private:
    KeyRing() = default;
    static KeyRing parse(const std::filesystem::path& path, std::string_view text);

    std::vector<std::string> m_ids;
    // 32 bytes per key, in the order of m_ids; sized once, so it never reallocates.
    std::vector<unsigned char> m_keys;
};

} // namespace credenza::credentials
