// Replaying a recorded trace through a model: one result per input row, in order.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/estimate.hpp>
#include <copyeta/input_policy.hpp>
#include <copyeta/monitor.hpp>
#include <copyeta/trace.hpp>

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

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/replay-inl.hpp>
#endif
