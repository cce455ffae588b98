#pragma once
// Every credentials letter and how its delivery went: what the secretariat checks when a
// family says "I never got it".

#include <functional>
#include <vector>

#include <credenza/reports/summary.hpp>
#include <credenza/store/database.hpp>

namespace credenza::reports {

// A letter, its account and how its delivery went (see store::LetterDelivery).
using Delivery = store::LetterDelivery;

// One row per letter, oldest first. With a filter, the letters of the accounts covering the
// selected pupils; without, every letter (also of accounts whose pupils have left).
std::vector<Delivery> deliveries(store::Database& db, const Filter& filter = {});
// The same rows in the same order, one at a time (see store::for_each_letter_delivery).
void for_each_delivery(store::Database& db, const Filter& filter, const std::function<void(Delivery&&)>& visit);

} // namespace credenza::reports
