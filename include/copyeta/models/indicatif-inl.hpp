#pragma once

#include <copyeta/models/indicatif.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace copyeta::models {

COPYETA_INLINE indicatif::indicatif(const estimator_options& options) : estimator(options) {}

COPYETA_INLINE double indicatif::weight(double age) noexcept {
  return std::pow(0.1, age / weighting_seconds);
}

COPYETA_INLINE void indicatif::on_sample(const sample& s) noexcept {
  if (!started_) {
    started_ = true;
    prev_steps_ = s.done;
    prev_time_ = s.t;
    start_time_ = s.t;
    return;
  }
  if (s.done <= prev_steps_ || !(s.t > prev_time_)) return;  // nothing to record

  const double delta_t = s.t - prev_time_;
  const double new_rate = static_cast<double>(s.done - prev_steps_) / delta_t;
  const double w = weight(delta_t);
  const double smoothed = smoothed_ * w + new_rate * (1.0 - w);
  const double total_weight = 1.0 - weight(s.t - start_time_);
  const double double_smoothed = double_smoothed_ * w + (smoothed / total_weight) * (1.0 - w);
  // A step too short for a double (an overflowing rate) would poison the run with infinities
  // or NaN: it is not recorded, so its progress counts at the next sample.
  if (!std::isfinite(smoothed) || !std::isfinite(double_smoothed)) return;
  smoothed_ = smoothed;
  double_smoothed_ = double_smoothed;
  prev_steps_ = s.done;
  prev_time_ = s.t;
  recorded_ = true;

  const double r = steps_per_second(s.t);
  rate_.offer(r);
}

COPYETA_INLINE double indicatif::steps_per_second(double now) const noexcept {
  const double reweight = weight(std::max(0.0, now - prev_time_));
  const double total_weight = 1.0 - weight(std::max(0.0, now - start_time_));
  const double sps = smoothed_ * reweight / total_weight;
  const double dsps = double_smoothed_ * reweight + sps * (1.0 - reweight);
  return dsps / total_weight;
}

COPYETA_INLINE void indicatif::on_restart() noexcept {
  started_ = false;
  recorded_ = false;
  prev_steps_ = 0;
  prev_time_ = 0.0;
  start_time_ = 0.0;
  smoothed_ = 0.0;
  double_smoothed_ = 0.0;
  rate_.clear();
}

COPYETA_INLINE std::optional<double> indicatif::rate(double now) const noexcept {
  if (!recorded_) return std::nullopt;
  const double r = steps_per_second(now);
  if (r > 0.0 && std::isfinite(r)) return r;
  // Decayed below the smallest double during a long stall: the formula's last positive values
  // were that small, so the rate stays there (the ETA stays at its maximum, not back in range).
  if (r == 0.0) return std::numeric_limits<double>::min();
  return rate_.get();  // not finite (never seen in practice): the last good rate
}

}  // namespace copyeta::models
