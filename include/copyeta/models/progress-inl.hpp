#pragma once

#include <copyeta/models/progress.hpp>

#include <cmath>

namespace copyeta::models {

COPYETA_INLINE progress::progress(const estimator_options& options) : estimator(options) {}

COPYETA_INLINE void progress::on_sample(const sample& s) noexcept {
  if (!started_) {
    started_ = true;
    base_t_ = s.t;
    base_done_ = s.done;
    return;
  }
  const double dt = s.t - base_t_;
  if (!(dt > 0.0)) return;  // same time: merged into the next interval
  ring_[next_] = static_cast<double>(s.done - base_done_) / dt;
  next_ = (next_ + 1) % rates;
  if (size_ < rates) ++size_;
  base_t_ = s.t;
  base_done_ = s.done;

  double sum = 0.0;
  for (std::size_t i = 0; i < size_; ++i) sum += ring_[i];
  const double mean = sum / static_cast<double>(size_);
  rate_.offer(mean);
}

COPYETA_INLINE void progress::on_restart() noexcept {
  started_ = false;
  base_t_ = 0.0;
  base_done_ = 0;
  next_ = 0;
  size_ = 0;
  rate_.clear();
}

COPYETA_INLINE std::optional<double> progress::rate(double /*now*/) const noexcept {
  return rate_.get();
}

}  // namespace copyeta::models
