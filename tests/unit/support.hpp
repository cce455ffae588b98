#pragma once
// Shared fixtures for the unit tests of the store, accounts and dispatch: a school database
// with the sample enrolment imported (and the temporary directory of temp_dir.hpp).

#include <cstdlib>

#include "lib/store/connection.hpp"
#include <filesystem>
#include <string>

#include <credenza/audit/log.hpp>
#include <credenza/config/settings.hpp>
#include <credenza/credentials/generator.hpp>
#include <credenza/credentials/hasher.hpp>
#include <credenza/credentials/key_ring.hpp>
#include <credenza/enrolment/import.hpp>
#include <credenza/setup/init.hpp>
#include <credenza/store/database.hpp>

#include "temp_dir.hpp"

namespace credenza::testing {

inline std::filesystem::path test_data(const std::string& name)
{
    return std::filesystem::path(CREDENZA_TEST_DATA) / name;
}

// A school's database and key file in a temporary directory, with enrolment_2025.csv imported.
struct School
{
    TempDir dir;
    std::filesystem::path db_path = dir / "credenza.db";
    std::filesystem::path key_path = dir / "credenza.db.key";
    store::School school{"87004020589", "ITIS Vallauri", "https://registro.example.it/?Customer_ID=87004020589",
                         "segreteria@itisvallauri.edu.it", "itisvallauri.edu.it", ""};
    config::Settings settings;
    std::optional<store::Database> db;
    std::optional<credentials::KeyRing> keys;

    explicit School(bool with_enrolment = true)
    {
        setup::initialise({school, db_path, key_path, "test"}, system_clock());
        db = store::Database::open(db_path);
        keys = credentials::KeyRing::load(key_path);
        db->set_audit_key(audit::derive_key(*keys, keys->current_id())); // as a Session does
        settings.credentials.kdf_memlimit_mib = 19;
        if (with_enrolment) {
            enrolment::ImportOptions options;
            options.file = test_data("enrolment_2025.csv");
            options.school_year = "2025/2026";
            options.operator_name = "test";
            credentials::Generator generator;
            enrolment::import_enrolment(*db, system_clock(), options, generator);
        }
    }

    credentials::Hasher hasher() const { return credentials::Hasher(*keys, credentials::KdfCost::from_settings(19, 2)); }
};

// Gives account `user_code` a known password (to be changed) and PIN, as a letter sent at `set_at` would.
inline void set_secrets(School& school, const std::string& user_code, const std::string& password,
                        const std::string& pin, const std::string& set_at)
{
    const auto hasher = school.hasher();
    const auto id = school.db->connection().get<std::int64_t>("SELECT id FROM account WHERE user_code = ?", user_code);
    school.db->connection().execute("UPDATE account SET password_hash = ?, pin_hash = ?, password_set_at = ?, "
                       "must_change_password = 1 WHERE id = ?",
                       hasher.hash(credentials::Purpose::password, id, password),
                       hasher.hash(credentials::Purpose::pin, id, pin), set_at, id);
}

} // namespace credenza::testing
