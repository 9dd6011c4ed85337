// The 3-state Kalman model: hand-computed answers, invariances, robustness, and the seeded
// scenarios of scenarios.hpp scored as metrics.md does.
#include "scenarios.hpp"
#include "synthetic.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/models/kalman.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace {

using copyeta::amount;
using copyeta::sample;
using copyeta::state;
using copyeta::models::kalman;
using copyeta::models::kalman_options;

TEST(kalman, constant_rate_gives_the_exact_median) {
  kalman m;
  const auto e = copyeta::testing::run_until(m, copyeta::testing::constant_rate(1e6, 1'000'000'000), 0.3);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_NEAR(e.remaining / 700.0, 1.0, 1e-6);
  EXPECT_NEAR(*e.rate / 1e6, 1.0, 1e-9);
  EXPECT_LT(e.lo, e.remaining);
  EXPECT_GT(e.hi, e.remaining);
  EXPECT_EQ(m.name(), "kalman");
}

TEST(kalman, constant_rate_is_exact_for_any_gap) {
  // 10 ms to 5 minutes between samples: the transition is exact for any dt, so the state stays
  // on the line. All times are exact in binary, so done = 1e6 t is exact.
  const std::vector<double> gaps{0.25, 0.25, 300.0, 0.015625, 0.015625, 2.0, 64.0, 0.5, 120.0,
                                  1.0,  8.0,  0.0078125};
  kalman m;
  double t = 0.0;
  m.add({t, 0, 2'000'000'000});
  for (const double g : gaps) {
    t += g;
    m.add({t, static_cast<amount>(1e6 * t), 2'000'000'000});
    const auto e = m.estimate(t);
    ASSERT_EQ(e.state, state::ok) << t;
    EXPECT_NEAR(e.remaining / (2000.0 - t), 1.0, 1e-6) << t;
  }
}

TEST(kalman, forecast_blends_the_rate_into_the_mean) {
  // m h + (rate - m) tau (1 - e^(-h/tau)), by hand: rate 2, mean 1, tau 10.
  EXPECT_NEAR(kalman::expected_gain(2.0, 1.0, 10.0, 5.0), 8.934693402873666, 1e-12);
  EXPECT_NEAR(kalman::expected_gain(2.0, 1.0, 10.0, 0.0), 0.0, 1e-15);
  // Far out the path is the mean's plus (rate - mean) tau.
  EXPECT_NEAR(kalman::expected_gain(2.0, 1.0, 10.0, 1000.0), 1010.0, 1e-9);
  // The median solves expected_gain = need: h + 10 (1 - e^(-h/10)) = 100, bisected by hand.
  EXPECT_NEAR(kalman::time_to_gain(100.0, 2.0, 1.0, 10.0), 90.00123394576924, 1e-9);
  // A stalled rate (0) reverting to a mean of 1: h - 10 (1 - e^(-h/10)) = 100.
  EXPECT_NEAR(kalman::time_to_gain(100.0, 0.0, 1.0, 10.0), 109.99983298020254, 1e-9);
  // Rate = mean is the plain ratio, even for horizons far shorter than tau.
  EXPECT_NEAR(kalman::time_to_gain(3.0, 1e6, 1e6, 10.0), 3e-6, 1e-18);
  for (const double need : {1e-3, 1.0, 37.0, 1e4, 1e9}) {
    const double h = kalman::time_to_gain(need, 3.0, 0.5, 7.0);
    EXPECT_NEAR(kalman::expected_gain(3.0, 0.5, 7.0, h) / need, 1.0, 1e-12) << need;
  }
}

TEST(kalman, warming_up_until_progress_is_seen) {
  kalman m;
  EXPECT_EQ(m.estimate(0.0).state, state::warming_up);
  m.add({0.0, 0, 100});
  EXPECT_EQ(m.estimate(0.0).state, state::warming_up);
  EXPECT_EQ(m.estimate(5.0).state, state::warming_up);
  m.add({1.0, 0, 100});
  EXPECT_EQ(m.estimate(1.0).state, state::warming_up);
  EXPECT_FALSE(m.estimate(1.0).rate);
  m.add({2.0, 10, 100});
  const auto e = m.estimate(2.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_NEAR(e.remaining, 18.0, 1e-9);  // 90 more at the first interval's 5 per second
  EXPECT_LT(e.lo, e.remaining);
  EXPECT_GT(e.hi, e.remaining);
}

TEST(kalman, restart_starts_a_new_run) {
  kalman m;
  for (int t = 0; t <= 10; ++t) m.add({double(t), amount(t) * 100, 10000});
  m.add({11.0, 50, 10000});  // done went backwards
  EXPECT_EQ(m.estimate(11.0).state, state::warming_up);
  EXPECT_FALSE(m.estimate(11.0).rate);
  m.add({12.0, 250, 10000});
  EXPECT_NEAR(m.estimate(12.0).remaining, (10000.0 - 250.0) / 200.0, 1e-9);
  m.reset();
  EXPECT_EQ(m.estimate(12.0).state, state::warming_up);
}

TEST(kalman, options_are_validated) {
  EXPECT_NO_THROW(kalman_options{}.validate());
  const auto rejects = [](auto change, const std::string& field) {
    kalman_options o;
    change(o);
    try {
      kalman m({}, o);
      ADD_FAILURE() << "no exception for " << field;
    } catch (const copyeta::options_error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("[copyeta.options] " + field + " = ", 0), 0u)
          << e.what();
    }
  };
  rejects([](kalman_options& o) { o.tau = 0.0; }, "tau");
  rejects([](kalman_options& o) { o.tau = INFINITY; }, "tau");
  rejects([](kalman_options& o) { o.huber_k = -1.0; }, "huber_k");
  rejects([](kalman_options& o) { o.display_precision = 1.0; }, "display_precision");
  rejects([](kalman_options& o) { o.display_precision = NAN; }, "display_precision");
  rejects([](kalman_options& o) { o.block = 0.0; }, "block");
  rejects([](kalman_options& o) { o.prior_diffusion = 0.0; }, "prior_diffusion");
  rejects([](kalman_options& o) { o.mean_drift = -1e-3; }, "mean_drift");
  rejects([](kalman_options& o) { o.shift_threshold = NAN; }, "shift_threshold");
  copyeta::estimator_options bad;
  bad.level = 1.0;
  EXPECT_THROW(kalman m(bad), copyeta::options_error);
}

TEST(kalman, a_single_burst_does_not_yank_the_rate) {
  // 1 MB/s with 10% noise for 100 s, then one sample 100 MB (100x) ahead, after which the copy
  // goes on from there. An unweighted filter (huber_k huge) swings its rate by tens of MB/s;
  // the Huber-weighted one treats the excess as a jump in bytes.
  kalman_options plain;
  plain.huber_k = 1e9;
  kalman robust;
  kalman unweighted({}, plain);
  const auto samples = copyeta::testing::noisy_rate(1e6, 1'000'000'000, 0.1, 3);
  for (std::size_t i = 0; i <= 100; ++i) {
    robust.add(samples[i]);
    unweighted.add(samples[i]);
  }
  const auto before = robust.estimate(100.0);
  double robust_swing = 0.0;
  double unweighted_swing = 0.0;
  for (std::size_t i = 101; i <= 110; ++i) {
    const sample s{samples[i].t, samples[i].done + 100'000'000, samples[i].total};
    robust.add(s);
    unweighted.add(s);
    robust_swing = std::max(robust_swing, std::abs(*robust.estimate(s.t).rate - 1e6));
    unweighted_swing = std::max(unweighted_swing, std::abs(*unweighted.estimate(s.t).rate - 1e6));
  }
  EXPECT_LT(robust_swing, 0.1e6);       // measured: 5%
  EXPECT_GT(unweighted_swing, 5e6);     // measured: 26 MB/s
  EXPECT_LT(robust_swing, 0.02 * unweighted_swing);
  // The jumped 100 MB are done: the finish moves about 100 s earlier, not to twice the speed.
  const auto after = robust.estimate(110.0);
  const double expected = before.remaining - 10.0 - 100.0;
  EXPECT_NEAR(after.remaining / expected, 1.0, 0.1);  // measured: 0.95
  EXPECT_LT(after.lo, after.remaining);
  EXPECT_GT(after.hi, after.remaining);
}

TEST(kalman, a_stale_reading_does_not_yank_the_rate) {
  // One sample repeats the previous `done`, the next catches up.
  kalman m;
  const auto samples = copyeta::testing::noisy_rate(1e6, 1'000'000'000, 0.1, 5);
  for (std::size_t i = 0; i <= 100; ++i) m.add(samples[i]);
  const double rate = *m.estimate(100.0).rate;
  m.add({101.0, samples[100].done, samples[101].total});
  EXPECT_NEAR(*m.estimate(101.0).rate / rate, 1.0, 0.05);
  m.add(samples[102]);
  EXPECT_NEAR(*m.estimate(102.0).rate / rate, 1.0, 0.05);
}

TEST(kalman, a_lasting_change_of_rate_moves_the_mean) {
  // A start ramp: 1 MB/s for 5 s, then 5 MB/s for good. The run of one-sided innovations is a
  // change of rate, not jumps: within a few samples the forecast is the new rate's, and the
  // long-run mean does not stay anchored to the slow start (before: 4.1x too late at t = 10).
  kalman m;
  double done = 0.0;
  for (int t = 0; t <= 15; ++t) {
    m.add({double(t), static_cast<amount>(done), 10'000'000'000});
    done += t < 5 ? 1e6 : 5e6;
    if (t < 10) continue;
    const double truth = (1e10 - (done - 5e6)) / 5e6;
    EXPECT_NEAR(m.estimate(double(t)).remaining / truth, 1.0, 0.02) << t;  // measured: 0.01%
  }
}

TEST(kalman, coarse_display_steps_are_noise_not_stalls) {
  // Whole percents every 2 s at 0.16 %/s: the reading repeats about every other sample. The
  // repeats are the display's step, not stalls: the rate stays near 0.16 %/s throughout.
  kalman m;
  for (int i = 0; i <= 60; ++i) {
    const double t = 2.0 * i;
    m.add({t, static_cast<amount>(std::floor(0.16 * t)) * 1'000'000, 100'000'000});
    if (i < 20) continue;
    const auto e = m.estimate(t);
    EXPECT_EQ(e.state, state::ok) << t;
    EXPECT_NEAR(*e.rate / 0.16e6, 1.0, 0.15) << t;  // measured: within 5.7% (before: 81%)
  }
}

TEST(kalman, relative_interval_narrows_as_the_end_nears) {
  const auto samples = copyeta::testing::noisy_rate(1e6, 600'000'000, 0.1, 11);
  kalman early;
  kalman late;
  const auto a = copyeta::testing::run_until(early, samples, 0.1);
  const auto b = copyeta::testing::run_until(late, samples, 0.8);
  EXPECT_GT(a.hi / a.remaining, b.hi / b.remaining);
  EXPECT_GT(a.remaining / a.lo, b.remaining / b.lo);
}

TEST(kalman, interval_widens_with_rate_variation) {
  kalman smooth;
  kalman rough;
  const auto a = copyeta::testing::run_until(smooth, copyeta::testing::noisy_rate(1e6, 1'000'000'000, 0.05, 1), 0.5);
  const auto b = copyeta::testing::run_until(rough, copyeta::testing::noisy_rate(1e6, 1'000'000'000, 1.0, 1), 0.5);
  // Per-second log-sd 1.0 against 0.05: measured log-widths 0.228 and 0.0096.
  EXPECT_GT(std::log(b.hi / b.lo), 5.0 * std::log(a.hi / a.lo));
}

TEST(kalman, silence_moves_the_finish_later_and_widens_the_interval) {
  kalman m;
  for (int t = 0; t <= 100; ++t) m.add({double(t), amount(t) * 1000, 1'000'000});
  const auto before = m.estimate(100.0);
  const auto during = m.estimate(400.0);
  const auto longer = m.estimate(1000.0);
  EXPECT_EQ(before.state, state::ok);
  EXPECT_EQ(during.state, state::stalled);
  EXPECT_DOUBLE_EQ(during.stalled_for, 300.0);
  EXPECT_GT(during.t + during.remaining, before.t + before.remaining);
  EXPECT_GT(longer.t + longer.remaining, during.t + during.remaining);
  EXPECT_GT(during.hi - during.remaining, before.hi - before.remaining);
  EXPECT_GT(longer.hi - longer.remaining, during.hi - during.remaining);
  EXPECT_TRUE(std::isfinite(longer.hi));
}

TEST(kalman, a_stall_in_the_samples_leaves_the_moving_rate) {
  // Samples keep coming and show no progress: the rate falls to ~0 while the mean (the rate
  // while moving) stays. The finish moves later by the stall so far, plus the stall's share of
  // the time (60 of 160 s), half-believed to recur: 900 / (1 - 0.1875) s instead of 900 s.
  kalman m;
  for (int t = 0; t <= 100; ++t) m.add({double(t), amount(t) * 1000, 1'000'000});
  const auto before = m.estimate(100.0);
  for (int t = 101; t <= 160; ++t) m.add({double(t), 100'000, 1'000'000});
  const auto during = m.estimate(160.0);
  EXPECT_EQ(during.state, state::stalled);
  const double delay = (during.t + during.remaining) - (before.t + before.remaining);
  EXPECT_NEAR(delay, 60.0 + 900.0 / (1.0 - 0.1875) - 900.0, 20.0);  // measured: 284
  EXPECT_GE(during.hi - during.remaining, 60.0);
  // Progress resumes at the old rate: the forecast returns to it within a few samples.
  for (int t = 161; t <= 180; ++t) m.add({double(t), 100'000 + amount(t - 160) * 1000, 1'000'000});
  const auto after = m.estimate(180.0);
  EXPECT_EQ(after.state, state::ok);
  EXPECT_NEAR(*after.rate / 1000.0, 1.0, 0.1);
}

TEST(kalman, every_estimate_is_finite_and_ordered_at_the_extremes) {
  constexpr amount top = ~amount{0};
  const std::vector<sample> samples{
      {0.0, 0, top},          {1e-300, top - 1, top}, {1.0, top - 1, top},
      {1.0, 5, 100},          {2.0, 6, 100},          {2.0, 6, 100},
      {3.0, 90, 100},         {7.5, 91, 100},         {100.0, 99, 100},
      {101.0, 0, top},        {102.0, 1, top},        {103.0, top / 2, top},
      {1e9, top - 2, top},    {1e9 + 1, 0, 5000},     {1e9 + 1.01, 1000, 5000},
      {1e9 + 40, 2000, 5000}, {1e9 + 4000, 2001, 5000}};
  kalman m;
  for (const auto& s : samples) {
    m.add(s);
    for (const double now : {s.t, s.t + 0.5, s.t + 60.0, s.t + 1e6, s.t + 1e7}) {
      const auto e = m.estimate(now);
      EXPECT_TRUE(std::isfinite(e.remaining) && e.remaining >= 0.0) << now;
      EXPECT_TRUE(std::isfinite(e.lo) && std::isfinite(e.hi)) << now;
      EXPECT_LE(e.lo, e.remaining) << now;
      EXPECT_LE(e.remaining, e.hi) << now;
      if (e.rate) {
        EXPECT_TRUE(std::isfinite(*e.rate) && *e.rate > 0.0) << now;
      }
    }
  }
}

// Over 200 seeded runs per scenario (scenarios.hpp), the bounds this model reaches, measured
// first and set with margin: the median over runs of each run's median q-error, and the mean
// 80% coverage. Measured values are in the comments.
using copyeta::testing::scenario;
using copyeta::testing::scenario_bounds;

class kalman_scenario : public ::testing::TestWithParam<scenario_bounds> {};

TEST_P(kalman_scenario, meets_its_bounds_over_200_seeds) {
  copyeta::testing::expect_within(GetParam(), [] { return std::make_unique<kalman>(); });
}

INSTANTIATE_TEST_SUITE_P(
    scenarios, kalman_scenario,
    ::testing::Values(
        // Steady, noisy rate: q 0.0087, coverage 0.857.
        scenario_bounds{scenario::constant, 0.05, 0.05, 0.7, 0.9},
        // Exponential gaps and three 30-s silences: q 0.0096, coverage 0.857.
        scenario_bounds{scenario::irregular_sampling, 0.05, 0.05, 0.7, 0.9},
        // 2% of seconds move 5x: q 0.0471, coverage 0.702 (0.694 while two outliers a few
        // samples apart could still count as a change of rate; only consecutive ones do now). Near the limit of the data: the
        // whole-run average scores 0.052 here, and even the true mean rate 0.028, because how
        // many bursts are still to come is random.
        scenario_bounds{scenario::outliers, 0.05, 0.05, 0.7, 0.9},
        // The total grows from 30% to 100% over the first quarter; scored from 30%: q 0.0089,
        // coverage 0.840.
        scenario_bounds{scenario::changing_total, 0.3, 0.05, 0.7, 0.9},
        // The rate falls 4x at half the bytes: q 0.0089, coverage 0.773. Nothing before the
        // step foretells it, so those samples (a fifth) are off by up to 4x and outside any
        // honest interval; after it the rate and then the mean follow within seconds, and the
        // median sample is after the step.
        scenario_bounds{scenario::step_change, 0.05, 0.03, 0.7, 0.9},
        // The rate decays linearly to half: q 0.205, coverage 0.243. Without a trend in the
        // state the forecast extrapolates the current rate while the truth keeps slowing: even
        // the true current rate is 20% optimistic at mid-copy.
        scenario_bounds{scenario::slow_drift, 0.05, 0.25, 0.15, 0.9},
        // 10-s blocks at 2.5x or nothing: q 0.434, coverage 0.643 (0.399 before moving blocks
        // became level shifts of the rate). How many of the remaining
        // blocks will move is binomial (sd ~ 1.2 / sqrt(blocks left)), and the first blocks
        // decide the early estimates; the whole-run average scores 0.36.
        scenario_bounds{scenario::bursts, 0.05, 0.5, 0.55, 0.9},
        // A 60-s stall at 40%: q 0.138, coverage 0.637. Nothing before it foretells it (those
        // samples are ~25% optimistic), its length is unknown while it lasts, and afterwards
        // one stall is half-believed to recur.
        scenario_bounds{scenario::stall, 0.05, 0.2, 0.55, 0.9}),
    [](const ::testing::TestParamInfo<scenario_bounds>& p) {
      return std::string(copyeta::testing::to_string(p.param.kind));
    });

}  // namespace
