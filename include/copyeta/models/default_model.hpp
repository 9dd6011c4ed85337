// copyeta's default model (first version): a blended windowed rate with a log-normal interval
// that is honest about its own simplicity.
//
// Rate: the amount moved over the last `window` seconds (at least `min_window`, and a quarter of
// the run), blended in log space with the average since the run started. Silence longer than the
// usual gap between samples counts as no progress, so a stall lowers the rate and moves the
// finish later instead of freezing it in the past.
//
// Interval: remaining time is log-normal around the median, with a log-spread that grows
//  - with the distance to the end relative to what has been observed (h / (h + elapsed)),
//  - with how much the rate has varied between coarse chunks of the run,
//  - with the disagreement between the windowed rate and the long-run average,
//  - when there are few measurements,
// and during a stall the upper end moves out by the length of the stall so far.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/history.hpp>
#include <copyeta/estimator.hpp>

namespace copyeta::models {

struct default_options {
  double min_window = 30.0;     // seconds
  double window_share = 0.25;   // of the run's elapsed time
  double recent_weight = 0.6;   // weight of the windowed rate against the run average (log space)
  double base_spread = 0.35;    // log-spread when forecasting as far ahead as has been observed
  double few_samples_spread = 0.5;  // extra log-spread with a single measurement; falls as 1/n

  void validate() const;  // throws options_error
};

class default_model final : public estimator {
 public:
  explicit default_model(const estimator_options& options = {}, const default_options& model = {});

  std::string_view name() const noexcept override { return "default"; }

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;
  std::optional<forecast> predict(double now, double left) const noexcept override;

 private:
  struct rates {
    double recent;    // over the window
    double overall;   // since the run started
    double blended;   // what the forecast uses
  };
  std::optional<rates> rates_at(double now) const noexcept;
  // Variance of log rates between up to 8 equal-duration chunks of the run.
  double chunk_log_variance() const noexcept;

  default_options model_;
  double z_;  // two-sided normal quantile of the level
  detail::history<256> history_;
  std::size_t samples_ = 0;           // accepted samples in this run
  std::size_t progress_samples_ = 0;  // of which moved `done`
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/default_model-inl.hpp>
#endif
