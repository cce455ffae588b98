#pragma once
// The secretariat's counts at a glance. Reports return rows; the CLI formats them.

#include <credenza/store/database.hpp>

namespace credenza::reports {

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

Summary summary(store::Database& db);

} // namespace credenza::reports
