#pragma once

#include <copyeta/replay.hpp>

#include <fmt/format.h>

namespace copyeta {

COPYETA_INLINE std::vector<replay_row> replay(const trace& input, const monitor_options& options) {
  monitor m(options);
  std::vector<replay_row> out;
  out.reserve(input.rows.size());
  for (const trace_row& row : input.rows) {
    replay_row result;
    if (const auto s = row.to_sample(); s && m.add(*s).accepted()) {
      result.estimate = m.estimate(s->t);
    } else {
      result.estimate.state = state::rejected;
      result.estimate.level = options.estimator.level;
      result.estimate.t = row.t.value_or(0.0);
      result.estimate.done = row.done.value_or(0);
      result.estimate.total = row.total;
      result.reason = s ? m.last_rejection() : row.reason;
      result.error = s ? fmt::format("{}:{}: {}", input.name, row.line, to_string(result.reason))
                       : row.error;
    }
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace copyeta
