// copyeta's default model: an ensemble of the three components, calibrated across finished jobs.
//
// Each component (robust_window, drift_diffusion, kalman) forecasts the remaining time with its
// own interval. The ensemble takes the weighted mean of their log medians, with the spread of
// the mixture as its scale, and then lets the calibration (calibration.hpp) place the median
// and the interval at the error quantiles measured on real finished copies, for the progress
// bucket the copy is in. The weights are learned by the same calibration.
#pragma once

#include <copyeta/calibration.hpp>
#include <copyeta/config.hpp>
#include <copyeta/estimator.hpp>
#include <copyeta/detail/ensemble.hpp>

#include <array>

namespace copyeta::models {

class default_model final : public estimator {
 public:
  // The calibration is read once, here: the model keeps only its weights and the quantiles at
  // the options' level, so that estimating never allocates.
  explicit default_model(const estimator_options& options = {},
                         const calibration& calibrated = calibration::builtin());

  std::string_view name() const noexcept override { return "default"; }
  // The latest regime shift that the robust window detected.
  std::optional<rate_shift> shift() const noexcept override;

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;
  std::optional<forecast> predict(double now, double left) const noexcept override;
  // Reads the components once for both the rate and the forecast.
  outlook evaluate(double now, double left) const noexcept override;

 private:
  detail::ensemble_members members_;
  calibration::weight_vector weights_;
  // Normalised-error quantiles per bucket: (1 - level) / 2, 0.5 and (1 + level) / 2.
  std::array<std::array<double, bucket_count>, 3> quantiles_{};
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/default_model-inl.hpp>
#endif
