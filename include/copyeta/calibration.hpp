// Calibration across finished jobs: what turns the default model's raw forecast into an
// interval that holds the truth as often as it claims.
//
// One job's own noise understates how wrong a forecast can be (caches fill, links throttle, a
// flush follows the last byte). So the default model measures its error on finished jobs: for
// every scored sample, the normalised log error e = ln(R / P) / s, where P is the ensemble's raw
// median and s its own spread. The calibration keeps, per progress bucket, the distribution of e
// (a histogram in which every job weighs the same), and the interval at level c is
// P·exp(s·q((1-c)/2)) .. P·exp(s·q((1+c)/2)), with the median moved to P·exp(s·q(0.5)): split
// conformal prediction with the ensemble's spread as the scale.
//
// It also learns the ensemble's weights: the loss (median q-error per job, summed over jobs) of
// every weight vector on a grid, so that new jobs add to it and the best vector can be chosen.
// Everything it holds is a sum over jobs, so calibrations of disjoint job sets merge by addition.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/ensemble.hpp>
#include <copyeta/scoring.hpp>
#include <copyeta/trace.hpp>

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace copyeta {

namespace detail {

// What one finished job says about the ensemble's components: their forecasts at each scored
// sample, and the truth.
struct job_evidence {
  struct point {
    std::size_t bucket = 0;
    double log_truth = 0.0;  // ln R
    std::array<component_forecast, ensemble_size> parts{};
  };
  std::string name;
  std::vector<point> points;
};

// Replays the components through a scored trace.
job_evidence gather_evidence(const scoring_trace& job);

// Per-bucket values interpolated linearly between the buckets' centres (20%, 50%, 80%), so that
// what depends on them does not jump at a bucket's edge.
inline double between_buckets(const std::array<double, bucket_count>& per_bucket,
                              double fraction) noexcept {
  constexpr double centre[bucket_count] = {0.2, 0.5, 0.8};
  if (!(fraction > centre[0])) return per_bucket[0];
  for (std::size_t b = 0; b + 1 < bucket_count; ++b) {
    if (fraction <= centre[b + 1]) {
      const double share = (fraction - centre[b]) / (centre[b + 1] - centre[b]);
      return (1.0 - share) * per_bucket[b] + share * per_bucket[b + 1];
    }
  }
  return per_bucket[bucket_count - 1];
}

}  // namespace detail

class calibration {
 public:
  using weight_vector = std::array<double, detail::ensemble_size>;

  static constexpr int format_version = 1;
  // The components in weight order.
  static constexpr std::array<std::string_view, detail::ensemble_size> components{
      "robust_window", "drift_diffusion", "kalman"};
  // A bucket needs this many jobs' worth of weight before its own quantiles are used; below it
  // the pooled distribution of every bucket stands in.
  static constexpr double min_bucket_jobs = 5.0;
  static constexpr double bin_width = 0.05;  // of the normalised error
  static constexpr double max_error = 20.0;  // normalised errors are clamped to +-max_error

  // Knows nothing yet: equal weights, and normalised errors taken as standard normal.
  calibration();

  // Learns weights, then error quantiles, from finished jobs. Traces that cannot be scored
  // (docs/METRICS.md) are skipped.
  static calibration fit(const std::vector<trace>& jobs);
  static calibration fit(const std::vector<scoring_trace>& jobs);
  static calibration fit(const std::vector<detail::job_evidence>& jobs);

  // Adds one more finished job. The weights stay as they are (their loss table learns, and a
  // later fit() may choose others), so that the error quantiles stay consistent with them.
  void update(const scoring_trace& job);
  void update(const detail::job_evidence& job);

  // Adds what `other` learned: jobs, loss table and error histograms. Valid only when both
  // hold the same weights (==), as calibrations of disjoint job sets learned by update() from
  // one starting point do: the result is then what update() on every job would have given, up
  // to the rounding of the sums (a + b is exact and commutative, but (a + b) + c and
  // a + (b + c) may differ in the last bit). For bit-exact merges in any order, merge
  // calibration_evidence and fit once. Throws options_error when the weights differ, and
  // changes nothing then.
  void merge(const calibration& other);

  const weight_vector& weights() const noexcept { return weights_; }
  // How many jobs it has learned from (jobs with no scored sample teach nothing, and are not
  // counted).
  std::size_t jobs() const noexcept { return jobs_; }
  // The p-quantile (0 < p < 1) of the normalised error at a fraction done (between_buckets).
  double quantile(double fraction, double p) const;
  // The same for one bucket (0 early, 1 mid, 2 late).
  double bucket_quantile(std::size_t bucket, double p) const;

  // Versioned JSON: {"format": "copyeta.calibration", "version": 1, ...}. Byte-stable: the same
  // calibration always gives the same text. Numbers keep 9 significant digits, which makes the
  // same file on every platform's libm; `exact` writes each number so that it reads back to the
  // same double (pickling, a coordinator merging workers' tables).
  std::string to_json(bool exact = false) const;
  // Throws input_error naming `source` and what is wrong.
  static calibration from_json(std::string_view text, std::string_view source = "calibration");
  // Writes atomically (a temporary file renamed over `path`); throws input_error on failure.
  void save(const std::string& path) const;
  static calibration load(const std::string& path);

  // The calibration shipped with copyeta (src/calibration/default_calibration.json, produced
  // by scripts/calibrate from tests/data/traces).
  static const calibration& builtin();

  friend bool operator==(const calibration& a, const calibration& b) noexcept;

 private:
  friend class calibration_evidence;  // shares the per-job work of leave-one-out fits

  static std::vector<weight_vector> weight_grid();
  // Adds a job's normalised errors under the current weights.
  void add_errors(const detail::job_evidence& job);
  // Adds a job's loss for every weight vector of the grid.
  void add_losses(const detail::job_evidence& job);

  weight_vector weights_;
  std::size_t jobs_ = 0;
  std::vector<double> loss_;  // per weight_grid() entry
  // Per bucket: histogram bin index -> weight (every job adds 1 in total to each bucket it
  // has samples in).
  std::array<std::map<int, double>, bucket_count> bins_;
};

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/calibration-inl.hpp>
#endif
