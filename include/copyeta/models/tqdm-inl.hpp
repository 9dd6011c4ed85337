#pragma once

#include <copyeta/models/tqdm.hpp>

#include <cmath>

namespace copyeta::models {

COPYETA_INLINE tqdm::tqdm(const estimator_options& options) : estimator(options) {}

COPYETA_INLINE void tqdm::on_sample(const sample& s) noexcept {
  if (!started_) {
    started_ = true;
    last_print_t_ = s.t;
    last_print_n_ = s.done;
    return;
  }
  const amount dn = s.done - last_print_n_;
  const double dt = s.t - last_print_t_;
  if (dn == 0 || !(dt > 0.0)) return;

  // The same operations, in the same order, as tqdm.std.EMA, so the results match to the bit.
  const double alpha = smoothing;
  const double beta = 1.0 - alpha;
  ema_dn_ = alpha * static_cast<double>(dn) + beta * ema_dn_;
  ema_dt_ = alpha * dt + beta * ema_dt_;
  ++calls_;
  last_print_n_ = s.done;
  last_print_t_ = s.t;

  const double correction = 1.0 - std::pow(beta, static_cast<double>(calls_));
  const double r = (ema_dn_ / correction) / (ema_dt_ / correction);
  rate_.offer(r);
}

COPYETA_INLINE void tqdm::on_restart() noexcept {
  started_ = false;
  last_print_t_ = 0.0;
  last_print_n_ = 0;
  ema_dn_ = 0.0;
  ema_dt_ = 0.0;
  calls_ = 0;
  rate_.clear();
}

COPYETA_INLINE std::optional<double> tqdm::rate(double /*now*/) const noexcept {
  return rate_.get();
}

}  // namespace copyeta::models
