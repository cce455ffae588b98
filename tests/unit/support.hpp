#pragma once
// Shared fixtures for the unit tests of the store, accounts and dispatch: a temporary
// directory, and a school database with the sample enrolment imported.

#include <cstdlib>
#include <filesystem>
#include <string>

#include <credenza/config/settings.hpp>
#include <credenza/credentials/generator.hpp>
#include <credenza/credentials/hasher.hpp>
#include <credenza/credentials/key_ring.hpp>
#include <credenza/enrolment/import.hpp>
#include <credenza/setup/init.hpp>
#include <credenza/store/database.hpp>

namespace credenza::testing {

class TempDir
{
public:
    TempDir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "credenza-unit.XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = pattern;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

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
        setup::initialise({school, db_path, key_path, "test"});
        db = store::Database::open(db_path);
        keys = credentials::KeyRing::load(key_path);
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

} // namespace credenza::testing
