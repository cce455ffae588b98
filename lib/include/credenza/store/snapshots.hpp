#pragma once
// The snapshots an import takes of the database before it changes anything, and the undo
// that brings one back. A snapshot is a consistent online copy (backup.hpp), mode 0600,
// named "<database file>.import-<UTC time>.snapshot" in a folder of the school's choice.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::store {

// Copies `db` into `directory` before an import; returns the snapshot's path.
std::filesystem::path take_import_snapshot(Database& db, const std::filesystem::path& directory, TimePoint now);

// The import snapshots of `db` in `directory`, oldest first.
std::vector<std::filesystem::path> import_snapshots(const Database& db, const std::filesystem::path& directory);

// Deletes all but the newest `keep` snapshots, and all but the newest `keep` copies that
// undos left ("<database file>.before-undo-<UTC time>.snapshot").
void prune_import_snapshots(const Database& db, const std::filesystem::path& directory, int keep);

// What happened between a snapshot and now, to the accounts that got letters.
struct LettersSince
{
    std::vector<std::string> kept;    // user codes in the snapshot too: their credentials are carried over
    std::vector<std::string> lost;    // user codes the snapshot does not have (made by the undone import)
};

LettersSince letters_since_snapshot(Database& db, const std::filesystem::path& snapshot);

// Brings `db` back to `snapshot`, keeping what happened since to the accounts the snapshot
// knows: their passwords, PINs, lockout counters and letters (so mailed credentials keep
// working), and every audit row (the chain goes on). The state before the undo is first
// copied to `before_undo`. Error(io) when a step fails; `before_undo` then still holds the
// state before the undo (`credenza backup` restore steps apply to it).
void restore_import_snapshot(Database& db, const std::filesystem::path& snapshot,
                             const std::filesystem::path& before_undo);

} // namespace credenza::store
