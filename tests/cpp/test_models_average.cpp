#include <copyeta/models/average.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace {

using copyeta::amount;
using copyeta::state;
using copyeta::models::average;

constexpr amount kMax = std::numeric_limits<amount>::max();

TEST(models_average, name_and_no_interval) {
  average m;
  EXPECT_EQ(m.name(), "average");
  m.add({0.0, 0, 1000});
  m.add({1.0, 100, 1000});
  const auto e = m.estimate(1.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_EQ(e.lo, e.remaining);
  EXPECT_EQ(e.hi, e.remaining);
}

TEST(models_average, constant_rate_gives_the_exact_remaining) {
  average m;
  for (int k = 0; k <= 10; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  const auto e = m.estimate(10.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_DOUBLE_EQ(*e.rate, 100.0);
  EXPECT_DOUBLE_EQ(e.remaining, 90.0);  // 9000 left at 100/s
}

TEST(models_average, warming_up_until_time_passes_and_something_moves) {
  average m;
  m.add({5.0, 500, 10'000});
  EXPECT_EQ(m.estimate(5.0).state, state::warming_up);
  m.add({6.0, 500, 10'000});
  EXPECT_EQ(m.estimate(6.0).state, state::warming_up);
  EXPECT_FALSE(m.estimate(6.0).rate);
  m.add({7.0, 700, 10'000});
  const auto e = m.estimate(7.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_DOUBLE_EQ(*e.rate, 100.0);  // (700 - 500) / (7 - 5): from the first sample, not from 0
}

TEST(models_average, step_change_is_averaged_over_the_whole_run) {
  // 100/s for 10 s, then 300/s for 10 s: the average since the start is 200/s, not 300/s.
  average m;
  for (int k = 0; k <= 10; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  for (int k = 11; k <= 20; ++k)
    m.add({static_cast<double>(k), 1000 + amount(300) * amount(k - 10), 10'000});
  const auto e = m.estimate(20.0);
  EXPECT_DOUBLE_EQ(*e.rate, 200.0);
  EXPECT_DOUBLE_EQ(e.remaining, 30.0);  // 6000 left at 200/s
}

TEST(models_average, a_stall_slowly_drags_the_average_down) {
  average m;
  for (int k = 0; k <= 10; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  for (int k = 11; k <= 20; ++k) m.add({static_cast<double>(k), 1000, 10'000});
  const auto e = m.estimate(20.0);
  EXPECT_DOUBLE_EQ(*e.rate, 50.0);  // 1000 over 20 s
  EXPECT_DOUBLE_EQ(e.remaining, 180.0);
  // The rate is that of the latest sample: a later `now` does not change it.
  EXPECT_DOUBLE_EQ(*m.estimate(25.0).rate, 50.0);
}

TEST(models_average, restart_starts_a_new_average) {
  average m;
  for (int k = 0; k <= 10; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  m.add({11.0, 50, 10'000});  // done went backwards: a new run
  EXPECT_EQ(m.restarts(), 1u);
  EXPECT_EQ(m.estimate(11.0).state, state::warming_up);
  m.add({13.0, 1050, 10'000});
  const auto e = m.estimate(13.0);
  EXPECT_DOUBLE_EQ(*e.rate, 500.0);  // (1050 - 50) / 2, nothing from the first run
}

TEST(models_average, equal_timestamps_do_not_divide_by_zero) {
  average m;
  m.add({0.0, 0, 1000});
  m.add({0.0, 50, 1000});
  EXPECT_EQ(m.estimate(0.0).state, state::warming_up);
  m.add({1.0, 100, 1000});
  m.add({1.0, 200, 1000});
  const auto e = m.estimate(1.0);
  EXPECT_DOUBLE_EQ(*e.rate, 200.0);
  EXPECT_DOUBLE_EQ(e.remaining, 4.0);
}

TEST(models_average, amounts_near_the_top_of_uint64) {
  // Converting to double before subtracting would lose these differences (ulp 4096 up here).
  const amount base = kMax - 1'000'000;
  average m;
  m.add({0.0, base, kMax});
  m.add({1.0, base + 1000, kMax});
  const auto e = m.estimate(1.0);
  EXPECT_DOUBLE_EQ(*e.rate, 1000.0);
  EXPECT_DOUBLE_EQ(e.remaining, 999.0);
  m.add({2.0, kMax, kMax});
  EXPECT_EQ(m.estimate(2.0).state, state::finished);
}

TEST(models_average, shifting_the_time_origin_changes_nothing) {
  average a;
  average b;
  for (int k = 0; k <= 10; ++k) {
    const amount done = amount(37) * amount(k * k);
    a.add({0.5 * k, done, 100'000});
    b.add({1e6 + 0.5 * k, done, 100'000});
  }
  EXPECT_DOUBLE_EQ(a.estimate(5.0).remaining, b.estimate(1e6 + 5.0).remaining);
}

TEST(models_average, remaining_is_finite_and_non_negative) {
  // Bursts, stalls, equal timestamps, a restart, a rate too large for a double, the full range.
  const copyeta::sample samples[] = {
      {0.0, 0, kMax},
      {1e-300, kMax - 1, kMax},
      {1e-300, kMax - 1, kMax},
      {2.0, 5, 100},
      {2.0, 6, 100},
      {3.0, 6, 100},
      {4.0, 90, 100},
      {100.0, 99, 100},
      {100.0, 100, 100},
      {101.0, 0, kMax},
      {102.0, 1, kMax},
      {1e9, 2, kMax},
  };
  average m;
  bool any = false;
  for (const auto& s : samples) {
    m.add(s);
    for (const double now : {s.t, s.t + 1.0, s.t + 1e6}) {
      const auto e = m.estimate(now);
      EXPECT_TRUE(std::isfinite(e.remaining) && e.remaining >= 0.0) << now;
      EXPECT_EQ(e.lo, e.remaining);
      EXPECT_EQ(e.hi, e.remaining);
      if (e.rate) EXPECT_TRUE(std::isfinite(*e.rate) && *e.rate > 0.0);
      any = any || e.state == state::ok;
    }
  }
  EXPECT_TRUE(any);
}

}  // namespace
