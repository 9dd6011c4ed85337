// What an estimator says at one moment: a state, the median remaining time and an interval.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/sample.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace copyeta {

// The closed list of ../docs contracts.md; only additions are allowed, never renames.
enum class state : unsigned char {
  warming_up,     // too little data for an estimate
  unknown_total,  // no total known, so no finish can be predicted (a rate may be known)
  ok,             // normal estimate
  stalled,        // no progress for a while; the interval widens with the stall
  flushing,       // writer done, kernel still writing back dirty pages (attach mode)
  finished,       // done >= total; remaining, lo and hi are 0
  rejected,       // this input row broke the input policy (replay and pipe only)
};

// The contract name: "warming_up", "ok", ...
std::string_view to_string(state s) noexcept;
// The inverse of to_string; nullopt for an unknown name.
std::optional<state> state_from_string(std::string_view name) noexcept;

// The probability that the true finish lies inside [lo, hi]; validated on construction
// (boost.histogram style strong type), so an estimator never sees a level outside (0, 1).
class confidence_level {
 public:
  // Throws options_error unless 0 < value < 1.
  explicit confidence_level(double value);
  double value() const noexcept { return value_; }
  // The standard normal quantile z with P(-z < Z < z) = value.
  double two_sided_z() const noexcept;

 private:
  double value_;
};

// Wall-clock finish times: the median and the interval bounds.
struct finish_times {
  std::chrono::system_clock::time_point median;
  std::chrono::system_clock::time_point lo;
  std::chrono::system_clock::time_point hi;
};

// A lasting change of rate that a model detected: "rate fell 4x at 57%".
struct rate_shift {
  double t = 0.0;         // when the new rate began, on the samples' clock
  double fraction = 0.0;  // done / total at that moment (0 when the total was unknown)
  double factor = 1.0;    // new rate / old rate: 0.25 means the rate fell 4x
};

struct estimate {
  copyeta::state state = state::warming_up;
  double t = 0.0;                // the time the estimate is for, on the samples' clock
  amount done = 0;               // the latest accepted amount
  std::optional<amount> total;   // the latest known total
  // Seconds from t to the finish: the median and the interval at `level`. They hold numbers
  // only when has_remaining(); otherwise all three are 0. Never negative, NaN or infinite,
  // and lo <= remaining <= hi.
  double remaining = 0.0;
  double lo = 0.0;
  double hi = 0.0;
  double level = 0.8;
  std::optional<double> rate;    // amount per second, when a rate is known
  double stalled_for = 0.0;      // seconds without progress, when the state is `stalled`
  std::optional<rate_shift> shift;  // the latest regime shift, for models that detect them

  // True for ok, stalled, flushing and finished: remaining, lo and hi are meaningful.
  bool has_remaining() const noexcept;
  // done / total, in [0, 1] (above 1 is reported as 1), when the total is known and non-zero.
  std::optional<double> fraction() const noexcept;
  // Turns the remaining times into wall-clock times, given the wall-clock time at which the
  // estimate's `t` was observed. nullopt when !has_remaining().
  std::optional<finish_times> finish(std::chrono::system_clock::time_point wall_at_t) const;
};

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/estimate-inl.hpp>
#endif
