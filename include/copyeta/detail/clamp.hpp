// Keeps every number an estimate reports finite and non-negative.
#pragma once

#include <cmath>

namespace copyeta::detail {

// About 31,700 years: far beyond any copy, yet finite and exact in JSON. A rate so low that the
// remaining time exceeds it is reported at this bound rather than as infinity.
inline constexpr double max_seconds = 1e12;

inline double clamp_seconds(double seconds) noexcept {
  if (std::isnan(seconds) || seconds < 0.0) return 0.0;
  return seconds > max_seconds ? max_seconds : seconds;
}

}  // namespace copyeta::detail
