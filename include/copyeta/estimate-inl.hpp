#pragma once

#include <copyeta/detail/normal.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/estimate.hpp>

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <utility>

namespace copyeta {
namespace detail {

inline constexpr std::array<std::pair<state, std::string_view>, 7> state_names{{
    {state::warming_up, "warming_up"},
    {state::unknown_total, "unknown_total"},
    {state::ok, "ok"},
    {state::stalled, "stalled"},
    {state::flushing, "flushing"},
    {state::finished, "finished"},
    {state::rejected, "rejected"},
}};

}  // namespace detail

COPYETA_INLINE std::string_view to_string(state s) noexcept {
  for (const auto& [value, name] : detail::state_names)
    if (value == s) return name;
  return "unknown";
}

COPYETA_INLINE std::optional<state> state_from_string(std::string_view name) noexcept {
  for (const auto& [value, known] : detail::state_names)
    if (known == name) return value;
  return std::nullopt;
}

COPYETA_INLINE confidence_level::confidence_level(double value) : value_(value) {
  if (!(value > 0.0 && value < 1.0))
    throw options_error(fmt::format("[copyeta.options] level = {} must be inside (0, 1)", value));
}

COPYETA_INLINE double confidence_level::two_sided_z() const noexcept {
  return detail::normal_quantile(0.5 + value_ / 2.0);
}

COPYETA_INLINE bool estimate::has_remaining() const noexcept {
  return state == state::ok || state == state::stalled || state == state::flushing ||
         state == state::finished;
}

COPYETA_INLINE std::optional<double> estimate::fraction() const noexcept {
  if (!total || *total == 0) return std::nullopt;
  if (done >= *total) return 1.0;
  return static_cast<double>(done) / static_cast<double>(*total);
}

COPYETA_INLINE std::optional<finish_times> estimate::finish(
    std::chrono::system_clock::time_point wall_at_t) const {
  if (!has_remaining()) return std::nullopt;
  const auto at = [&](double seconds) {
    return wall_at_t + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                           std::chrono::duration<double>(seconds));
  };
  return finish_times{at(remaining), at(lo), at(hi)};
}

}  // namespace copyeta
