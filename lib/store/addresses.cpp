#include <credenza/store/addresses.hpp>
#include "connection.hpp"

namespace credenza::store {

std::vector<PupilWithoutAddress> active_pupils_without_address(Database& db)
{
    std::vector<PupilWithoutAddress> pupils;
    db.connection().guard("find pupils without an address", [&] {
        auto& query = db.connection().statement(R"sql(
SELECT pu.person_id, coalesce(a.user_code, ''), p.tax_code, p.surname, p.name, pu.class
FROM pupil pu JOIN person p ON p.id = pu.person_id
LEFT JOIN account a ON a.person_id = pu.person_id AND a.kind = 'student'
WHERE pu.status = 'active' AND pu.institutional_email = ''
ORDER BY pu.class, p.surname, p.name, p.tax_code)sql");
        while (query.executeStep()) {
            PupilWithoutAddress pupil;
            pupil.person_id = query.getColumn(0).getInt64();
            pupil.user_code = query.getColumn(1).getString();
            pupil.tax_code = query.getColumn(2).getString();
            pupil.surname = query.getColumn(3).getString();
            pupil.name = query.getColumn(4).getString();
            pupil.class_name = query.getColumn(5).getString();
            pupils.push_back(std::move(pupil));
        }
    });
    return pupils;
}

std::set<std::string> institutional_addresses_in_use(Database& db)
{
    std::set<std::string> taken;
    db.connection().guard("find addresses in use", [&] {
        auto& query = db.connection().statement("SELECT lower(institutional_email) FROM pupil WHERE institutional_email <> ''");
        while (query.executeStep()) {
            taken.insert(query.getColumn(0).getString());
        }
    });
    return taken;
}

void set_institutional_address(Database& db, std::int64_t person_id, std::string_view address, TimePoint now)
{
    db.connection().execute("UPDATE pupil SET institutional_email = ?, updated_at = ? WHERE person_id = ? "
               "AND institutional_email = ''",
               address, iso_time(now), person_id);
}

} // namespace credenza::store
