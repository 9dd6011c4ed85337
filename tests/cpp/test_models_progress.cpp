// The progress model's own answers, computed by hand. What every model promises (name, no interval,
// exact constant rate, time origin, finite estimates, ...) is tested once in test_models.cpp.
#include <copyeta/models/progress.hpp>

#include <gtest/gtest.h>

#include <limits>

namespace {

using copyeta::amount;
using copyeta::state;
using copyeta::models::progress;

constexpr amount kMax = std::numeric_limits<amount>::max();

TEST(models_progress, mean_of_rates_not_amount_over_time) {
  progress m;
  m.add({0.0, 0, 1000});
  m.add({1.0, 100, 1000});  // 100/s
  m.add({5.0, 200, 1000});  // 25/s
  const auto e = m.estimate(5.0);
  EXPECT_DOUBLE_EQ(*e.rate, 62.5);  // (100 + 25) / 2; amount over time would be 40
  EXPECT_DOUBLE_EQ(e.remaining, 12.8);
}

TEST(models_progress, step_change_moves_a_tenth_per_interval) {
  progress m;
  for (int k = 0; k <= 10; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 100'000});
  for (int k = 1; k <= 10; ++k) {
    m.add({10.0 + k, 1000 + amount(1000) * amount(k), 100'000});
    EXPECT_DOUBLE_EQ(*m.estimate(10.0 + k).rate, 100.0 + 90.0 * k)
        << k;  // (100 (10-k) + 1000 k) / 10
  }
  m.add({21.0, 12'000, 100'000});
  EXPECT_DOUBLE_EQ(*m.estimate(21.0).rate, 1000.0);  // only the last ten intervals count
}

TEST(models_progress, stall_drags_the_mean_to_zero_then_freezes) {
  progress m;
  for (int k = 0; k <= 10; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  m.add({11.0, 1000, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(11.0).rate, 90.0);
  for (int k = 12; k <= 19; ++k) m.add({static_cast<double>(k), 1000, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(19.0).rate, 10.0);  // one interval of 100 among ten
  for (int k = 20; k <= 40; ++k) m.add({static_cast<double>(k), 1000, 10'000});  // mean 0
  const auto e = m.estimate(40.0);
  EXPECT_EQ(e.state, state::stalled);
  EXPECT_DOUBLE_EQ(*e.rate, 10.0);
  EXPECT_DOUBLE_EQ(e.remaining, 900.0);
  m.add({41.0, 1200, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(41.0).rate, 20.0);  // progress resumes: (200 + 9 * 0) / 10
}

TEST(models_progress, restart_clears_the_rates) {
  progress m;
  for (int k = 0; k <= 10; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  m.add({11.0, 0, 10'000});
  EXPECT_EQ(m.estimate(11.0).state, state::warming_up);
  m.add({12.0, 700, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(12.0).rate, 700.0);
}

TEST(models_progress, equal_timestamps_join_the_next_interval) {
  progress m;
  m.add({0.0, 0, 10'000});
  m.add({1.0, 100, 10'000});
  m.add({1.0, 150, 10'000});  // no interval of zero length
  EXPECT_DOUBLE_EQ(*m.estimate(1.0).rate, 100.0);
  m.add({2.0, 300, 10'000});  // interval 1 -> 2 holds all 200
  const auto e = m.estimate(2.0);
  EXPECT_DOUBLE_EQ(*e.rate, 150.0);  // (100 + 200) / 2
  EXPECT_DOUBLE_EQ(e.remaining, 9700.0 / 150.0);
}

TEST(models_progress, amounts_near_the_top_of_uint64) {
  const amount base = kMax - 1'000'000;
  progress m;
  m.add({0.0, base, kMax});
  m.add({1.0, base + 1000, kMax});
  m.add({2.0, base + 4000, kMax});
  const auto e = m.estimate(2.0);
  EXPECT_DOUBLE_EQ(*e.rate, 2000.0);  // (1000 + 3000) / 2
  EXPECT_DOUBLE_EQ(e.remaining, 498.0);
}

}  // namespace
