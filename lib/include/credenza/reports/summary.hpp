#pragma once
// The secretariat's counts at a glance. Reports return rows; the CLI formats them.

#include <string>
#include <vector>

#include <credenza/store/database.hpp>

namespace credenza::reports {

// Which pupils a report covers, and through them which accounts: a student account
// covers its pupil, a family account every pupil of its guardian.
struct Filter
{
    std::vector<std::string> classes; // normalised ("1A"); empty = every class
    std::string school_year;          // "2025/2026"; "" = every year

    bool empty() const { return classes.empty() && school_year.empty(); }
};

struct Summary
{
    int pupils_active = 0;
    int pupils_left = 0;
    int guardians = 0;                 // people with a family account
    int family_active = 0;
    int family_disabled = 0;
    int student_active = 0;
    int student_disabled = 0;
    int family_without_address = 0;    // active family accounts with no recorded address
    int student_without_address = 0;   // active student accounts with no institutional address
    int letters_queued = 0;            // queued or sending
    int letters_sent = 0;
    int letters_deferred = 0;
    int letters_failed = 0;
    int letters_cancelled = 0;
};

// With a filter, the pupils (active and left) of those classes and years, the accounts that
// cover them and the letters of those accounts.
Summary summary(store::Database& db, const Filter& filter = {});

} // namespace credenza::reports
