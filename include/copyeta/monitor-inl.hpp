#pragma once

#include <copyeta/calibration.hpp>
#include <copyeta/models.hpp>
#include <copyeta/models/default_model.hpp>
#include <copyeta/monitor.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace copyeta {

COPYETA_INLINE void monitor_options::validate() const {
  estimator.validate();
  const auto& names = model_names();
  if (std::find(names.begin(), names.end(), model) == names.end())
    throw options_error(fmt::format("[copyeta.options] unknown model '{}'; known models: {}", model,
                                    fmt::join(names, ", ")));
  if (calibration && model != "default")
    throw options_error(fmt::format(
        "[copyeta.options] a calibration is for the default model, not for '{}'", model));
}

namespace detail {

inline std::unique_ptr<estimator> monitored_model(const monitor_options& options) {
  options.validate();
  if (options.calibration)
    return std::make_unique<models::default_model>(options.estimator, *options.calibration);
  return make_estimator(options.model, options.estimator);
}

}  // namespace detail

COPYETA_INLINE monitor::monitor(const monitor_options& options)
    : estimator_(detail::monitored_model(options)) {}


COPYETA_INLINE sample_check monitor::add(const sample& s) noexcept {
  const sample_check check = estimator_->try_add(s);
  if (check.accepted()) {
    ++accepted_;
  } else {
    ++rejected_[static_cast<std::size_t>(check.reason)];
    last_rejection_ = check.reason;
  }
  return check;
}

COPYETA_INLINE copyeta::estimate monitor::estimate(double now) const noexcept {
  if (!std::isfinite(now)) now = estimator_->last() ? estimator_->last()->t : 0.0;
  now = std::clamp(now, -max_abs_time, max_abs_time);
  // With a finite `now` within range the estimator has nothing left to throw for.
  return estimator_->estimate(now);
}

COPYETA_INLINE std::uint64_t monitor::rejected() const noexcept {
  return std::accumulate(rejected_.begin(), rejected_.end(), std::uint64_t{0});
}

COPYETA_INLINE std::uint64_t monitor::rejected(reject_reason reason) const noexcept {
  return rejected_[static_cast<std::size_t>(reason)];
}

}  // namespace copyeta
