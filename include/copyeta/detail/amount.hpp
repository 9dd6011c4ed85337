// Converting floating-point values to amounts under the input policy's rules.
#pragma once

#include <copyeta/input_policy.hpp>
#include <copyeta/sample.hpp>

#include <cmath>
#include <optional>

namespace copyeta::detail {

// 2^64 as a double; every double below it converts to amount without overflow.
inline constexpr double two_to_64 = 18446744073709551616.0;

// Rounds to the nearest integer; on failure sets `why` to amount_not_finite, amount_negative
// or amount_too_large.
inline std::optional<amount> amount_from_double(double value, reject_reason& why) noexcept {
  if (std::isnan(value) || std::isinf(value)) {
    why = reject_reason::amount_not_finite;
    return std::nullopt;
  }
  if (value < 0.0) {
    why = reject_reason::amount_negative;
    return std::nullopt;
  }
  const double rounded = std::nearbyint(value);
  if (rounded >= two_to_64) {
    why = reject_reason::amount_too_large;
    return std::nullopt;
  }
  return static_cast<amount>(rounded);
}

}  // namespace copyeta::detail
