// The rich model's own answers, computed by hand. What every model promises (name, no interval,
// exact constant rate, time origin, finite estimates, ...) is tested once in test_models.cpp.
#include <copyeta/models/rich.hpp>

#include <gtest/gtest.h>


namespace {

using copyeta::amount;
using copyeta::state;
using copyeta::models::rich;

TEST(models_rich, step_change_takes_the_30_s_window) {
  // 100/s until t = 60 (6000 done), then 400/s.
  rich m;
  const auto done = [](int t) {
    return t <= 60 ? amount(100) * amount(t) : 6000 + amount(400) * amount(t - 60);
  };
  for (int k = 0; k <= 70; ++k) m.add({static_cast<double>(k), done(k), 1'000'000});
  // The point exactly 30 s old (t = 40) is kept: (10000 - 4000) / 30.
  EXPECT_DOUBLE_EQ(*m.estimate(70.0).rate, 200.0);
  for (int k = 71; k <= 90; ++k) m.add({static_cast<double>(k), done(k), 1'000'000});
  EXPECT_DOUBLE_EQ(*m.estimate(90.0).rate, 400.0);  // (18000 - 6000) / 30
}

TEST(models_rich, stall_shrinks_the_window_then_freezes) {
  // 100/s until t = 50, 300/s until t = 60 (8000 done), then nothing.
  rich m;
  const auto done = [](int t) {
    return t <= 50 ? amount(100) * amount(t) : 5000 + amount(300) * amount(t - 50);
  };
  for (int k = 0; k <= 60; ++k) m.add({static_cast<double>(k), done(k), 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(60.0).rate, 5000.0 / 30.0);  // points 30 ... 60
  for (int k = 61; k <= 80; ++k) m.add({static_cast<double>(k), 8000, 10'000});
  // Samples without progress only drop old points: points 50 ... 60 remain.
  EXPECT_DOUBLE_EQ(*m.estimate(80.0).rate, 300.0);
  for (int k = 81; k <= 100; ++k) m.add({static_cast<double>(k), 8000, 10'000});
  // From t = 90 at most one point is left and rich has no speed; the last one is kept.
  const auto e = m.estimate(100.0);
  EXPECT_EQ(e.state, state::stalled);
  EXPECT_DOUBLE_EQ(*e.rate, 300.0);
  EXPECT_DOUBLE_EQ(e.remaining, 2000.0 / 300.0);
  m.add({101.0, 8100, 10'000});  // one point in the window: still no speed of its own
  EXPECT_DOUBLE_EQ(*m.estimate(101.0).rate, 300.0);
  m.add({102.0, 8150, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(102.0).rate, 50.0);  // (8150 - 8100) / 1
}

TEST(models_rich, keeps_at_most_1000_points) {
  // 100 samples a second: 30 s would be 3000 points, but only the last 1000 (10 s) are kept.
  // 100/s until t = 20, then 200/s; at t = 25 the points span 15.01 ... 25.
  rich m;
  for (int k = 0; k <= 2500; ++k) {
    const amount done = k <= 2000 ? amount(k) : 2000 + amount(2) * amount(k - 2000);
    m.add({k / 100.0, done, 1'000'000});
  }
  const auto e = m.estimate(25.0);
  EXPECT_NEAR(*e.rate, (3000.0 - 1501.0) / (25.0 - 15.01), 1e-9);  // 30 s would give 120
}

TEST(models_rich, restart_clears_the_points) {
  rich m;
  for (int k = 0; k <= 10; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  m.add({11.0, 5, 10'000});
  EXPECT_EQ(m.estimate(11.0).state, state::warming_up);
  m.add({12.0, 705, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(12.0).rate, 700.0);
}

TEST(models_rich, equal_timestamps_do_not_divide_by_zero) {
  rich m;
  m.add({5.0, 0, 10'000});
  m.add({5.0, 100, 10'000});
  const auto e = m.estimate(5.0);
  EXPECT_EQ(e.state, state::warming_up);  // two points, no span: rich has no speed
  m.add({6.0, 200, 10'000});
  m.add({6.0, 250, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(6.0).rate, 250.0);  // (250 - 0) / (6 - 5)
}

}  // namespace
