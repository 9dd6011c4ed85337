#include <copyeta/format.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <optional>
#include <string>

namespace {

using copyeta::estimate;
using copyeta::format_duration;
using copyeta::format_finish;
using copyeta::format_options;
using copyeta::format_remaining;
using copyeta::format_status;
using copyeta::state;

constexpr double minutes = 60.0;
constexpr double hours = 3600.0;
constexpr double days = 86400.0;

// Pins the local time zone to a POSIX rule (no tzdata needed) and restores the old one.
class time_zone {
 public:
  explicit time_zone(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    set(tz);
  }
  ~time_zone() { old_ ? set(old_->c_str()) : unset(); }
  time_zone(const time_zone&) = delete;
  time_zone& operator=(const time_zone&) = delete;

 private:
  static void set(const char* tz) {
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  static void unset() {
    ::unsetenv("TZ");
    ::tzset();
  }
  std::optional<std::string> old_;
};

// 2009-09-15 13:20:00 EDT (Tuesday), plus `seconds`.
std::chrono::system_clock::time_point wall(double seconds = 0.0) {
  return std::chrono::system_clock::from_time_t(1253035200) +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             std::chrono::duration<double>(seconds));
}

estimate make(double remaining, double lo, double hi, state s = state::ok) {
  estimate e;
  e.state = s;
  e.t = 1000.0;
  e.done = 57;
  e.total = 100;
  e.remaining = remaining;
  e.lo = lo;
  e.hi = hi;
  e.level = 0.8;
  return e;
}

estimate point(double remaining) { return make(remaining, remaining, remaining); }

estimate without_remaining(state s, copyeta::amount done, std::optional<copyeta::amount> total) {
  estimate e;
  e.state = s;
  e.done = done;
  e.total = total;
  return e;
}

class format_test : public ::testing::Test {
 protected:
  time_zone tz_{"EST5EDT,M3.2.0,M11.1.0"};
  format_options h24_{true, true};
};

// --- the founding story -------------------------------------------------------------------

TEST_F(format_test, founding_story_one_hour) {
  // 57% at 1:20pm; the median says 2 h 10 m more, the interval 1 h 10 m to 3 h 10 m.
  const auto e = make(2 * hours + 9 * minutes + 50, 1 * hours + 10 * minutes + 20,
                      3 * hours + 9 * minutes + 10);
  EXPECT_EQ(format_finish(e, wall()), "3:30pm ± 1 hour");
  EXPECT_EQ(format_status(e, wall()), "57%  ETA 3:30pm ± 1 hour");
  EXPECT_EQ(format_remaining(e), "2 hours 10 minutes ± 1 hour");
}

TEST_F(format_test, founding_story_thirty_minutes) {
  // At 2:40pm: 40 minutes more, between 11 and 69 minutes.
  const auto e = make(40 * minutes, 11 * minutes, 69 * minutes);
  EXPECT_EQ(format_finish(e, wall(80 * minutes)), "3:20pm ± 30 minutes");
  EXPECT_EQ(format_remaining(e), "40 minutes ± 30 minutes");
}

TEST_F(format_test, twenty_four_hour_clock) {
  const auto e = make(2 * hours + 10 * minutes, 1 * hours + 10 * minutes, 3 * hours + 10 * minutes);
  EXPECT_EQ(format_finish(e, wall(), h24_), "15:30 ± 1 hour");
  EXPECT_EQ(format_finish(make(615, 585, 645), wall(), h24_), "13:30:15 ± 30 seconds");
  EXPECT_EQ(format_finish(make(20 * hours, 18 * hours, 22 * hours), wall(), h24_),
            "Wed 09:20 ± 2 hours");
  EXPECT_EQ(format_finish(point(7 * days), wall(), h24_), "Tue 22 Sep 13:00");
}

// --- symmetric or skewed --------------------------------------------------------------------

TEST_F(format_test, skewed_interval_shows_both_ends) {
  const auto e = make(2 * hours + 10 * minutes, 1 * hours + 30 * minutes, 3 * hours + 20 * minutes);
  EXPECT_EQ(format_finish(e, wall()), "3:30pm (2:50pm \u2013 4:40pm)");
  EXPECT_EQ(format_remaining(e),
            "2 hours 10 minutes (1 hour 30 minutes \u2013 3 hours 20 minutes)");
}

TEST_F(format_test, symmetric_within_twenty_percent_after_rounding) {
  // 50 and 60 minutes to the ends: within 20% of 60, one ± of (50 + 60) / 2.
  EXPECT_EQ(format_finish(make(130 * minutes, 80 * minutes, 190 * minutes), wall()),
            "3:30pm ± 55 minutes");
  // 50 and 65 minutes: 15 > 20% of 65.
  EXPECT_EQ(format_finish(make(130 * minutes, 80 * minutes, 195 * minutes), wall()),
            "3:30pm (2:40pm \u2013 4:35pm)");
  // 62 and 58 minutes before rounding are 60 and 60 after it.
  EXPECT_EQ(format_finish(make(130 * minutes, 68 * minutes, 188 * minutes), wall()),
            "3:30pm ± 1 hour");
}

TEST_F(format_test, lower_end_at_zero) {
  const auto e = make(30, 0, 90);
  EXPECT_EQ(format_finish(e, wall()), "1:20:30pm (1:20:00pm \u2013 1:21:30pm)");
  EXPECT_EQ(format_remaining(e), "30 seconds (0 seconds \u2013 1 minute 30 seconds)");
}

// --- precision ------------------------------------------------------------------------------

TEST_F(format_test, rounding_table) {
  using copyeta::rounding_step;
  EXPECT_EQ(rounding_step(0.0), 1.0);
  EXPECT_EQ(rounding_step(14.9), 1.0);
  EXPECT_EQ(rounding_step(15.0), 5.0);
  EXPECT_EQ(rounding_step(59.9), 5.0);
  EXPECT_EQ(rounding_step(60.0), 60.0);
  EXPECT_EQ(rounding_step(599.0), 60.0);
  EXPECT_EQ(rounding_step(600.0), 300.0);
  EXPECT_EQ(rounding_step(5399.0), 300.0);
  EXPECT_EQ(rounding_step(5400.0), 600.0);
  EXPECT_EQ(rounding_step(14399.0), 600.0);
  EXPECT_EQ(rounding_step(14400.0), 1800.0);
  EXPECT_EQ(rounding_step(86399.0), 1800.0);
  EXPECT_EQ(rounding_step(86400.0), 3600.0);
  EXPECT_EQ(rounding_step(1e12), 3600.0);
  EXPECT_EQ(rounding_step(std::numeric_limits<double>::quiet_NaN()), 1.0);
  EXPECT_EQ(copyeta::point_rounding_step(1 * hours), 300.0);
  EXPECT_EQ(copyeta::point_rounding_step(3 * minutes), 5.0);
}

TEST_F(format_test, seconds_precision) {
  // ± 30 seconds: 5-second steps.
  EXPECT_EQ(format_finish(make(617, 587, 647), wall()), "1:30:15pm ± 30 seconds");
  EXPECT_EQ(format_remaining(make(617, 587, 647)), "10 minutes 15 seconds ± 30 seconds");
  // ± 8 seconds: to the second.
  EXPECT_EQ(format_finish(make(617, 609, 625), wall()), "1:30:17pm ± 8 seconds");
}

TEST_F(format_test, minute_and_coarser_precision) {
  EXPECT_EQ(format_finish(make(11 * minutes + 20, 7 * minutes, 15 * minutes + 40), wall()),
            "1:31pm ± 4 minutes");
  EXPECT_EQ(format_finish(make(5 * hours, 2 * hours + 30 * minutes, 7 * hours + 30 * minutes),
                          wall()),
            "6:20pm ± 2 hours 30 minutes");
  // ± 12 hours: half-hour steps; 13:20 + 20:07 is 9:27 tomorrow, which rounds to 9:30.
  EXPECT_EQ(format_finish(make(20 * hours + 7 * minutes, 8 * hours + 7 * minutes,
                               32 * hours + 7 * minutes),
                          wall()),
            "Wed 9:30am ± 12 hours");
  // ± 4 days: hours, shown without minutes on the 12-hour clock.
  EXPECT_EQ(format_finish(make(10 * days + 2 * hours, 6 * days + 2 * hours, 14 * days + 2 * hours),
                          wall()),
            "Fri 25 Sep 3pm ± 4 days");
}

TEST_F(format_test, point_estimates_print_the_time_alone) {
  // Peers give lo = hi = remaining; the step follows the remaining time itself.
  EXPECT_EQ(format_finish(point(2 * hours + 10 * minutes + 40), wall()), "3:30pm");
  EXPECT_EQ(format_finish(point(100), wall()), "1:21:40pm");
  EXPECT_EQ(format_finish(point(25 * minutes), wall(-100 * minutes)), "12:05pm");
  EXPECT_EQ(format_remaining(point(2 * hours + 10 * minutes + 40)), "2 hours 10 minutes");
  EXPECT_EQ(format_remaining(point(200)), "3 minutes 20 seconds");
  // Half a second of width is still a point.
  EXPECT_EQ(format_finish(make(100, 99.8, 100.2), wall()), "1:21:40pm");
}

// --- days and dates -------------------------------------------------------------------------

TEST_F(format_test, tomorrow_shows_the_day_name) {
  EXPECT_EQ(format_finish(make(20 * hours, 18 * hours, 22 * hours), wall()), "Wed 9:20am ± 2 hours");
  EXPECT_EQ(format_finish(make(11 * hours, 9 * hours + 40 * minutes, 12 * hours + 20 * minutes),
                          wall()),
            "Wed 12:20am ± 1 hour 20 minutes");
  // Only the ends on another date get the name.
  EXPECT_EQ(format_finish(make(11 * hours, 10 * hours, 14 * hours), wall()),
            "Wed 12:20am (11:20pm \u2013 Wed 3:20am)");
  EXPECT_EQ(format_finish(point(6 * days), wall()), "Mon 1pm");
}

TEST_F(format_test, a_week_away_shows_the_date_and_another_year_the_year) {
  EXPECT_EQ(format_finish(point(7 * days), wall()), "Tue 22 Sep 1pm");
  EXPECT_EQ(format_finish(point(3 * 365 * days), wall()), "Fri 14 Sep 2012 1pm");
}

TEST_F(format_test, rounding_happens_in_local_time) {
  // 17:20 UTC is 22:50 in India (UTC+5:30): 5 days ahead, the 1-hour step lands on 11pm local,
  // where rounding in UTC would give 10:30pm.
  time_zone india{"IST-5:30"};
  EXPECT_EQ(format_finish(point(5 * days), wall()), "Sun 11pm");
  // 23:05 in Nepal (UTC+5:45): half-hour steps land on :00 and :30 local.
  time_zone nepal{"NPT-5:45"};
  EXPECT_EQ(format_finish(make(25 * minutes, 0, 10 * hours), wall()),
            "11:30pm (11:00pm \u2013 Wed 9:00am)");
  EXPECT_EQ(format_finish(point(5 * days), wall()), "Sun 11pm");
}

TEST_F(format_test, daylight_saving_ends) {
  // 2009-11-01 00:30 EDT; two hours later the clocks say 1:30am EST.
  const auto at = std::chrono::system_clock::from_time_t(1257049800);
  EXPECT_EQ(format_finish(point(2 * hours), at), "1:30am");
}

// --- durations ------------------------------------------------------------------------------

TEST_F(format_test, durations_of_every_range) {
  EXPECT_EQ(format_duration(0), "0 seconds");
  EXPECT_EQ(format_duration(0.4), "0 seconds");
  EXPECT_EQ(format_duration(1), "1 second");
  EXPECT_EQ(format_duration(45), "45 seconds");
  EXPECT_EQ(format_duration(59.6), "1 minute");
  EXPECT_EQ(format_duration(60), "1 minute");
  EXPECT_EQ(format_duration(61), "1 minute 1 second");
  EXPECT_EQ(format_duration(40 * minutes), "40 minutes");
  EXPECT_EQ(format_duration(59 * minutes + 30), "59 minutes 30 seconds");
  EXPECT_EQ(format_duration(59 * minutes + 59.7), "1 hour");
  EXPECT_EQ(format_duration(1 * hours + 29.6), "1 hour");
  EXPECT_EQ(format_duration(1 * hours + 30), "1 hour 1 minute");
  EXPECT_EQ(format_duration(80 * minutes), "1 hour 20 minutes");
  EXPECT_EQ(format_duration(2 * hours), "2 hours");
  EXPECT_EQ(format_duration(23 * hours + 59 * minutes + 50), "1 day");
  EXPECT_EQ(format_duration(1 * days + 1 * hours), "1 day 1 hour");
  EXPECT_EQ(format_duration(3 * days + 4 * hours + 25 * minutes), "3 days 4 hours");
  EXPECT_EQ(format_duration(364 * days + 23 * hours + 40 * minutes), "1 year");
  EXPECT_EQ(format_duration(2.4 * 365 * days), "2 years");
  EXPECT_EQ(format_duration(1e12), "31710 years");
}

TEST_F(format_test, durations_never_negative_or_non_finite) {
  EXPECT_EQ(format_duration(-5), "0 seconds");
  EXPECT_EQ(format_duration(-std::numeric_limits<double>::infinity()), "0 seconds");
  EXPECT_EQ(format_duration(std::numeric_limits<double>::quiet_NaN()), "0 seconds");
  EXPECT_EQ(format_duration(std::numeric_limits<double>::infinity()), "31709792 years");
  EXPECT_EQ(format_duration(1e300), "31709792 years");
}

// --- amounts --------------------------------------------------------------------------------

TEST_F(format_test, amounts) {
  using copyeta::format_amount;
  EXPECT_EQ(format_amount(0), "0 B");
  EXPECT_EQ(format_amount(1023), "1023 B");
  EXPECT_EQ(format_amount(1024), "1.0 KiB");
  EXPECT_EQ(format_amount(1536), "1.5 KiB");
  EXPECT_EQ(format_amount(12ull << 30), "12 GiB");
  EXPECT_EQ(format_amount(1023ull * (1ull << 20) + (1ull << 19) + 1), "1.0 GiB");
  EXPECT_EQ(format_amount(std::numeric_limits<copyeta::amount>::max()), "16 EiB");
  const format_options counts{false, false};
  EXPECT_EQ(format_amount(0, counts), "0");
  EXPECT_EQ(format_amount(999, counts), "999");
  EXPECT_EQ(format_amount(1000, counts), "1,000");
  EXPECT_EQ(format_amount(12345678, counts), "12,345,678");
  EXPECT_EQ(format_amount(std::numeric_limits<copyeta::amount>::max(), counts),
            "18,446,744,073,709,551,615");
}

// --- states ---------------------------------------------------------------------------------

TEST_F(format_test, status_for_every_state) {
  EXPECT_EQ(format_status(without_remaining(state::warming_up, 0, std::nullopt), wall()),
            "warming up");
  EXPECT_EQ(format_status(without_remaining(state::warming_up, 3, 100), wall()), "3%  warming up");
  EXPECT_EQ(format_status(without_remaining(state::unknown_total, 12ull << 30, std::nullopt), wall()),
            "12 GiB  unknown total");
  EXPECT_EQ(format_status(without_remaining(state::unknown_total, 12345, std::nullopt), wall(),
                          format_options{false, false}),
            "12,345  unknown total");
  EXPECT_EQ(format_status(make(40 * minutes, 11 * minutes, 69 * minutes), wall(80 * minutes)),
            "57%  ETA 3:20pm ± 30 minutes");

  auto stalled = make(2 * hours, 1 * hours + 45 * minutes, 2 * hours + 50 * minutes, state::stalled);
  stalled.done = 86;
  EXPECT_EQ(format_status(stalled, wall()), "86%  stalled  ETA 3:20pm (3:05pm \u2013 4:10pm)");
  stalled.stalled_for = 4 * minutes;
  EXPECT_EQ(format_status(stalled, wall()),
            "86%  stalled for 4 minutes  ETA 3:20pm (3:05pm \u2013 4:10pm)");
  EXPECT_EQ(format_finish(stalled, wall()), "3:20pm (3:05pm \u2013 4:10pm)");

  auto flushing = point(100);
  flushing.state = state::flushing;
  flushing.done = 100;
  EXPECT_EQ(format_status(flushing, wall()), "100%  flushing  ETA 1:21:40pm");

  auto finished = make(0, 0, 0, state::finished);
  finished.done = 100;
  EXPECT_EQ(format_status(finished, wall()), "100%  finished");
  EXPECT_EQ(format_status(without_remaining(state::finished, 5ull << 30, 0), wall()),
            "5.0 GiB  finished");
  EXPECT_EQ(format_status(without_remaining(state::rejected, 0, std::nullopt), wall()), "rejected");
}

TEST_F(format_test, percent_rounds_down_and_reaches_100_only_when_done) {
  auto e = make(1, 1, 1);
  e.done = 999999;
  e.total = 1000000;
  EXPECT_EQ(format_status(e, wall()), "99%  ETA 1:20:01pm");
  e.done = 57;
  e.total = 100;
  EXPECT_EQ(format_status(e, wall()), "57%  ETA 1:20:01pm");  // 0.57 * 100 is 56.99999...
  e.done = (std::numeric_limits<copyeta::amount>::max() / 100) - 1;
  e.total = std::numeric_limits<copyeta::amount>::max() / 100;
  EXPECT_EQ(format_status(e, wall()), "99%  ETA 1:20:01pm");
  e.done = std::numeric_limits<copyeta::amount>::max() / 3;
  e.total = std::numeric_limits<copyeta::amount>::max();
  EXPECT_EQ(format_status(e, wall()), "33%  ETA 1:20:01pm");
  e.done = std::numeric_limits<copyeta::amount>::max() - 1;
  e.total = std::numeric_limits<copyeta::amount>::max();
  EXPECT_EQ(format_status(e, wall()), "99%  ETA 1:20:01pm");
}

TEST_F(format_test, words_for_states_without_a_finish) {
  for (const auto& [s, word] : {std::pair{state::warming_up, "warming up"},
                                std::pair{state::unknown_total, "unknown total"},
                                std::pair{state::rejected, "rejected"},
                                std::pair{state::finished, "finished"}}) {
    const auto e = without_remaining(s, 0, std::nullopt);
    EXPECT_EQ(format_finish(e, wall()), word);
    EXPECT_EQ(format_remaining(e), word);
  }
}

// --- extremes -------------------------------------------------------------------------------

TEST_F(format_test, zero_remaining) {
  EXPECT_EQ(format_finish(point(0), wall()), "1:20:00pm");
  EXPECT_EQ(format_remaining(point(0)), "0 seconds");
}

TEST_F(format_test, huge_remaining) {
  // 1e12 seconds after 2009-09-15 17:20 UTC is 33698-06-11 19:06:40 UTC, 3:06:40pm EDT.
  EXPECT_EQ(format_finish(point(1e12), wall()), "Wed 11 Jun 33698 3pm");
  EXPECT_EQ(format_remaining(make(1e12, 5e11, 2e12)),
            "31710 years (15855 years \u2013 63420 years)");
  const auto far = format_finish(make(1e12, 5e11, 2e12), wall());
  EXPECT_EQ(far.rfind("Wed 11 Jun 33698 3pm (", 0), 0u) << far;
  // Beyond any sensible range: clamped, never "inf" or "nan".
  const double inf = std::numeric_limits<double>::infinity();
  for (const auto& e : {make(1e300, 0, 1e300), make(inf, inf, inf), point(1e16)}) {
    for (const auto& text : {format_finish(e, wall()), format_remaining(e), format_status(e, wall())}) {
      EXPECT_EQ(text.find("inf"), std::string::npos) << text;
      EXPECT_EQ(text.find("nan"), std::string::npos) << text;
      EXPECT_FALSE(text.empty());
    }
  }
}

TEST_F(format_test, broken_contract_values_are_clamped) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(format_remaining(make(nan, nan, nan)), "0 seconds");
  EXPECT_EQ(format_remaining(make(-5, -10, -1)), "0 seconds");
  // lo above the median and hi below it are taken as the median.
  EXPECT_EQ(format_remaining(make(100, 200, 50)), "1 minute 40 seconds");
}

// --- fmt --------------------------------------------------------------------------------------

TEST_F(format_test, fmt_formatter_prints_contract_names) {
  EXPECT_EQ(fmt::format("{}", state::warming_up), "warming_up");
  EXPECT_EQ(fmt::format("{}", state::unknown_total), "unknown_total");
  EXPECT_EQ(fmt::format("{}", state::ok), "ok");
  EXPECT_EQ(fmt::format("{}", state::stalled), "stalled");
  EXPECT_EQ(fmt::format("{}", state::flushing), "flushing");
  EXPECT_EQ(fmt::format("{}", state::finished), "finished");
  EXPECT_EQ(fmt::format("{}", state::rejected), "rejected");
  EXPECT_EQ(fmt::format("[{:>9}]", state::ok), "[       ok]");
  EXPECT_EQ(fmt::format("[{:<9}]", state::stalled), "[stalled  ]");
}

}  // namespace

namespace {

TEST(format_shift, says_which_way_how_much_and_where) {
  EXPECT_EQ(copyeta::format_shift({100.0, 0.57, 0.25}), "rate fell 4× at 57%");
  EXPECT_EQ(copyeta::format_shift({100.0, 0.301, 2.5}), "rate rose 2.5× at 30%");
  EXPECT_EQ(copyeta::format_shift({100.0, 0.0, 1.0 / 3.0}), "rate fell 3×");
  EXPECT_EQ(copyeta::format_shift({100.0, 0.9, 0.0}), "rate fell 1e+12× at 90%");
}

TEST(format_shift, follows_the_finish_in_the_status_line) {
  copyeta::estimate e;
  e.state = copyeta::state::ok;
  e.done = 57;
  e.total = 100;
  e.remaining = 3600.0;
  e.lo = 1800.0;
  e.hi = 5400.0;
  e.shift = copyeta::rate_shift{10.0, 0.57, 0.25};
  const auto status = copyeta::format_status(e, std::chrono::system_clock::now());
  EXPECT_NE(status.find("  rate fell 4× at 57%"), std::string::npos) << status;
  EXPECT_EQ(status.rfind("57%  ETA ", 0), 0u) << status;
}

}  // namespace
