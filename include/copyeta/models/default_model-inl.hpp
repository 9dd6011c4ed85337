#pragma once

#include <copyeta/models/default_model.hpp>

#include <cmath>

namespace copyeta::models {

COPYETA_INLINE default_model::default_model(const estimator_options& options,
                                            const calibration& calibrated)
    : estimator(options), members_(options), weights_(calibrated.weights()) {
  const double level = options.level;
  const double p[3] = {(1.0 - level) / 2.0, 0.5, (1.0 + level) / 2.0};
  for (std::size_t j = 0; j < 3; ++j)
    for (std::size_t b = 0; b < bucket_count; ++b)
      quantiles_[j][b] = calibrated.bucket_quantile(b, p[j]);
}

COPYETA_INLINE void default_model::on_sample(const sample& s) noexcept { members_.add(s); }

COPYETA_INLINE void default_model::on_restart() noexcept { members_.reset(); }

COPYETA_INLINE std::optional<rate_shift> default_model::shift() const noexcept {
  return members_.window().shift();
}

COPYETA_INLINE std::optional<double> default_model::rate(double now) const noexcept {
  return evaluate(now, 0.0).rate;
}

COPYETA_INLINE std::optional<estimator::forecast> default_model::predict(
    double now, double left) const noexcept {
  return evaluate(now, left).prediction;
}

COPYETA_INLINE estimator::outlook default_model::evaluate(double now,
                                                          double left) const noexcept {
  const detail::ensemble_members::reading parts = members_.read(now, weights_, left > 0.0);
  outlook o;
  // The components' rates, weighted like their forecasts (in log space); the window's alone
  // when no weighted component has one.
  double sum = 0.0;
  double log_rate = 0.0;
  for (std::size_t k = 0; k < detail::ensemble_size; ++k) {
    const auto& r = parts.rates[k];
    if (!r || weights_[k] <= 0.0) continue;
    sum += weights_[k];
    log_rate += weights_[k] * std::log(*r);
  }
  o.rate = sum > 0.0 ? std::optional<double>(std::exp(log_rate / sum)) : parts.rates[0];
  if (!(left > 0.0)) return o;

  const auto c = detail::combine(parts.forecasts, weights_);
  if (!c) return o;
  const sample& latest = *last();
  const double fraction = static_cast<double>(latest.done) / static_cast<double>(*latest.total);
  const auto at = [&](std::size_t j) {
    return std::exp(c->log_median + c->spread * detail::between_buckets(quantiles_[j], fraction));
  };
  o.prediction = forecast{at(1), at(0), at(2)};
  return o;
}

}  // namespace copyeta::models
