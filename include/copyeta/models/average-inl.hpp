#pragma once

#include <copyeta/models/average.hpp>

#include <cmath>

namespace copyeta::models {

COPYETA_INLINE average::average(const estimator_options& options) : estimator(options) {}

COPYETA_INLINE void average::on_sample(const sample& s) noexcept {
  if (!started_) {
    started_ = true;
    t0_ = s.t;
    done0_ = s.done;
    return;
  }
  const double dt = s.t - t0_;
  if (!(dt > 0.0)) return;  // equal timestamps: nothing to divide by yet
  const double r = static_cast<double>(s.done - done0_) / dt;
  rate_.offer(r);
}

COPYETA_INLINE void average::on_restart() noexcept {
  started_ = false;
  t0_ = 0.0;
  done0_ = 0;
  rate_.clear();
}

COPYETA_INLINE std::optional<double> average::rate(double /*now*/) const noexcept {
  return rate_.get();
}

}  // namespace copyeta::models
