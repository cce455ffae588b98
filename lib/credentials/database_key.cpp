#include <credenza/credentials/database_key.hpp>

#include <fmt/format.h>

#include <credenza/store/school.hpp>
#include "i18n/gettext.hpp"

namespace credenza::credentials {

void require_database_key(store::Database& db, const KeyRing& keys, const std::filesystem::path& key_path)
{
    const std::string key_id = store::school_key_id(db);
    if (!key_id.empty() && !keys.has_key(key_id)) {
        throw Error(ErrorCode::config,
                    credenza::i18n::format(_fmt("key file '{}' does not hold the key this database was made with ({}): check "
                                "[credentials] key_file"),
                                key_path.string(), key_id));
    }
}

} // namespace credenza::credentials
