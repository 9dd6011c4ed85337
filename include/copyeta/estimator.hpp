// The streaming estimator interface every model implements.
//
// Time is always passed in: add() takes the sample's time and estimate() takes `now`, both on
// the caller's clock. No estimator ever reads a clock, so the same input gives the same output.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/estimate.hpp>
#include <copyeta/input_policy.hpp>
#include <copyeta/sample.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace copyeta {

namespace detail {
class ensemble_members;
}

struct estimator_options {
  // Probability that [lo, hi] holds the true finish.
  double level = 0.8;
  // No progress for this many seconds, and for `stall_gaps` times the usual gap between
  // progress samples, makes the state `stalled`. The second rule keeps a tool that reports once
  // a minute from looking stalled between its reports.
  double stall_after = 15.0;
  double stall_gaps = 4.0;

  // Throws options_error naming the first field out of range.
  void validate() const;
};

class estimator {
 public:
  // Validates the options (throws options_error).
  explicit estimator(const estimator_options& options);
  virtual ~estimator() = default;

  // The strict API: applies the input policy (input_policy.hpp) and throws sample_error for a
  // sample it rejects; the estimator is unchanged then.
  void add(const sample& s);
  // The same without exceptions: returns the check, and changes nothing when it rejects.
  sample_check try_add(const sample& s) noexcept;

  // The estimate at time `now` (seconds on the samples' clock). A `now` before the latest sample
  // is taken as the latest sample's time. Throws options_error when `now` is not finite or is
  // beyond ±2^53 s (max_abs_time).
  copyeta::estimate estimate(double now) const;

  // Forgets every sample.
  void reset() noexcept;

  // The model name of contracts.md ("default", "tqdm", ...).
  virtual std::string_view name() const noexcept = 0;

  const estimator_options& options() const noexcept { return options_; }
  // The latest accepted sample (its total is the latest known total).
  const std::optional<sample>& last() const noexcept { return last_; }
  // How many accepted samples had `done` below the previous one (resumes, restarts).
  std::uint64_t restarts() const noexcept { return restarts_; }
  // The latest lasting rate change the model detected in this run; none by default.
  virtual std::optional<rate_shift> shift() const noexcept { return std::nullopt; }

 protected:
  // What a model predicts for `left` more units from time `now`.
  struct forecast {
    double remaining = 0.0;  // median seconds from now
    double lo = 0.0;
    double hi = 0.0;
  };

  // An accepted sample, with its total filled in from earlier samples when it had none. Called
  // after on_restart() when done went backwards, so a model sees one monotone run at a time.
  virtual void on_sample(const sample& s) noexcept = 0;
  // Drop every rate statistic: the next sample starts a new run.
  virtual void on_restart() noexcept = 0;
  // The current rate (amount per second, > 0), or nullopt while the model cannot tell.
  virtual std::optional<double> rate(double now) const noexcept = 0;
  // The forecast for `left` (> 0) more units. The default is a peer's: left / rate, with no
  // interval. nullopt while warming up. The base class clamps whatever comes back into a valid
  // estimate, so a model can never emit NaN, infinity or a negative time.
  virtual std::optional<forecast> predict(double now, double left) const noexcept;

  // What estimate() asks of a model at one time: rate(now) and, when `left` > 0, predict(now,
  // left). The default calls the two; a model whose rate and forecast come from the same fit
  // overrides this to fit once. Both results must be what rate() and predict() would return.
  struct outlook {
    std::optional<double> rate;
    std::optional<forecast> prediction;
  };
  virtual outlook evaluate(double now, double left) const noexcept;

  // Seconds since the last sample that moved `done` (0 when there is none yet).
  double seconds_without_progress(double now) const noexcept;
  // Whether the state at `now` is `stalled` under the options' rule.
  bool is_stalled(double now) const noexcept;

 private:
  // The ensemble reads its components' estimates without their shift(), which it never uses.
  friend class detail::ensemble_members;
  // estimate() for a finite `now`; shift() only when `with_shift`.
  copyeta::estimate estimate_at(double now, bool with_shift) const noexcept;

  estimator_options options_;
  std::optional<sample> last_;
  double last_progress_t_ = 0.0;
  double usual_gap_ = 0.0;  // exponentially weighted gap between progress samples
  std::uint64_t restarts_ = 0;
};

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/estimator-inl.hpp>
#endif
