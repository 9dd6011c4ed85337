// The rsync model's own answers, computed by hand. What every model promises (name, no interval,
// exact constant rate, time origin, finite estimates, ...) is tested once in test_models.cpp.
#include <copyeta/models/rsync.hpp>

#include <gtest/gtest.h>


namespace {

using copyeta::amount;
using copyeta::state;
using copyeta::models::rsync;

TEST(models_rsync, warming_up_until_a_slot_update_1_s_later) {
  rsync m;
  m.add({0.0, 0, 10'000});
  m.add({0.5, 50, 10'000});
  m.add({0.999, 100, 10'000});
  EXPECT_EQ(m.estimate(0.999).state, state::warming_up);
  m.add({1.0, 120, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(1.0).rate, 120.0);
}

TEST(models_rsync, early_rates_reach_back_to_the_start) {
  // Fewer than four slot updates: the oldest slot is still the start.
  rsync m;
  m.add({0.0, 0, 10'000});
  m.add({1.0, 100, 10'000});
  m.add({2.0, 400, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(2.0).rate, 200.0);  // 400 / 2, not the last second's 300
}

TEST(models_rsync, step_change_spans_the_last_four_steps) {
  // 100/s until t = 10 (1000 done), then 500/s.
  rsync m;
  const auto done = [](int t) {
    return t <= 10 ? amount(100) * amount(t) : 1000 + amount(500) * amount(t - 10);
  };
  for (int k = 0; k <= 12; ++k) m.add({static_cast<double>(k), done(k), 100'000});
  EXPECT_DOUBLE_EQ(*m.estimate(12.0).rate, 300.0);  // (2000 - 800) / 4: from the slot at t = 8
  m.add({13.0, done(13), 100'000});
  EXPECT_DOUBLE_EQ(*m.estimate(13.0).rate, 400.0);  // (2500 - 900) / 4
  m.add({14.0, done(14), 100'000});
  EXPECT_DOUBLE_EQ(*m.estimate(14.0).rate, 500.0);  // (3000 - 1000) / 4
}

TEST(models_rsync, no_print_between_slot_updates) {
  // Samples every 0.5 s: only those 1 s after the newest slot are printed.
  rsync m;
  m.add({0.0, 0, 10'000});
  m.add({0.5, 50, 10'000});
  m.add({1.0, 100, 10'000});
  m.add({1.5, 600, 10'000});  // a burst, but no slot update: rate still 100 / 1
  const auto e = m.estimate(1.5);
  EXPECT_DOUBLE_EQ(*e.rate, 100.0);
  EXPECT_DOUBLE_EQ(e.remaining, 94.0);  // what is left now, at the printed rate
  m.add({2.0, 1100, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(2.0).rate, 550.0);  // 1100 / 2: the 0.5 s samples left no slot
}

TEST(models_rsync, stall_freezes_the_last_positive_rate) {
  rsync m;
  for (int k = 0; k <= 10; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  m.add({11.0, 1000, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(11.0).rate, 75.0);  // (1000 - 700) / 4
  m.add({12.0, 1000, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(12.0).rate, 50.0);
  m.add({13.0, 1000, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(13.0).rate, 25.0);
  for (int k = 14; k <= 40; ++k) m.add({static_cast<double>(k), 1000, 10'000});  // rate 0
  const auto e = m.estimate(40.0);
  EXPECT_EQ(e.state, state::stalled);
  EXPECT_DOUBLE_EQ(*e.rate, 25.0);
  EXPECT_DOUBLE_EQ(e.remaining, 360.0);
}

TEST(models_rsync, restart_clears_the_slots) {
  rsync m;
  for (int k = 0; k <= 10; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  m.add({10.5, 0, 10'000});
  EXPECT_EQ(m.estimate(10.5).state, state::warming_up);
  m.add({11.5, 300, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(11.5).rate, 300.0);
}

TEST(models_rsync, equal_timestamps_do_not_divide_by_zero) {
  rsync m;
  m.add({0.0, 0, 10'000});
  m.add({0.0, 100, 10'000});
  m.add({1.0, 200, 10'000});
  m.add({1.0, 300, 10'000});  // same time as the newest slot: not printed
  const auto e = m.estimate(1.0);
  EXPECT_DOUBLE_EQ(*e.rate, 200.0);
  EXPECT_DOUBLE_EQ(e.remaining, 48.5);
}

}  // namespace
