// Peer: rich (Progress with speed_estimate_period = 30, its default).
//
//   on every sample: drop the kept points older than 30 s before it; if it moved `done`, keep
//   it as a point (at most 1000 points, the oldest dropped first)
//   rate = (done_newest - done_oldest) / (t_newest - t_oldest)     over the kept points
//   remaining = (total - done) / rate
//
// Source: rich/progress.py, Progress.update() (prunes samples with timestamp < now - 30, then
// appends a ProgressSample only when the update advanced `completed`; Task._progress is a deque
// with maxlen 1000) and Task.speed (sum of the advances after the first sample over the span
// from the first to the last sample; None when the span is 0), Task.time_remaining
// (ceil(remaining / speed)). Summing the advances after the first sample is done_newest -
// done_oldest, which is how it is computed here, in integers. Re-implemented, not copied.
//
// Choices:
//  - The first sample of the run is the first point (rich records the update that first sets
//    `completed`; the first point's own advance is never counted, only its time).
//  - Points older than 30 s are dropped when a sample arrives (like rich, on update); `now`
//    is not used. A point exactly 30 s old is kept (rich drops only timestamps < now - 30).
//  - rich rounds its ETA up to whole seconds (ceil); here it is not rounded.
//  - Rate unknown (nullopt) until two points span a positive time. When a stall empties the
//    window (fewer than two points, or a zero span), rich's speed is None; here the last
//    positive rate is kept instead: the ETA freezes, as rich's does when updates stop.
// No interval: lo = hi = remaining.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/frozen_rate.hpp>
#include <copyeta/detail/history.hpp>
#include <copyeta/estimator.hpp>

#include <array>
#include <cstddef>

namespace copyeta::models {

class rich final : public estimator {
 public:
  static constexpr double window = 30.0;           // speed_estimate_period
  static constexpr std::size_t max_points = 1000;  // Task._progress maxlen

  explicit rich(const estimator_options& options = {});

  std::string_view name() const noexcept override { return "rich"; }

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;

 private:
  const detail::point& at(std::size_t i) const noexcept {
    return ring_[(first_ + i) % max_points];
  }

  std::array<detail::point, max_points> ring_{};
  std::size_t first_ = 0;  // index of the oldest point
  std::size_t size_ = 0;
  bool started_ = false;
  amount last_done_ = 0;  // the previous sample's done
  detail::frozen_rate rate_;  // the freeze rule (detail/frozen_rate.hpp)
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/rich-inl.hpp>
#endif
