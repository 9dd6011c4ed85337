// Peer: indicatif >= 0.17.5, its Estimator (double exponential smoothing).
//
//   W(age) = 0.1^(age / 15 s)
//   on a sample with progress (dn > 0, dt > 0 since the last recorded one):
//     s  <- s W(dt) + (dn / dt) (1 - W(dt))
//     ds <- ds W(dt) + (s / (1 - W(t - t_start))) (1 - W(dt))
//   at `now`, with d = now - t_last_recorded and N = 1 - W(now - t_start):
//     s' = s W(d) / N,   rate = (ds W(d) + s' (1 - W(d))) / N
//   remaining = (total - done) / rate
//
// The silence since the last recorded progress is a pseudo-update with no progress, so the rate
// decays while nothing moves and the ETA grows (it explodes during long stalls, indicatif#580).
// Source: indicatif src/state.rs, Estimator::record(), Estimator::steps_per_second(),
// estimator_weight() (EXPONENTIAL_WEIGHTING_SECONDS = 15) and ProgressState::eta() (remaining
// steps / steps_per_second). Re-implemented, not copied.
//
// Choices:
//  - The first sample of the run plays Estimator::new()/reset(): prev_steps = done, prev_time
//    = start_time = t. (indicatif also resets on a backwards seek, as on_restart() does here.)
//  - Samples without progress, or at the same time as the last recorded one, are not recorded
//    (record() returns early); their progress counts at the next recorded sample. So is a step
//    whose rate overflows a double (indicatif would turn it into NaN for good).
//  - Rate unknown (nullopt) until the first recorded sample (indicatif's ETA reads 0 then).
//  - The rate never falls to 0 by itself: a stall makes it decay, and the ETA grow, as in
//    indicatif. Only when W underflows (a stall of well over an hour) does it reach 0; it is then
//    held at the smallest positive double, the last positive values the formula gave, so the ETA
//    stays at copyeta's maximum rather than jumping back. (Were it ever not finite, the rate at
//    the last recorded sample would be kept.)
// No interval: lo = hi = remaining.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/frozen_rate.hpp>
#include <copyeta/estimator.hpp>

namespace copyeta::models {

class indicatif final : public estimator {
 public:
  static constexpr double weighting_seconds = 15.0;

  explicit indicatif(const estimator_options& options = {});

  std::string_view name() const noexcept override { return "indicatif"; }

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;

 private:
  // The weight left to a value `age` seconds old: 0.1^(age / 15 s) (estimator_weight()).
  static double weight(double age) noexcept;
  // indicatif's steps_per_second(now).
  double steps_per_second(double now) const noexcept;

  bool started_ = false;
  bool recorded_ = false;
  amount prev_steps_ = 0;
  double prev_time_ = 0.0;
  double start_time_ = 0.0;
  double smoothed_ = 0.0;         // smoothed_steps_per_sec
  double double_smoothed_ = 0.0;  // double_smoothed_steps_per_sec
  detail::frozen_rate rate_;  // the freeze rule (detail/frozen_rate.hpp)
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/indicatif-inl.hpp>
#endif
