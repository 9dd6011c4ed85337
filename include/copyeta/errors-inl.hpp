#pragma once

#include <copyeta/errors.hpp>
#include <copyeta/input_policy.hpp>

#include <fmt/format.h>

namespace copyeta {
namespace detail {

inline std::string sample_error_message(reject_reason reason, std::string_view field, double value,
                                        std::optional<double> previous) {
  const auto tag = to_string(reason);
  switch (reason) {
    case reject_reason::time_backwards:
      return fmt::format("[copyeta.sample.{}] {} = {} is before the previous sample's {} = {}", tag,
                         field, value, field, previous.value_or(0.0));
    case reject_reason::time_not_finite:
    case reject_reason::amount_not_finite:
      return fmt::format("[copyeta.sample.{}] {} = {} is not a finite number", tag, field, value);
    case reject_reason::amount_negative:
      return fmt::format("[copyeta.sample.{}] {} = {} is negative", tag, field, value);
    case reject_reason::amount_too_large:
      return fmt::format("[copyeta.sample.{}] {} = {} is above 2^64-1", tag, field, value);
    case reject_reason::time_too_large:
      return fmt::format("[copyeta.sample.{}] {} = {} is beyond ±2^53 seconds", tag, field, value);
    case reject_reason::malformed:
      return fmt::format("[copyeta.sample.{}] {} = {} did not parse", tag, field, value);
    case reject_reason::none:
      break;
  }
  return fmt::format("[copyeta.sample] {} = {}", field, value);
}

}  // namespace detail

COPYETA_INLINE sample_error::sample_error(reject_reason reason, std::string_view field,
                                          double value, std::optional<double> previous)
    : std::invalid_argument(detail::sample_error_message(reason, field, value, previous)),
      reason_(reason),
      field_(field),
      value_(value),
      previous_(previous) {}

COPYETA_INLINE options_error::options_error(const std::string& what)
    : std::invalid_argument(what) {}

COPYETA_INLINE input_error::input_error(const std::string& what) : std::runtime_error(what) {}

}  // namespace copyeta
