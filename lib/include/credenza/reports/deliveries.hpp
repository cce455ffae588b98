#pragma once
// Every credentials letter and how its delivery went: what the secretariat checks when a
// family says "I never got it".

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <credenza/reports/summary.hpp>
#include <credenza/store/database.hpp>

namespace credenza::reports {

struct Delivery
{
    std::int64_t letter_id = 0;
    std::string user_code;
    std::string kind;                 // "family" | "student"
    std::string surname;
    std::string name;
    std::vector<std::string> classes; // of the active pupils the account covers
    std::string purpose;              // "initial" | "reset" | "recovery"
    std::string address;              // where it went, or for a letter not yet tried where it will go
    std::string state;                // queued | sending | sent | deferred | failed | cancelled
    int attempts = 0;
    std::optional<int> last_code;     // the server's last reply code
    std::string last_reply;
    std::string time;                 // when it was sent, else when its state last changed
    std::string next_attempt;         // deferred letters: not before this time
};

// One row per letter, oldest first. With a filter, the letters of the accounts covering the
// selected pupils; without, every letter (also of accounts whose pupils have left).
std::vector<Delivery> deliveries(store::Database& db, const Filter& filter = {});

} // namespace credenza::reports
