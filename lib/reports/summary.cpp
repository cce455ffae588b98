#include <credenza/reports/summary.hpp>

namespace credenza::reports {

Summary summary(store::Database& db, const Filter& filter)
{
    return store::count_summary(db, filter);
}

} // namespace credenza::reports
