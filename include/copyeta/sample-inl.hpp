#pragma once

#include <copyeta/errors.hpp>
#include <copyeta/input_policy.hpp>
#include <copyeta/sample.hpp>

#include <cmath>

namespace copyeta {
namespace detail {

// 2^64 as a double; every double below it converts to amount without overflow.
inline constexpr double two_to_64 = 18446744073709551616.0;

inline amount to_amount(std::string_view field, double value) {
  if (std::isnan(value) || std::isinf(value))
    throw sample_error(reject_reason::amount_not_finite, field, value, std::nullopt);
  if (value < 0.0) throw sample_error(reject_reason::amount_negative, field, value, std::nullopt);
  const double rounded = std::nearbyint(value);
  if (rounded >= two_to_64)
    throw sample_error(reject_reason::amount_too_large, field, value, std::nullopt);
  return static_cast<amount>(rounded);
}

}  // namespace detail

COPYETA_INLINE sample make_sample(double t, double done, double total) {
  if (!std::isfinite(t)) throw sample_error(reject_reason::time_not_finite, "t", t, std::nullopt);
  sample s;
  s.t = t;
  s.done = detail::to_amount("done", done);
  if (!std::isnan(total)) s.total = detail::to_amount("total", total);
  return s;
}

}  // namespace copyeta
