#pragma once

#include <copyeta/detail/amount.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/input_policy.hpp>

#include <cmath>

namespace copyeta {

COPYETA_INLINE std::string_view to_string(reject_reason reason) noexcept {
  switch (reason) {
    case reject_reason::none: return "none";
    case reject_reason::time_not_finite: return "time_not_finite";
    case reject_reason::time_backwards: return "time_backwards";
    case reject_reason::amount_negative: return "amount_negative";
    case reject_reason::amount_not_finite: return "amount_not_finite";
    case reject_reason::amount_too_large: return "amount_too_large";
    case reject_reason::malformed: return "malformed";
    case reject_reason::time_too_large: return "time_too_large";
  }
  return "unknown";
}

COPYETA_INLINE sample_check check_sample(const std::optional<sample>& previous,
                                         const sample& next) noexcept {
  if (!std::isfinite(next.t)) return {reject_reason::time_not_finite, false};
  if (std::fabs(next.t) > max_abs_time) return {reject_reason::time_too_large, false};
  if (!previous) return {};
  if (next.t < previous->t) return {reject_reason::time_backwards, false};
  return {reject_reason::none, next.done < previous->done};
}

COPYETA_INLINE void throw_if_rejected(const sample_check& check,
                                      const std::optional<sample>& previous, const sample& next) {
  if (check.accepted()) return;
  std::optional<double> previous_t;
  if (previous) previous_t = previous->t;
  throw sample_error(check.reason, "t", next.t, previous_t);
}

namespace detail {

inline amount to_amount(std::string_view field, double value) {
  reject_reason why = reject_reason::none;
  const auto converted = amount_from_double(value, why);
  if (!converted) throw sample_error(why, field, value, std::nullopt);
  return *converted;
}

}  // namespace detail

COPYETA_INLINE sample make_sample(double t, double done, double total) {
  if (!std::isfinite(t)) throw sample_error(reject_reason::time_not_finite, "t", t, std::nullopt);
  if (std::fabs(t) > max_abs_time)
    throw sample_error(reject_reason::time_too_large, "t", t, std::nullopt);
  sample s;
  s.t = t;
  s.done = detail::to_amount("done", done);
  if (!std::isnan(total)) s.total = detail::to_amount("total", total);
  return s;
}

}  // namespace copyeta
