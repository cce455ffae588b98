#include <credenza/reports/deliveries.hpp>

namespace credenza::reports {

std::vector<Delivery> deliveries(store::Database& db, const Filter& filter)
{
    return store::letter_deliveries(db, filter);
}

void for_each_delivery(store::Database& db, const Filter& filter, const std::function<void(Delivery&&)>& visit)
{
    store::for_each_letter_delivery(db, filter, visit);
}

} // namespace credenza::reports
