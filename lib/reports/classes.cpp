#include <credenza/reports/classes.hpp>

#include <map>

namespace credenza::reports {

std::vector<ClassProgress> class_progress(store::Database& db, const Filter& filter)
{
    std::map<std::string, ClassProgress> rows;
    for (const auto& count : store::count_pupils_by_class(db, filter)) {
        auto& row = rows[count.class_name];
        row.class_name = count.class_name;
        row.pupils = count.pupils;
    }
    // A family account counts in every class where its guardian has a pupil.
    for (const auto& account : store::covered_accounts(db, filter)) {
        auto& row = rows[account.class_name];
        const bool family = account.kind == AccountKind::family;
        ++(family ? row.family_accounts : row.student_accounts);
        if (account.without_address) {
            ++row.without_address;
        }
        row.letters_sent += account.letters_sent;
        row.letters_pending += account.letters_pending;
        row.letters_deferred += account.letters_deferred;
        row.letters_failed += account.letters_failed;
        if (account.letters_sent > 0) {
            ++(family ? row.families_with_credentials : row.students_with_credentials);
        }
    }
    std::vector<ClassProgress> result;
    for (auto& [name, row] : rows) {
        result.push_back(std::move(row));
    }
    return result;
}

} // namespace credenza::reports
