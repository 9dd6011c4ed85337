#pragma once

#include <copyeta/errors.hpp>
#include <copyeta/models/default_model.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace copyeta::models {

COPYETA_INLINE void default_options::validate() const {
  const auto require = [](bool ok, const char* field, double value, const char* rule) {
    if (!ok) throw options_error(fmt::format("[copyeta.options] {} = {} must be {}", field, value, rule));
  };
  require(min_window > 0.0 && std::isfinite(min_window), "min_window", min_window, "positive");
  require(window_share > 0.0 && window_share <= 1.0, "window_share", window_share, "in (0, 1]");
  require(recent_weight >= 0.0 && recent_weight <= 1.0, "recent_weight", recent_weight, "in [0, 1]");
  require(base_spread >= 0.0 && std::isfinite(base_spread), "base_spread", base_spread,
          "non-negative");
  require(few_samples_spread >= 0.0 && std::isfinite(few_samples_spread), "few_samples_spread",
          few_samples_spread, "non-negative");
}

COPYETA_INLINE default_model::default_model(const estimator_options& options,
                                            const default_options& model)
    : estimator(options), model_(model), z_(confidence_level{options.level}.two_sided_z()) {
  model_.validate();
}

COPYETA_INLINE void default_model::on_sample(const sample& s) noexcept {
  if (!history_.empty() && s.done > history_.back().done) ++progress_samples_;
  history_.push(s.t, s.done);
  ++samples_;
}

COPYETA_INLINE void default_model::on_restart() noexcept {
  history_.clear();
  progress_samples_ = 0;
  samples_ = 0;
}

COPYETA_INLINE std::optional<default_model::rates> default_model::rates_at(
    double now) const noexcept {
  if (progress_samples_ == 0) return std::nullopt;
  const detail::point& first = history_.front();
  const detail::point& last = history_.back();
  if (!(last.t > first.t)) return std::nullopt;

  // Silence beyond twice the mean spacing between samples counts as no progress.
  const double spacing = (last.t - first.t) / static_cast<double>(samples_ - 1);
  const double end = std::max(last.t, now - 2.0 * spacing);
  const double elapsed = end - first.t;

  const double overall = static_cast<double>(last.done - first.done) / elapsed;
  const double window = std::max(model_.min_window, model_.window_share * elapsed);
  const detail::point& start = history_[history_.index_at_or_before(end - window)];
  double recent = static_cast<double>(last.done - start.done) / (end - start.t);
  // A window with no progress at all still leaves the run's history as evidence.
  recent = std::max(recent, 0.01 * overall);
  const double w = model_.recent_weight;
  return rates{recent, overall, std::exp(w * std::log(recent) + (1.0 - w) * std::log(overall))};
}

COPYETA_INLINE double default_model::chunk_log_variance() const noexcept {
  const detail::point& first = history_.front();
  const detail::point& last = history_.back();
  const std::size_t chunks = std::min<std::size_t>(8, history_.size() - 1);
  if (chunks < 3) return 0.0;
  const double span = (last.t - first.t) / static_cast<double>(chunks);
  const double floor = 0.01 * static_cast<double>(last.done - first.done) / (last.t - first.t);
  double sum = 0.0;
  double sum_sq = 0.0;
  double before = static_cast<double>(first.done);
  for (std::size_t k = 1; k <= chunks; ++k) {
    const double after = history_.done_at(first.t + span * static_cast<double>(k));
    const double log_rate = std::log(std::max((after - before) / span, floor));
    sum += log_rate;
    sum_sq += log_rate * log_rate;
    before = after;
  }
  const double n = static_cast<double>(chunks);
  return std::max(0.0, (sum_sq - sum * sum / n) / (n - 1.0));
}

COPYETA_INLINE std::optional<double> default_model::rate(double now) const noexcept {
  const auto r = rates_at(now);
  if (!r) return std::nullopt;
  return r->blended;
}

COPYETA_INLINE std::optional<estimator::forecast> default_model::predict(
    double now, double left) const noexcept {
  const auto r = rates_at(now);
  if (!r) return std::nullopt;
  const double median = left / r->blended;
  const double elapsed = std::max(now, history_.back().t) - history_.front().t;
  const double horizon_share = median / (median + elapsed);
  const double disagreement = std::log(r->recent / r->overall);
  const double variance = model_.base_spread * model_.base_spread * horizon_share +
                          chunk_log_variance() * horizon_share +
                          0.25 * disagreement * disagreement +
                          model_.few_samples_spread * model_.few_samples_spread /
                              static_cast<double>(progress_samples_);
  const double spread = z_ * std::sqrt(variance);
  forecast f{median, median * std::exp(-spread), median * std::exp(spread)};
  if (is_stalled(now)) f.hi += seconds_without_progress(now);
  return f;
}

}  // namespace copyeta::models
