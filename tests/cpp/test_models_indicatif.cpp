// The indicatif model's own answers, computed by hand. What every model promises (name, no
// interval, exact constant rate, time origin, finite estimates, ...) is tested once in
// test_models.cpp.
#include <copyeta/detail/clamp.hpp>
#include <copyeta/models/indicatif.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace {

using copyeta::amount;
using copyeta::state;
using copyeta::models::indicatif;

// W(age) = 0.1^(age / 15 s).
double w(double age) { return std::pow(0.1, age / 15.0); }

TEST(models_indicatif, two_updates_by_hand) {
  indicatif m;
  m.add({0.0, 0, 1000});
  m.add({1.0, 100, 1000});
  EXPECT_NEAR(*m.estimate(1.0).rate, 100.0, 1e-9);
  m.add({2.0, 400, 1000});  // 300/s in the second second
  // s = 100 (1 - a) a + 300 (1 - a) with a = W(1); ds = 100 (1 - a) a + s / (1 - a^2) (1 - a);
  // rate = ds / (1 - a^2).
  const double a = w(1.0);
  const double s = 100.0 * (1.0 - a) * a + 300.0 * (1.0 - a);
  const double ds = 100.0 * (1.0 - a) * a + s / (1.0 - a * a) * (1.0 - a);
  const double rate = ds / (1.0 - a * a);
  EXPECT_NEAR(rate, 157.9536443301315, 1e-9);  // the same, computed independently in Python
  const auto e = m.estimate(2.0);
  EXPECT_NEAR(*e.rate, rate, 1e-9);
  EXPECT_NEAR(e.remaining, 600.0 / rate, 1e-9);
}

TEST(models_indicatif, step_change_settles_over_about_15_s) {
  // 100/s for 60 s, then 200/s. Reference values from an independent Python transcription of
  // indicatif's Estimator.
  indicatif m;
  for (int k = 0; k <= 60; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 1'000'000});
  const double expected[][2] = {{61, 102.02539314716476},
                                {75, 168.6564340261772},
                                {90, 194.73131369398263},
                                {105, 199.25969693855328},
                                {120, 199.90462621888298}};
  int next = 0;
  for (int k = 61; k <= 120; ++k) {
    m.add({static_cast<double>(k), 6000 + amount(200) * amount(k - 60), 1'000'000});
    if (k == static_cast<int>(expected[next][0])) {
      EXPECT_NEAR(*m.estimate(k).rate, expected[next][1], 1e-9) << k;
      ++next;
    }
  }
  EXPECT_EQ(next, 5);
}

TEST(models_indicatif, silence_counts_as_no_progress) {
  indicatif m;
  for (int k = 0; k <= 30; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  // 15 s later with no sample: s' = 99 * 0.1 / 0.999, rate = (99 * 0.1 + s' * 0.9) / 0.999.
  const double s_prime = 99.0 * 0.1 / 0.999;
  const double rate = (99.0 * 0.1 + s_prime * 0.9) / 0.999;
  EXPECT_NEAR(rate, 18.837756675594527, 1e-9);
  auto e = m.estimate(45.0);
  EXPECT_NEAR(*e.rate, rate, 1e-6);
  EXPECT_NEAR(e.remaining, 7000.0 / rate, 1e-6);
  // Samples without progress change nothing: the same estimate at the same `now`.
  for (int k = 31; k <= 45; ++k) m.add({static_cast<double>(k), 3000, 10'000});
  e = m.estimate(45.0);
  EXPECT_EQ(e.state, state::stalled);
  EXPECT_NEAR(*e.rate, rate, 1e-6);
}

TEST(models_indicatif, a_very_long_stall_keeps_the_eta_at_its_maximum) {
  indicatif m;
  for (int k = 0; k <= 30; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  // After 1000 s the rate is tiny; after 10,000 s W underflows and the formula gives 0.
  EXPECT_GT(*m.estimate(1030.0).rate, 0.0);
  const auto e = m.estimate(10'030.0);
  ASSERT_TRUE(e.rate);
  EXPECT_GT(*e.rate, 0.0);
  EXPECT_LT(*e.rate, 1e-300);
  EXPECT_EQ(e.state, state::stalled);
  EXPECT_EQ(e.remaining, copyeta::detail::max_seconds);
}

TEST(models_indicatif, restart_clears_the_estimator) {
  indicatif m;
  for (int k = 0; k <= 10; ++k) m.add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  m.add({11.0, 5, 10'000});
  EXPECT_EQ(m.estimate(11.0).state, state::warming_up);
  m.add({12.0, 505, 10'000});
  EXPECT_NEAR(*m.estimate(12.0).rate, 500.0, 1e-9);
}

TEST(models_indicatif, equal_timestamps_are_not_recorded) {
  indicatif m;
  m.add({0.0, 0, 10'000});
  m.add({0.0, 50, 10'000});
  EXPECT_EQ(m.estimate(0.0).state, state::warming_up);
  m.add({1.0, 100, 10'000});
  m.add({1.0, 150, 10'000});  // not recorded; counted at the next sample
  EXPECT_NEAR(*m.estimate(1.0).rate, 100.0, 1e-9);
  m.add({2.0, 250, 10'000});
  EXPECT_NEAR(*m.estimate(2.0).rate, 114.4884110825329, 1e-9);  // 100/s, then 150/s
}

}  // namespace
