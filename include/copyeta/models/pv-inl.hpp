#pragma once

#include <copyeta/models/pv.hpp>

#include <cmath>

namespace copyeta::models {

COPYETA_INLINE pv::pv(const estimator_options& options) : estimator(options) {}

COPYETA_INLINE void pv::on_sample(const sample& s) noexcept {
  if (size_ > 0) {
    const detail::point& newest = ring_[(first_ + size_ - 1) % points];
    if (s.t - newest.t < interval) return;  // too soon: pv keeps its rate
  }
  if (size_ < points) {
    ring_[(first_ + size_) % points] = {s.t, s.done};
    ++size_;
  } else {
    ring_[first_] = {s.t, s.done};  // the oldest slot becomes the newest
    first_ = (first_ + 1) % points;
  }
  if (size_ < 2) return;

  const detail::point& oldest = ring_[first_];
  const detail::point& newest = ring_[(first_ + size_ - 1) % points];
  const double dt = newest.t - oldest.t;  // at least 5 s
  const double r = static_cast<double>(newest.done - oldest.done) / dt;
  rate_.offer(r);
}

COPYETA_INLINE void pv::on_restart() noexcept {
  first_ = 0;
  size_ = 0;
  rate_.clear();
}

COPYETA_INLINE std::optional<double> pv::rate(double /*now*/) const noexcept {
  return rate_.get();
}

}  // namespace copyeta::models
