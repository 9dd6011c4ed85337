// The one input policy every entry point (C++ API, monitor, CLI, Python) applies to samples.
//
//  case                                   strict estimator::add()        lenient monitor::add()
//  -------------------------------------  -----------------------------  -------------------------
//  t is NaN or infinite                   throws sample_error            rejected, counted
//  |t| above 2^53 s (285 million years)   throws sample_error            rejected, counted
//    (time_too_large): a double no longer resolves a second there, and spans between such
//    times would overflow to infinity
//  t before the previous sample's t       throws sample_error            rejected, counted
//  t equal to the previous t              accepted: the tool printed twice in one clock tick;
//                                         models see a zero-length step and never divide by it
//  done below the previous done           accepted as a restart (a tool resumed or restarted a
//                                         file): rate history is dropped, the run starts anew
//  total changes                          accepted: the latest total wins (rsync growing its
//                                         total while it scans, a row-count estimate refined)
//  total disappears (nullopt)             accepted: the last known total is kept
//  done greater than total                accepted: the job is finished (state `finished`)
//  amounts up to 2^64-1                   accepted exactly; differences are taken in integers
//  negative, NaN, infinite or too large   cannot be expressed in copyeta::sample (amounts are
//    amounts from floating-point or text  unsigned); make_sample() and the parsers reject them
//                                         with amount_negative / amount_not_finite /
//                                         amount_too_large
//
// Whatever is accepted, an estimate never holds NaN, infinity or a negative time.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/sample.hpp>

#include <optional>
#include <string_view>

namespace copyeta {

enum class reject_reason : unsigned char {
  none = 0,
  time_not_finite,
  time_backwards,
  amount_negative,
  amount_not_finite,
  amount_too_large,
  malformed,  // a text row whose fields did not parse (trace and tool-output readers)
  time_too_large,
};

inline constexpr int reject_reason_count = 8;

// The largest |t| a sample may carry, in seconds: 2^53, below which a double resolves a second
// and the difference of any two times is finite.
inline constexpr double max_abs_time = 9007199254740992.0;

// The snake_case name used in JSON ("reason") and in messages, e.g. "time_backwards".
std::string_view to_string(reject_reason reason) noexcept;

struct sample_check {
  reject_reason reason = reject_reason::none;
  bool restart = false;  // accepted, but done went backwards: the run starts anew

  bool accepted() const noexcept { return reason == reject_reason::none; }
};

// Applies the policy above to `next`, given the previously accepted sample (if any).
sample_check check_sample(const std::optional<sample>& previous, const sample& next) noexcept;

// Builds a sample from floating-point amounts (numpy arrays, percentages, parsed text), applying
// the amount rules above. Amounts are rounded to the nearest integer; a NaN total means
// "unknown". Throws sample_error for a non-finite time, or for an amount that is negative,
// infinite, NaN (done only) or above 2^64-1.
sample make_sample(double t, double done, double total);

// Throws the sample_error that describes a rejected check (no-op when accepted).
void throw_if_rejected(const sample_check& check, const std::optional<sample>& previous,
                       const sample& next);

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/input_policy-inl.hpp>
#endif
