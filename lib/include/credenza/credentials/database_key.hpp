#pragma once
// The pepper key a database was made with must be in the key file given with it.

#include <filesystem>

#include <credenza/credentials/key_ring.hpp>
#include <credenza/store/database.hpp>

namespace credenza::credentials {

// A key file from another school, or a lost rotation, would make every login fail quietly.
// Error(config) naming `key_path` when `keys` lacks the key the database records; a database
// that records none passes.
void require_database_key(store::Database& db, const KeyRing& keys, const std::filesystem::path& key_path);

} // namespace credenza::credentials
