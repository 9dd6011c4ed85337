// How the default model combines its components' forecasts, shared by the live model and by
// calibration so both compute exactly the same thing.
#pragma once

#include <copyeta/estimator.hpp>
#include <copyeta/models/drift_diffusion.hpp>
#include <copyeta/models/kalman.hpp>
#include <copyeta/models/robust_window.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <optional>

namespace copyeta::detail {

inline constexpr std::size_t ensemble_size = 3;  // robust_window, drift_diffusion, kalman

// One component's forecast in log space: the log of its median remaining time, and the log-sd
// implied by its own interval.
struct component_forecast {
  bool available = false;
  double log_median = 0.0;
  double spread = 0.0;
};

struct combined_forecast {
  double log_median = 0.0;
  double spread = 0.0;  // the scale that calibration's normalised errors are measured in
};

// The level at which the components are run; their intervals only give the ensemble a scale.
inline constexpr double component_level = 0.8;

// A component's estimate in log space. `z` is the two-sided normal quantile of component_level.
inline component_forecast to_component_forecast(bool available, double remaining, double lo,
                                                double hi, double z) noexcept {
  if (!available) return {};
  constexpr double floor = 1e-3;  // a millisecond, as in metrics.md's q-error
  const double m = std::max(remaining, floor);
  const double l = std::min(std::max(lo, floor), m);
  const double h = std::max(hi, m);
  return {true, std::log(m), std::log(h / l) / (2.0 * z)};
}

// The scale that calibration measures errors in is the mixture's log-sd, capped at
// `max_spread`, combined with `structural_spread`: the error no component can see coming (a
// cache cliff, a throttle, a flush after the last byte), of the order of the fixed factors an
// honest peer interval needs. Without the floor, a steady copy's tiny spread would turn every
// small surprise into a huge normalised error; without the cap, one component's wild guess
// would blow every interval up.
inline constexpr double max_spread = 1.0;
inline constexpr double structural_spread = 0.3;

// The weighted mean of the available components' log medians, with the spread of the weighted
// mixture (own spreads plus disagreement). Components with weight 0 are left out unless no
// weighted component is available, in which case the available ones count equally.
inline std::optional<combined_forecast> combine(
    const std::array<component_forecast, ensemble_size>& parts,
    const std::array<double, ensemble_size>& weights) noexcept {
  std::array<double, ensemble_size> w{};
  double sum = 0.0;
  for (std::size_t k = 0; k < ensemble_size; ++k)
    if (parts[k].available) sum += w[k] = weights[k];
  if (!(sum > 0.0)) {
    for (std::size_t k = 0; k < ensemble_size; ++k)
      if (parts[k].available) sum += w[k] = 1.0;
    if (!(sum > 0.0)) return std::nullopt;
  }
  double mean = 0.0;
  for (std::size_t k = 0; k < ensemble_size; ++k) mean += w[k] / sum * parts[k].log_median;
  double variance = 0.0;
  for (std::size_t k = 0; k < ensemble_size; ++k) {
    const double gap = parts[k].log_median - mean;
    variance += w[k] / sum * (parts[k].spread * parts[k].spread + gap * gap);
  }
  const double spread = std::min(std::sqrt(variance), max_spread);
  return combined_forecast{mean, std::sqrt(spread * spread + structural_spread * structural_spread)};
}

// The components as the ensemble runs them, in weight order. The window is run short and
// mostly recent, so that the ensemble spans memories from seconds (robust_window) through the
// Kalman filter's mean reversion to the whole run (drift_diffusion), and the learned weights
// choose among them.
class ensemble_members {
 public:
  static models::robust_window_options window_options() {
    models::robust_window_options o;
    o.min_window = 5.0;
    o.recent_weight = 1.0;
    return o;
  }

  explicit ensemble_members(const estimator_options& options)
      : window_(at_component_level(options), window_options()),
        diffusion_(at_component_level(options)),
        kalman_(at_component_level(options)),
        z_(confidence_level{component_level}.two_sided_z()) {}

  void add(const sample& s) noexcept {
    window_.try_add(s);
    diffusion_.try_add(s);
    kalman_.try_add(s);
  }
  void reset() noexcept {
    window_.reset();
    diffusion_.reset();
    kalman_.reset();
  }
  std::array<const estimator*, ensemble_size> parts() const noexcept {
    return {&window_, &diffusion_, &kalman_};
  }
  const estimator& window() const noexcept { return window_; }

  // What the ensemble reads of its components at one time: each one's rate (as its estimate
  // reports it) and its forecast in log space.
  struct reading {
    std::array<std::optional<double>, ensemble_size> rates{};
    std::array<component_forecast, ensemble_size> forecasts{};
  };

  // Each component's estimate at `now` (finite), computed once.
  reading read(double now) const noexcept {
    reading out;
    const auto all = parts();
    for (std::size_t k = 0; k < ensemble_size; ++k) {
      const estimate e = all[k]->estimate_at(now, false);
      out.rates[k] = e.rate;
      out.forecasts[k] = to_component_forecast(e.has_remaining() && e.state != state::finished,
                                               e.remaining, e.lo, e.hi, z_);
    }
    return out;
  }

  // What the default model needs of read(now) with these weights, reading only the components
  // that can change its result: the rate uses positively weighted components (the window's when
  // none has one), and combine() gives a zero-weighted forecast a term of exactly 0 (its values
  // are finite) unless no weighted forecast is available. So a component of weight 0 is read
  // only for those fallbacks; one that is not read is left unavailable, which combine() treats
  // the same. With the shipped weights (0, 0, 1) an estimate reads the Kalman filter alone.
  reading read(double now, const std::array<double, ensemble_size>& weights,
               bool with_forecast) const noexcept {
    reading out;
    std::array<bool, ensemble_size> taken{};
    const auto all = parts();
    const auto take = [&](std::size_t k) {
      const estimate e = all[k]->estimate_at(now, false);
      out.rates[k] = e.rate;
      out.forecasts[k] = to_component_forecast(e.has_remaining() && e.state != state::finished,
                                               e.remaining, e.lo, e.hi, z_);
      taken[k] = true;
    };
    double rate_weight = 0.0;
    double forecast_weight = 0.0;
    for (std::size_t k = 0; k < ensemble_size; ++k) {
      if (weights[k] == 0.0) continue;
      take(k);
      if (out.rates[k] && !(weights[k] <= 0.0)) rate_weight += weights[k];
      if (out.forecasts[k].available) forecast_weight += weights[k];
    }
    if (!(rate_weight > 0.0) && !taken[0]) take(0);
    if (with_forecast && !(forecast_weight > 0.0))
      for (std::size_t k = 0; k < ensemble_size; ++k)
        if (!taken[k]) take(k);
    return out;
  }

  // Each component's estimate at `now`, in log space.
  std::array<component_forecast, ensemble_size> forecasts(double now) const {
    return read(now).forecasts;
  }

 private:
  static estimator_options at_component_level(estimator_options o) {
    o.level = component_level;
    return o;
  }

  models::robust_window window_;
  models::drift_diffusion diffusion_;
  models::kalman kalman_;
  double z_;
};

}  // namespace copyeta::detail
