#pragma once

#include <copyeta/models/rsync.hpp>

#include <cmath>

namespace copyeta::models {

COPYETA_INLINE rsync::rsync(const estimator_options& options) : estimator(options) {}

COPYETA_INLINE void rsync::on_sample(const sample& s) noexcept {
  if (!started_) {
    started_ = true;
    slots_.fill({s.t, s.done});
    newest_ = 0;
    oldest_ = 0;
    return;
  }
  if (s.t - slots_[newest_].t < min_gap) return;  // too soon: rsync does not print

  newest_ = oldest_;
  oldest_ = (oldest_ + 1) % slots;
  slots_[newest_] = {s.t, s.done};

  const detail::point& oldest = slots_[oldest_];
  const double dt = s.t - oldest.t;  // at least 1 s
  const double r = static_cast<double>(s.done - oldest.done) / dt;
  rate_.offer(r);
}

COPYETA_INLINE void rsync::on_restart() noexcept {
  started_ = false;
  newest_ = 0;
  oldest_ = 0;
  rate_.clear();
}

COPYETA_INLINE std::optional<double> rsync::rate(double /*now*/) const noexcept {
  return rate_.get();
}

}  // namespace copyeta::models
