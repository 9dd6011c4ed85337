// The average model's own answers, computed by hand. What every model promises (name, no interval,
// exact constant rate, time origin, finite estimates, ...) is tested once in test_models.cpp.
#include <copyeta/models/average.hpp>

#include <gtest/gtest.h>


namespace {

using copyeta::amount;
using copyeta::state;
using copyeta::models::average;

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

}  // namespace
