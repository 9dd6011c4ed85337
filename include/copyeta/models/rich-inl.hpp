#pragma once

#include <copyeta/models/rich.hpp>

#include <cmath>

namespace copyeta::models {

COPYETA_INLINE rich::rich(const estimator_options& options) : estimator(options) {}

COPYETA_INLINE void rich::on_sample(const sample& s) noexcept {
  const bool first = !started_;
  const bool moved = first || s.done > last_done_;
  started_ = true;
  last_done_ = s.done;

  while (size_ > 0 && s.t - at(0).t > window) {
    first_ = (first_ + 1) % max_points;
    --size_;
  }
  if (moved) {
    if (size_ == max_points) {  // deque(maxlen=1000): the oldest goes
      first_ = (first_ + 1) % max_points;
      --size_;
    }
    ring_[(first_ + size_) % max_points] = {s.t, s.done};
    ++size_;
  }
  if (size_ < 2) return;

  const detail::point& oldest = at(0);
  const detail::point& newest = at(size_ - 1);
  const double span = newest.t - oldest.t;
  if (!(span > 0.0)) return;  // rich: total_time == 0 gives no speed
  const double r = static_cast<double>(newest.done - oldest.done) / span;
  rate_.offer(r);
}

COPYETA_INLINE void rich::on_restart() noexcept {
  first_ = 0;
  size_ = 0;
  started_ = false;
  last_done_ = 0;
  rate_.clear();
}

COPYETA_INLINE std::optional<double> rich::rate(double /*now*/) const noexcept {
  return rate_.get();
}

}  // namespace copyeta::models
