#include <copyeta/models/rsync.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

using copyeta::amount;
using copyeta::state;
using copyeta::models::rsync;

constexpr amount kMax = std::numeric_limits<amount>::max();

TEST(models_rsync, name_and_no_interval) {
  rsync m;
  EXPECT_EQ(m.name(), "rsync");
  m.add({0.0, 0, 1000});
  m.add({1.0, 100, 1000});
  const auto e = m.estimate(1.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_EQ(e.lo, e.remaining);
  EXPECT_EQ(e.hi, e.remaining);
}

TEST(models_rsync, constant_rate_gives_the_exact_remaining) {
  rsync m;
  for (int k = 0; k <= 20; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  const auto e = m.estimate(20.0);
  EXPECT_DOUBLE_EQ(*e.rate, 100.0);
  EXPECT_DOUBLE_EQ(e.remaining, 80.0);
}

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

TEST(models_rsync, amounts_near_the_top_of_uint64) {
  const amount base = kMax - 1'000'000;
  rsync m;
  m.add({0.0, base, kMax});
  m.add({2.0, base + 2000, kMax});
  const auto e = m.estimate(2.0);
  EXPECT_DOUBLE_EQ(*e.rate, 1000.0);
  EXPECT_DOUBLE_EQ(e.remaining, 998.0);
}

TEST(models_rsync, shifting_the_time_origin_changes_nothing) {
  rsync a;
  rsync b;
  for (int k = 0; k <= 40; ++k) {
    const amount done = amount(7) * amount(k * k);
    a.add({0.375 * k, done, 1'000'000});
    b.add({65536.0 + 0.375 * k, done, 1'000'000});
  }
  EXPECT_DOUBLE_EQ(a.estimate(15.0).remaining, b.estimate(65536.0 + 15.0).remaining);
}

TEST(models_rsync, remaining_is_finite_and_non_negative) {
  const copyeta::sample samples[] = {
      {0.0, 0, kMax},   {1e-300, kMax - 1, kMax}, {1.0, kMax - 1, kMax}, {1.0, 5, 100},
      {2.0, 6, 100},    {3.0, 90, 100},           {100.0, 99, 100},      {200.0, 100, 100},
      {201.0, 0, kMax}, {202.0, 1, kMax},         {1e9, 2, kMax},
  };
  rsync m;
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
