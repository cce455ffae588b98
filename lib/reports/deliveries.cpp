#include <credenza/reports/deliveries.hpp>

namespace credenza::reports {

std::vector<Delivery> deliveries(store::Database& db, const Filter& filter)
{
    return store::letter_deliveries(db, filter);
}

} // namespace credenza::reports
