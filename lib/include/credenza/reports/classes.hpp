#pragma once
// The secretariat's progress per class: who has credentials, who is still waiting, who cannot
// get them. A family account counts in every class where its guardian has an active pupil.

#include <string>
#include <vector>

#include <credenza/reports/summary.hpp>
#include <credenza/store/database.hpp>

namespace credenza::reports {

struct ClassProgress
{
    std::string class_name;
    int pupils = 0;                    // active pupils
    int family_accounts = 0;           // active family accounts covering a pupil of the class
    int student_accounts = 0;          // active student accounts of the class
    int letters_sent = 0;              // letters of those accounts, by state
    int letters_pending = 0;           // queued or sending
    int letters_deferred = 0;
    int letters_failed = 0;
    int without_address = 0;           // those accounts with no address to write to
    int families_with_credentials = 0; // family accounts with a letter sent
    int students_with_credentials = 0; // student accounts with a letter sent
};

// One row per class with an active pupil, sorted by class.
std::vector<ClassProgress> class_progress(store::Database& db, const Filter& filter = {});

} // namespace credenza::reports
