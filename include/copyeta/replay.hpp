// Replaying a recorded trace through a model: one result per input row, in order.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/estimate.hpp>
#include <copyeta/input_policy.hpp>
#include <copyeta/monitor.hpp>
#include <copyeta/trace.hpp>

#include <functional>
#include <string>
#include <vector>

namespace copyeta {

struct replay_row {
  copyeta::estimate estimate;  // at the row's own time; state `rejected` for a rejected row
  reject_reason reason = reject_reason::none;
  std::string error;           // for a rejected row: what was wrong, naming line and column
};

// Feeds every row through a lenient monitor and estimates at each row's time, right after the
// row. Rows the reader or the input policy rejected come back with state `rejected`, a reason,
// and whatever fields did parse; they do not disturb the estimator. Exactly one result per row.
std::vector<replay_row> replay(const trace& input, const monitor_options& options = {});
// The same, handing each row's result to `each(index, row)` as it comes instead of keeping them
// all: for callers that write results straight into their own columns (Python's replay).
void replay(const trace& input, const monitor_options& options,
            const std::function<void(std::size_t, const replay_row&)>& each);

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/replay-inl.hpp>
#endif
