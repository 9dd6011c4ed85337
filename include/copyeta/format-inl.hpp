#pragma once

#include <copyeta/estimate.hpp>
#include <copyeta/format.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace copyeta {
namespace detail::human {

// Durations above this print as this (31.7 million years).
inline constexpr double max_duration = 1e15;
// Clock times further away than this (317,000 years) print as this far away: safe for time_t,
// std::tm and 64-bit arithmetic.
inline constexpr double max_clock_offset = 1e13;

inline constexpr std::array<std::string_view, 7> weekdays{"Sun", "Mon", "Tue", "Wed",
                                                          "Thu", "Fri", "Sat"};
inline constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr",
                                                         "May", "Jun", "Jul", "Aug",
                                                         "Sep", "Oct", "Nov", "Dec"};

// [0, max]; negative and NaN give 0.
inline double clamp_seconds(double s, double max) noexcept {
  if (!(s > 0.0)) return 0.0;
  return std::min(s, max);
}

// To the nearest multiple of `step`, halves up.
inline double round_to(double x, double step) noexcept { return std::floor(x / step + 0.5) * step; }

// The remaining time and interval, clamped to [0, max] and ordered lo <= remaining <= hi even if
// an estimate breaks its contract.
struct interval {
  double remaining;
  double lo;
  double hi;
};

inline interval clamped(const estimate& e, double max) noexcept {
  const double r = clamp_seconds(e.remaining, max);
  return {r, std::min(clamp_seconds(e.lo, max), r), std::max(clamp_seconds(e.hi, max), r)};
}

// Whether distances a and b (>= 0) from the centre to the ends read as one "± u".
inline bool symmetric(double a, double b) noexcept {
  return std::abs(a - b) <= 0.2 * std::max(a, b) + 1e-9;
}

// The contract name in words: "warming up", "unknown total".
inline std::string words(state s) {
  std::string out(to_string(s));
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

inline std::string count_of(double n, std::string_view unit) {
  return fmt::format("{:.0f} {}{}", n, unit, n == 1.0 ? "" : "s");
}

// At most two adjacent units, the smaller rounded; whole years from 365 days on.
inline std::string spell(double seconds) {
  struct unit {
    double seconds;
    std::string_view name;
  };
  static constexpr std::array<unit, 5> units{{{31536000.0, "year"},
                                              {86400.0, "day"},
                                              {3600.0, "hour"},
                                              {60.0, "minute"},
                                              {1.0, "second"}}};
  double v = clamp_seconds(seconds, max_duration);
  for (;;) {
    std::size_t i = 0;
    while (i + 1 < units.size() && v < units[i].seconds) ++i;
    // Years alone; otherwise to the next smaller unit (seconds to the second).
    const double grain = i == 0 || i + 1 == units.size() ? units[i].seconds : units[i + 1].seconds;
    const double rounded = round_to(v, grain);
    if (i > 0 && rounded >= units[i - 1].seconds) {  // 59 minutes 40 seconds is 1 hour
      v = rounded;
      continue;
    }
    const double major = std::floor(rounded / units[i].seconds);
    std::string out = count_of(major, units[i].name);
    if (grain < units[i].seconds) {
      const double minor = round_to((rounded - major * units[i].seconds) / grain, 1.0);
      if (minor > 0.0) out += " " + count_of(minor, units[i + 1].name);
    }
    return out;
  }
}

inline bool to_local(std::int64_t t, std::tm& out) noexcept {
  const auto tt = static_cast<std::time_t>(t);
  if (static_cast<std::int64_t>(tt) != t) return false;
#ifdef _WIN32
  return localtime_s(&out, &tt) == 0;
#else
  return localtime_r(&tt, &out) != nullptr;
#endif
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
inline std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

inline std::int64_t local_day(const std::tm& tm) noexcept {
  return days_from_civil(std::int64_t{tm.tm_year} + 1900, std::int64_t{tm.tm_mon} + 1,
                         std::int64_t{tm.tm_mday});
}

// The local time of day as if it were UTC: seconds since 1970-01-01 00:00 local.
inline std::int64_t local_seconds(const std::tm& tm) noexcept {
  return local_day(tm) * 86400 + std::int64_t{tm.tm_hour} * 3600 + std::int64_t{tm.tm_min} * 60 +
         std::int64_t{tm.tm_sec};
}

// Unix time `t` rounded to `step` seconds in local time, as local time; nullopt when the
// system cannot convert it.
inline std::optional<std::tm> round_local(double t, double step) noexcept {
  const auto base = static_cast<std::int64_t>(std::floor(t));
  std::tm tm{};
  if (!to_local(base, tm)) return std::nullopt;
  const auto offset = static_cast<double>(local_seconds(tm) - base);
  const auto rounded = static_cast<std::int64_t>(round_to(t + offset, step) - offset);
  if (!to_local(rounded, tm)) return std::nullopt;
  return tm;
}

// "3:30pm", "3:30:15pm", "9am" (1-hour step), "15:30"; with the day name on another local date
// than `today`, and the date (and year, when it differs) 7 or more days away.
inline std::string clock_text(const std::tm& tm, double step, const std::tm& today,
                              bool clock_24h) {
  std::string out;
  const std::int64_t days = local_day(tm) - local_day(today);
  if (days != 0) {
    out += weekdays[static_cast<std::size_t>(tm.tm_wday) % 7];
    out += ' ';
    if (days >= 7 || days < 0) {
      out += fmt::format("{} {} ", tm.tm_mday, months[static_cast<std::size_t>(tm.tm_mon) % 12]);
      if (tm.tm_year != today.tm_year) out += fmt::format("{} ", std::int64_t{tm.tm_year} + 1900);
    }
  }
  const bool seconds = step < 60.0 || tm.tm_sec != 0;
  if (clock_24h) {
    out += fmt::format("{:02}:{:02}", tm.tm_hour, tm.tm_min);
    if (seconds) out += fmt::format(":{:02}", tm.tm_sec);
    return out;
  }
  out += fmt::format("{}", tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12);
  if (seconds || step < 3600.0 || tm.tm_min != 0) out += fmt::format(":{:02}", tm.tm_min);
  if (seconds) out += fmt::format(":{:02}", tm.tm_sec);
  out += tm.tm_hour < 12 ? "am" : "pm";
  return out;
}

inline constexpr std::string_view en_dash = "\u2013";

}  // namespace detail::human

COPYETA_INLINE double rounding_step(double half_width) noexcept {
  if (!(half_width >= 15.0)) return 1.0;  // NaN too
  if (half_width < 60.0) return 5.0;
  if (half_width < 600.0) return 60.0;
  if (half_width < 5400.0) return 300.0;
  if (half_width < 14400.0) return 600.0;
  if (half_width < 86400.0) return 1800.0;
  return 3600.0;
}

COPYETA_INLINE double point_rounding_step(double remaining) noexcept {
  return rounding_step(remaining / 4.0);
}

COPYETA_INLINE std::string format_duration(double seconds) {
  return detail::human::spell(seconds);
}

COPYETA_INLINE std::string format_amount(amount a, const format_options& options) {
  if (!options.bytes) {
    const std::string digits = fmt::format("{}", a);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return out;
  }
  if (a < 1024) return fmt::format("{} B", a);
  static constexpr std::array<std::string_view, 6> units{"KiB", "MiB", "GiB",
                                                         "TiB", "PiB", "EiB"};
  double v = static_cast<double>(a);
  for (std::size_t i = 0; i < units.size(); ++i) {
    v /= 1024.0;
    if (v >= 1023.5 && i + 1 < units.size()) continue;  // "1024 MiB" is "1.0 GiB"
    return v < 9.95 ? fmt::format("{:.1f} {}", v, units[i]) : fmt::format("{:.0f} {}", v, units[i]);
  }
  return {};  // unreachable: 2^64 - 1 is 16 EiB
}

COPYETA_INLINE std::string format_remaining(const estimate& e) {
  namespace h = detail::human;
  if (e.state == state::finished) return "finished";
  if (!e.has_remaining()) return h::words(e.state);
  const auto [r, lo, hi] = h::clamped(e, h::max_duration);
  const double u = (hi - lo) / 2.0;
  if (u < 0.5) return h::spell(h::round_to(r, point_rounding_step(r)));
  const double step = rounding_step(u);
  const double c = h::round_to(r, step);
  const double l = h::round_to(lo, step);
  const double g = h::round_to(hi, step);
  const double pm = h::round_to(u, step);
  if (h::symmetric(c - l, g - c)) {
    if (pm <= 0.0) return h::spell(c);
    return h::spell(c) + " ± " + h::spell(pm);
  }
  return fmt::format("{} ({} {} {})", h::spell(c), h::spell(l), h::en_dash, h::spell(g));
}

COPYETA_INLINE std::string format_finish(const estimate& e,
                                         std::chrono::system_clock::time_point wall_at_t,
                                         const format_options& options) {
  namespace h = detail::human;
  if (e.state == state::finished) return "finished";
  if (!e.has_remaining()) return h::words(e.state);
  const double wall =
      std::chrono::duration<double>(wall_at_t.time_since_epoch()).count();
  const auto [r, lo, hi] = h::clamped(e, h::max_clock_offset);
  const auto fallback = [&] { return "in " + format_remaining(e); };
  std::tm today{};
  if (!h::to_local(static_cast<std::int64_t>(std::floor(wall)), today)) return fallback();
  const auto text = [&](const std::tm& tm, double step) {
    return h::clock_text(tm, step, today, options.clock_24h);
  };

  const double u = (hi - lo) / 2.0;
  if (u < 0.5) {
    const double step = point_rounding_step(r);
    const auto c = h::round_local(wall + r, step);
    return c ? text(*c, step) : fallback();
  }
  const double step = rounding_step(u);
  auto c = h::round_local(wall + r, step);
  auto l = h::round_local(wall + lo, step);
  auto g = h::round_local(wall + hi, step);
  if (!c || !l || !g) return fallback();
  const auto sc = static_cast<double>(h::local_seconds(*c));
  const auto sl = static_cast<double>(h::local_seconds(*l));
  const auto sg = static_cast<double>(h::local_seconds(*g));
  const double pm = h::round_to(u, step);
  if (h::symmetric(sc - sl, sg - sc)) {
    if (pm <= 0.0) return text(*c, step);
    return text(*c, step) + " ± " + h::spell(pm);
  }
  return fmt::format("{} ({} {} {})", text(*c, step), text(*l, step), h::en_dash, text(*g, step));
}

COPYETA_INLINE std::string format_shift(const rate_shift& shift) {
  const bool fell = shift.factor < 1.0;
  const double factor = fell ? 1.0 / std::max(shift.factor, 1e-12) : shift.factor;
  std::string out = fmt::format("rate {} {:.2g}×", fell ? "fell" : "rose", factor);
  if (shift.fraction > 0.0)
    out += fmt::format(" at {}%", std::lround(std::min(shift.fraction, 1.0) * 100.0));
  return out;
}

COPYETA_INLINE std::string format_status(const estimate& e,
                                         std::chrono::system_clock::time_point wall_at_t,
                                         const format_options& options) {
  std::string out;
  const auto field = [&out](const std::string& s) {
    if (!out.empty()) out += "  ";
    out += s;
  };
  if (e.total && *e.total > 0) {
    // Rounded down, in integers where 100 * done fits (totals up to 2^64 / 100, 184 PB), so
    // 57 of 100 is 57% and 999,999 of 1,000,000 is 99%; 100% only when done reaches the total.
    const amount total = *e.total;
    amount percent = 100;
    if (e.done < total) {
      percent = total <= std::numeric_limits<amount>::max() / 100
                    ? e.done * 100 / total
                    : std::min<amount>(99, static_cast<amount>(static_cast<double>(e.done) /
                                                               static_cast<double>(total) * 100.0));
    }
    field(fmt::format("{}%", percent));
  } else if (e.done > 0) {
    field(format_amount(e.done, options));
  }
  if (e.state == state::finished) {
    field("finished");
  } else if (e.has_remaining()) {
    if (e.state == state::stalled && e.stalled_for > 0.0)
      field("stalled for " + format_duration(e.stalled_for));
    else if (e.state != state::ok)
      field(detail::human::words(e.state));
    field("ETA " + format_finish(e, wall_at_t, options));
    if (e.shift) field(format_shift(*e.shift));
  } else {
    field(detail::human::words(e.state));
  }
  return out;
}

}  // namespace copyeta
