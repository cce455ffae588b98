#include <credenza/store/school.hpp>
#include "connection.hpp"
#include "i18n/gettext.hpp"

namespace credenza::store {

void insert_school(Database& db, const School& school, TimePoint created_at)
{
    db.connection().execute("INSERT INTO school (id, code, name, portal_url, mail_from, domain, key_id, created_at) "
               "VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
               school.code, school.name, school.portal_url, school.mail_from, school.domain, school.key_id,
               iso_time(created_at));
}

std::string school_key_id(Database& db)
{
    return db.connection().maybe_get<std::string>("SELECT key_id FROM school WHERE id = 1").value_or("");
}

School load_school(Database& db, const config::Settings& settings)
{
    School school;
    db.connection().guard("load school", [&] {
        auto& query =
            db.connection().statement("SELECT code, name, portal_url, mail_from, domain, key_id FROM school WHERE id = 1");
        if (!query.executeStep()) {
            throw Error(ErrorCode::config,
                        credenza::i18n::format(_fmt("database '{}' has no school: was it made by 'credenza init'?"),
                                               db.path().string()));
        }
        school = {query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString(),
                  query.getColumn(3).getString(), query.getColumn(4).getString(), query.getColumn(5).getString()};
        query.reset();
    });
    const auto override_with = [](std::string& value, const std::string& setting) {
        if (!setting.empty()) {
            value = setting;
        }
    };
    override_with(school.code, settings.school.code);
    override_with(school.name, settings.school.name);
    override_with(school.portal_url, settings.school.portal_url);
    override_with(school.domain, settings.school.domain);
    override_with(school.mail_from, settings.mail.from);
    return school;
}

} // namespace credenza::store
