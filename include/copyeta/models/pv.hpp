// Peer: pv >= 1.7 with `--average-rate-window 30` (its default window).
//
//   every sample at least 5 s after the newest history point becomes a new point; 7 points
//   are kept (the oldest is dropped); when a point is added,
//   rate = (done_newest - done_oldest) / (t_newest - t_oldest)
//   remaining = (total - done) / rate
//
// Source: pv 1.7/1.8, src/pv/state.c pv_state_average_rate_window_set() (a window of 20 s or more
// keeps window / 5 + 1 = 7 points, 5 s apart) and src/pv/display.c update_history_avg_rate()
// (a call less than 5 s after the newest point changes nothing; otherwise the point is added
// and the average rate recomputed from the oldest to the newest point) and pv__calc_eta()
// (remaining amount / that rate). Re-implemented from the description, not copied.
//
// Choices:
//  - The first sample of the run is the first point. While it is the only point pv shows its
//    instantaneous rate since pv itself started, which a replay cannot know: rate unknown
//    (nullopt) until the second point, 5 s later.
//  - Between points the rate does not change (as in pv); `now` is not used.
//  - pv divides in integers (a `long` rate, whole seconds); here both are doubles.
//  - A 30 s stall makes pv's rate 0 and its ETA read 0:00:00 (pv#28); here the last positive
//    rate is kept instead (the ETA freezes), as for every peer.
// No interval: lo = hi = remaining.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/frozen_rate.hpp>
#include <copyeta/detail/history.hpp>
#include <copyeta/estimator.hpp>

#include <array>
#include <cstddef>

namespace copyeta::models {

class pv final : public estimator {
 public:
  static constexpr std::size_t points = 7;  // --average-rate-window 30: 30 / 5 + 1
  static constexpr double interval = 5.0;   // seconds between points

  explicit pv(const estimator_options& options = {});

  std::string_view name() const noexcept override { return "pv"; }

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;

 private:
  std::array<detail::point, points> ring_{};
  std::size_t first_ = 0;  // index of the oldest point
  std::size_t size_ = 0;
  detail::frozen_rate rate_;  // the freeze rule (detail/frozen_rate.hpp)
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/pv-inl.hpp>
#endif
