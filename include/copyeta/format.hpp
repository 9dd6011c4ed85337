// Human formatting: finish times the way people say them ("3:30pm ± 1 hour"), durations
// ("1 hour 20 minutes"), and a one-line status for the command line.
//
// Precision follows the uncertainty. The half-width u = (hi - lo) / 2 of the interval picks a
// step, and the finish, both ends and the ± are all rounded to it:
//
//   | half-width u        | step       | example                      |
//   |---------------------|------------|------------------------------|
//   | under 15 seconds    | 1 second   | 3:30:17pm ± 8 seconds        |
//   | under 1 minute      | 5 seconds  | 3:30:15pm ± 30 seconds       |
//   | under 10 minutes    | 1 minute   | 3:31pm ± 4 minutes           |
//   | under 1.5 hours     | 5 minutes  | 3:30pm ± 1 hour              |
//   | under 4 hours       | 10 minutes | 3:30pm ± 2 hours 30 minutes  |
//   | under 1 day         | 30 minutes | Tue 9:30am ± 12 hours        |
//   | 1 day and more      | 1 hour     | Mon 30 Nov 9am ± 4 days      |
//
// A point estimate (u under half a second, as the peer models give with lo = hi = remaining)
// prints the time alone, rounded as if u were a quarter of the remaining time: seconds for the
// last minutes, 1 minute under 40 minutes left, 5 minutes under 6 hours, and so on.
//
// Symmetric or skewed is decided after rounding: when the rounded distances from the finish to
// the two ends differ by at most 20% of the larger, the interval prints as "± u"; otherwise both
// ends are shown, "3:30pm (2:50pm – 4:40pm)" (an en dash, U+2013, with spaces).
//
// Clock times are local (std::localtime_r on the system time zone, never fmt's chrono support,
// whose time zone handling changed between fmt versions) and rounded in local time, so a 30-minute
// step lands on :00 and :30 in every zone. A time on another local date than `wall_at_t` gets the
// day name ("Tue 9:10am"); one 7 or more days away gets the date ("Mon 30 Nov 9:10am"), and the
// year when that differs ("Sat 15 Sep 2012 4pm"). Minutes are left out at the 1-hour step on the
// 12-hour clock ("9am"). Names are English whatever the locale.
//
// Durations print in at most two adjacent units, the smaller rounded: "45 seconds", "1 minute",
// "40 minutes 15 seconds", "1 hour 20 minutes", "3 days 4 hours"; from 365 days on, whole years
// of 365 days ("31710 years"). Never negative, never "0:00", never "inf" or "nan": negative and
// NaN inputs count as 0 and anything above 1e15 seconds as 1e15 seconds.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/estimate.hpp>
#include <copyeta/sample.hpp>

#include <fmt/format.h>

#include <chrono>
#include <string>
#include <string_view>

namespace copyeta {

struct format_options {
  bool clock_24h = false;  // "15:30" instead of "3:30pm"
  bool bytes = true;       // amounts are bytes ("12 GiB"); false prints counts ("12,345,678")
};

// The rounding step in seconds for an interval of half-width `half_width` seconds (the table
// above): 1, 5, 60, 300, 600, 1800 or 3600.
double rounding_step(double half_width) noexcept;
// The step for a point estimate `remaining` seconds away: rounding_step(remaining / 4).
double point_rounding_step(double remaining) noexcept;

// "45 seconds", "1 minute", "1 hour 20 minutes", "3 days 4 hours", to the nearest second before
// the two-unit rule.
std::string format_duration(double seconds);

// An amount: with options.bytes in binary units ("512 B", "1.5 KiB", "12 GiB", "16 EiB"),
// otherwise the count with thousands separators ("12,345").
std::string format_amount(amount a, const format_options& options = {});

// The finish in local time, given the wall-clock time at which the estimate's `t` was observed:
// "3:30pm ± 1 hour", "3:30pm (2:50pm – 4:40pm)", "Tue 9:10am", "15:30 ± 1 hour". Without a
// finish it is the state in words: "warming up", "unknown total", "rejected"; finished gives
// "finished". Stalled and flushing estimates print their finish like ok ones.
std::string format_finish(const estimate& e, std::chrono::system_clock::time_point wall_at_t,
                          const format_options& options = {});

// The remaining time as durations, with the same rounding: "40 minutes ± 10 minutes",
// "2 hours 10 minutes (1 hour 30 minutes – 3 hours 20 minutes)", "3 minutes 20 seconds" for a
// point estimate. The same words as format_finish() without a finish.
std::string format_remaining(const estimate& e);

// A regime shift in words: "rate fell 4× at 57%", "rate rose 2.5× at 30%"; without a known
// fraction (no total), "rate fell 4×". Factors print with two significant digits and the
// fraction to the nearest percent.
std::string format_shift(const rate_shift& shift);
// One line for a terminal, fields separated by two spaces: the percentage when the total is
// known (else the amount done, when above 0), the state when it is not ok, and the finish:
//   "57%  ETA 3:30pm ± 1 hour"   "86%  stalled for 4 minutes  ETA 3:20pm (3:05pm – 4:10pm)"
//   "3%  warming up"                   "12 GiB  unknown total"        "100%  finished"
// The percentage is rounded down (exactly, in integers), so it shows 100% only once done reaches
// the total. A detected regime shift follows the finish ("ETA 3:30pm ± 1 hour  rate fell 4×
// at 57%").
std::string format_status(const estimate& e, std::chrono::system_clock::time_point wall_at_t,
                          const format_options& options = {});

}  // namespace copyeta

// fmt::format("{}", state::ok) prints the contract name, "ok"; width and alignment work as for
// strings ("{:>10}").
template <>
struct fmt::formatter<copyeta::state> : fmt::formatter<fmt::string_view> {
  template <typename FormatContext>
  auto format(copyeta::state s, FormatContext& ctx) const -> decltype(ctx.out()) {
    const std::string_view name = copyeta::to_string(s);
    return fmt::formatter<fmt::string_view>::format(fmt::string_view(name.data(), name.size()),
                                                    ctx);
  }
};

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/format-inl.hpp>
#endif
