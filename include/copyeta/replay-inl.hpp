#pragma once

#include <copyeta/replay.hpp>

#include <fmt/format.h>

namespace copyeta {

COPYETA_INLINE void replay(const trace& input, const monitor_options& options,
                           const std::function<void(std::size_t, const replay_row&)>& each) {
  monitor m(options);
  for (std::size_t i = 0; i < input.rows.size(); ++i) {
    const trace_row& row = input.rows[i];
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
    each(i, result);
  }
}

COPYETA_INLINE std::vector<replay_row> replay(const trace& input, const monitor_options& options) {
  std::vector<replay_row> out;
  out.reserve(input.rows.size());
  replay(input, options, [&out](std::size_t, const replay_row& row) { out.push_back(row); });
  return out;
}

}  // namespace copyeta
