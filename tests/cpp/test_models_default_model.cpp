#include "synthetic.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/models/default_model.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace {

using copyeta::models::default_model;
using copyeta::state;

copyeta::estimate run(default_model& m, const std::vector<copyeta::sample>& samples,
                      double fraction) {
  for (const auto& s : samples) {
    m.add(s);
    if (static_cast<double>(s.done) >= fraction * static_cast<double>(*s.total))
      return m.estimate(s.t);
  }
  return m.estimate(samples.back().t);
}

TEST(default_model, constant_rate_gives_the_exact_median) {
  default_model m;
  const auto e = run(m, copyeta::testing::constant_rate(1e6, 1'000'000'000), 0.3);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_NEAR(e.remaining, 700.0, 1e-6);
  EXPECT_LT(e.lo, e.remaining);
  EXPECT_GT(e.hi, e.remaining);
  EXPECT_NEAR(*e.rate, 1e6, 1e-3);
}

TEST(default_model, warming_up_until_progress_is_seen) {
  default_model m;
  m.add({0.0, 0, 100});
  EXPECT_EQ(m.estimate(0.0).state, state::warming_up);
  m.add({1.0, 0, 100});
  EXPECT_EQ(m.estimate(1.0).state, state::warming_up);
  m.add({2.0, 10, 100});
  EXPECT_EQ(m.estimate(2.0).state, state::ok);
}

TEST(default_model, relative_interval_narrows_as_the_end_nears) {
  const auto samples = copyeta::testing::constant_rate(1e6, 1'000'000'000);
  default_model early;
  default_model late;
  const auto a = run(early, samples, 0.1);
  const auto b = run(late, samples, 0.8);
  EXPECT_GT(a.hi / a.remaining, b.hi / b.remaining);
  EXPECT_GT(a.remaining / a.lo, b.remaining / b.lo);
  EXPECT_GT(a.hi - a.lo, b.hi - b.lo);
}

TEST(default_model, interval_widens_with_rate_variation) {
  default_model smooth;
  default_model bursty;
  const auto a = run(smooth, copyeta::testing::noisy_rate(1e6, 1'000'000'000, 0.05, 1), 0.5);
  const auto b = run(bursty, copyeta::testing::noisy_rate(1e6, 1'000'000'000, 1.5, 1), 0.5);
  EXPECT_GT(b.hi / b.lo, a.hi / a.lo);
}

TEST(default_model, a_stall_moves_the_finish_later_and_widens_the_interval) {
  default_model m;
  for (int t = 0; t <= 100; ++t) m.add({double(t), copyeta::amount(t) * 1000, 1'000'000});
  const auto before = m.estimate(100.0);
  const auto during = m.estimate(400.0);
  const auto longer = m.estimate(1000.0);
  EXPECT_EQ(before.state, state::ok);
  EXPECT_EQ(during.state, state::stalled);
  EXPECT_GT(during.t + during.remaining, before.t + before.remaining);
  EXPECT_GT(longer.t + longer.remaining, during.t + during.remaining);
  EXPECT_GT(during.hi - during.remaining, before.hi - before.remaining);
  EXPECT_GT(longer.hi - longer.remaining, during.hi - during.remaining);
  EXPECT_TRUE(std::isfinite(longer.hi));
}

TEST(default_model, unchanged_by_time_origin_and_scaled_only_in_rate_by_amounts) {
  default_model a;
  default_model shifted;
  default_model scaled;
  const auto samples = copyeta::testing::noisy_rate(1000.0, 1'000'000, 0.3, 7);
  for (std::size_t i = 0; i < samples.size() / 2; ++i) {
    const auto& s = samples[i];
    a.add(s);
    shifted.add({s.t + 1e6, s.done, s.total});
    scaled.add({s.t, s.done * 1000, *s.total * 1000});
  }
  const double now = samples[samples.size() / 2 - 1].t;
  const auto ea = a.estimate(now);
  const auto es = shifted.estimate(now + 1e6);
  const auto ek = scaled.estimate(now);
  EXPECT_NEAR(es.remaining / ea.remaining, 1.0, 1e-9);
  EXPECT_NEAR(es.hi / ea.hi, 1.0, 1e-9);
  EXPECT_NEAR(ek.remaining / ea.remaining, 1.0, 1e-9);
  EXPECT_NEAR(ek.lo / ea.lo, 1.0, 1e-9);
  EXPECT_NEAR(*ek.rate / *ea.rate, 1000.0, 1e-6);
}

TEST(default_model, restart_starts_a_new_run) {
  default_model m;
  for (int t = 0; t <= 10; ++t) m.add({double(t), copyeta::amount(t) * 100, 10000});
  m.add({11.0, 50, 10000});
  EXPECT_EQ(m.estimate(11.0).state, state::warming_up);
  m.add({12.0, 250, 10000});
  EXPECT_NEAR(m.estimate(12.0).remaining, (10000.0 - 250.0) / 200.0, 1e-9);
}

TEST(default_model, eighty_percent_intervals_are_not_overconfident_on_noisy_copies) {
  int covered = 0;
  int scored = 0;
  for (std::uint32_t seed = 0; seed < 50; ++seed) {
    const auto samples = copyeta::testing::noisy_rate(1e5, 60'000'000, 0.5, seed);
    const double end = samples.back().t;
    default_model m;
    for (const auto& s : samples) {
      m.add(s);
      const double f = static_cast<double>(s.done) / static_cast<double>(*s.total);
      if (f < 0.05 || f > 0.95 || static_cast<long>(s.t) % 50 != 0) continue;
      const auto e = m.estimate(s.t);
      ++scored;
      covered += e.lo <= end - s.t && end - s.t <= e.hi;
    }
  }
  const double coverage = double(covered) / scored;
  EXPECT_GE(coverage, 0.7);
  EXPECT_LE(coverage, 1.0);
}

TEST(default_options, validation) {
  copyeta::models::default_options o;
  EXPECT_NO_THROW(o.validate());
  o.recent_weight = 1.5;
  EXPECT_THROW(default_model({}, o), copyeta::options_error);
}

}  // namespace
