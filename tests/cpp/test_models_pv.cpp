// The pv model's own answers, computed by hand. What every model promises (name, no interval,
// exact constant rate, time origin, finite estimates, ...) is tested once in test_models.cpp.
#include <copyeta/models/pv.hpp>

#include <gtest/gtest.h>


namespace {

using copyeta::amount;
using copyeta::state;
using copyeta::models::pv;

// 100/s until t = 40 (4000 done), then 400/s.
amount step_done(int t) {
  return t <= 40 ? amount(100) * amount(t) : 4000 + amount(400) * amount(t - 40);
}

TEST(models_pv, warming_up_until_a_second_point_5_s_later) {
  pv m;
  for (int k = 0; k <= 4; ++k) {
    m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
    EXPECT_EQ(m.estimate(static_cast<double>(k)).state, state::warming_up) << k;
  }
  m.add({5.0, 500, 10'000});
  const auto e = m.estimate(5.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_DOUBLE_EQ(*e.rate, 100.0);
  EXPECT_DOUBLE_EQ(e.remaining, 95.0);
}

TEST(models_pv, step_change_takes_the_30_s_window) {
  pv m;
  for (int k = 0; k <= 44; ++k) m.add({static_cast<double>(k), step_done(k), 100'000});
  // Points at 10 ... 40; the rate is fixed at t = 40 until the next point at 45.
  EXPECT_DOUBLE_EQ(*m.estimate(44.0).rate, 100.0);
  m.add({45.0, step_done(45), 100'000});
  EXPECT_DOUBLE_EQ(*m.estimate(45.0).rate, 150.0);  // (6000 - 1500) / 30: points 15 ... 45
  for (int k = 46; k <= 69; ++k) m.add({static_cast<double>(k), step_done(k), 100'000});
  EXPECT_DOUBLE_EQ(*m.estimate(69.0).rate, 350.0);  // (14000 - 3500) / 30: points 35 ... 65
  m.add({70.0, step_done(70), 100'000});
  EXPECT_DOUBLE_EQ(*m.estimate(70.0).rate, 400.0);  // the window holds only the new rate
}

TEST(models_pv, points_are_5_s_after_the_newest_point_not_on_a_grid) {
  pv m;
  m.add({0.0, 0, 100'000});
  m.add({4.9, 490, 100'000});    // too soon
  m.add({5.2, 520, 100'000});    // point
  m.add({10.1, 5000, 100'000});  // 4.9 s after the newest point: too soon, rate kept
  EXPECT_DOUBLE_EQ(*m.estimate(10.1).rate, 100.0);
  EXPECT_DOUBLE_EQ(m.estimate(10.1).remaining, 950.0);        // 95000 left at 100/s
  m.add({10.25, 5010, 100'000});                              // point
  EXPECT_DOUBLE_EQ(*m.estimate(10.25).rate, 5010.0 / 10.25);  // points 0, 5.2, 10.25
}

TEST(models_pv, stall_freezes_the_last_positive_rate) {
  pv m;
  for (int k = 0; k <= 40; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  for (int k = 41; k <= 65; ++k) m.add({static_cast<double>(k), 4000, 10'000});
  const double last_positive = 500.0 / 30.0;  // points 35 ... 65: only 3500 -> 4000 moved
  EXPECT_DOUBLE_EQ(*m.estimate(65.0).rate, last_positive);
  for (int k = 66; k <= 90; ++k) m.add({static_cast<double>(k), 4000, 10'000});
  // pv's own rate is 0 now (points 60 ... 90 all at 4000) and it would show ETA 0:00:00.
  const auto e = m.estimate(90.0);
  EXPECT_EQ(e.state, state::stalled);
  EXPECT_DOUBLE_EQ(*e.rate, last_positive);
  EXPECT_DOUBLE_EQ(e.remaining, 6000.0 / last_positive);
}

TEST(models_pv, restart_clears_the_history) {
  pv m;
  for (int k = 0; k <= 20; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  m.add({21.0, 10, 10'000});
  EXPECT_EQ(m.estimate(21.0).state, state::warming_up);
  m.add({25.0, 50, 10'000});
  EXPECT_EQ(m.estimate(25.0).state, state::warming_up);
  m.add({26.0, 510, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(26.0).rate, 100.0);  // (510 - 10) / 5
}

TEST(models_pv, equal_timestamps_do_not_divide_by_zero) {
  pv m;
  m.add({0.0, 0, 10'000});
  m.add({0.0, 100, 10'000});
  m.add({5.0, 500, 10'000});
  m.add({5.0, 900, 10'000});  // same time as the newest point: too soon
  const auto e = m.estimate(5.0);
  EXPECT_DOUBLE_EQ(*e.rate, 100.0);
  EXPECT_DOUBLE_EQ(e.remaining, 91.0);
}

}  // namespace
