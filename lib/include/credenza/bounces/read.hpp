#pragma once
// `credenza bounces`: reads the bounce mailbox, records what each delivery report says of the
// letter it names (matched only by the letter's Message-ID token or its VERP envelope, never by
// recipient), and moves the reports it recorded to the processed folder. Anything else stays.

#include <string>
#include <vector>

#include <credenza/bounces/mailbox.hpp>
#include <credenza/bounces/report.hpp>
#include <credenza/store/database.hpp>
#include <credenza/time.hpp>

namespace credenza::bounces {

struct ReadOptions
{
    std::string processed_folder = "credenza-processed";
    int purge_after_days = 0; // processed reports older than this are deleted; 0 = never
    bool dry_run = false;     // read and count; record, move and delete nothing
    std::string operator_name;
};

// A letter a report was about.
struct ReportedBounce
{
    std::string user_code;
    std::string recipient;
    std::string status;
    std::string diagnostic;
    ReportKind kind = ReportKind::failed;
    bool hard = false;
    std::string voided; // the secrets that stopped working: "password pin", "pending", ""
};

struct ReadReport
{
    int messages = 0;     // in the mailbox when the run started
    int bounced = 0;      // hard failures (5.x.x): letters now `bounced`
    int soft = 0;         // final 4.x.x failures: recorded, counted
    int delayed = 0;      // delay warnings (and success notices): recorded, not failures
    int repeated = 0;     // reports recorded by an earlier run (moved again)
    int unmatched = 0;    // delivery reports of no letter of ours: left where they are
    int auto_replies = 0; // vacation and out-of-office replies: left where they are
    int other = 0;        // messages that are no delivery report: left where they are
    int unreadable = 0;   // delivery reports that cannot be read: left where they are
    int moved = 0;        // to the processed folder
    int purged = 0;       // processed reports deleted after purge_after_days
    std::vector<ReportedBounce> letters;
};

ReadReport read_bounces(store::Database& db, const Clock& clock, Mailbox& mailbox, const ReadOptions& options);

} // namespace credenza::bounces
