#include "scenarios.hpp"
#include "synthetic.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/models/robust_window.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace {

using copyeta::amount;
using copyeta::sample;
using copyeta::state;
using copyeta::models::robust_window;
using copyeta::models::robust_window_options;
using copyeta::testing::scenario;

// Samples every second at `rate` from t = 0 to `until`, continuing from `done`.
void steady(robust_window& m, double from, double until, double rate, double& done,
            amount total) {
  for (double t = from; t <= until; t += 1.0) {
    m.add({t, static_cast<amount>(done), total});
    done += rate;
  }
}

// Shift detection off, for hand-computed rates that would otherwise (rightly) start a segment.
robust_window_options no_shifts() {
  robust_window_options o;
  o.shift_threshold = 1e9;
  return o;
}

// --- Known answers ----------------------------------------------------------------------------

TEST(robust_window, constant_rate_gives_the_exact_median) {
  robust_window m;
  const auto e = copyeta::testing::run_until(m, copyeta::testing::constant_rate(1e6, 1'000'000'000), 0.3);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_NEAR(*e.rate, 1e6, 1e-3);
  EXPECT_NEAR(e.remaining, 700.0, 1e-6);
  EXPECT_LT(e.lo, e.remaining);
  EXPECT_GT(e.hi, e.remaining);
  EXPECT_FALSE(e.shift);
}

TEST(robust_window, window_and_segment_rates_blend_by_hand) {
  // 100/s for 120 s, then 150/s for 40 s; at t = 160 the window is max(30, 160/4) = 40 s.
  // After 128 s the 1-s blocks merged into 2-s blocks; the window is blocks [120, 160).
  //   window  = 6000 / 40            = 150
  //   segment = (12000 + 6000) / 160 = 112.5
  //   rate    = 150^0.25 · 112.5^0.75 = 120.889 (log-space blend, recent_weight 0.25)
  robust_window m({}, no_shifts());
  double done = 0.0;
  steady(m, 0.0, 119.0, 100.0, done, 100'000);
  steady(m, 120.0, 160.0, 150.0, done, 100'000);
  const auto e = m.estimate(160.0);
  ASSERT_EQ(e.state, state::ok);
  const double rate = std::pow(150.0, 0.25) * std::pow(112.5, 0.75);
  EXPECT_NEAR(*e.rate, rate, 1e-9 * rate);
  EXPECT_NEAR(e.remaining, (100'000.0 - 18'000.0) / rate, 1e-6);  // 678.31 s
}

TEST(robust_window, a_lone_outlier_block_leaves_the_rate_by_hand) {
  // 100/s every second for 30 s, except that the block [20, 21) moves 10,000 (100x).
  // 30 blocks allow 1 outlier; the others' rate is 2900 / 29 = 100 < 10,000 / 10, so the block
  // is dropped and the rate is exactly 100 (the plain ratio would be 12,900 / 30 = 430).
  robust_window m;
  amount done = 0;
  for (int t = 0; t <= 30; ++t) {
    m.add({double(t), done, 1'000'000});
    done += t == 20 ? 10'000 : 100;
  }
  const auto e = m.estimate(30.0);
  ASSERT_EQ(e.state, state::ok);
  EXPECT_DOUBLE_EQ(*e.rate, 100.0);
  EXPECT_DOUBLE_EQ(e.remaining, (1'000'000.0 - 12'900.0) / 100.0);
}

TEST(robust_window, two_fast_blocks_in_thirty_are_a_pattern_not_outliers) {
  // As above with [10, 11) fast too: 2 blocks above 10x the others, 1 allowed, so none is
  // dropped: (28 · 100 + 2 · 10,000) / 30 = 760.
  robust_window m({}, no_shifts());
  amount done = 0;
  for (int t = 0; t <= 30; ++t) {
    m.add({double(t), done, 1'000'000});
    done += t == 10 || t == 20 ? 10'000 : 100;
  }
  EXPECT_NEAR(*m.estimate(30.0).rate, 760.0, 1e-9);
}

TEST(robust_window, a_sample_straddling_blocks_is_split_in_proportion_to_time) {
  // 100/s sampled every second to t = 20, at 20.5, then at 21.5 with a burst of 5000 more, then
  // every second at 100/s to 40.5. The increment over [20.5, 21.5] (5100) is split half and
  // half: blocks [20, 21) and [21, 22) hold 50 + 2550 = 2600 each, every other block 100, and
  // the latest, [40, 40.5), 50. In all 9050 in 40.5 s.
  //  segment: 41 blocks allow 2 outliers; without the 2 fastest the others move
  //           3850 / 38.5 = 100, both are above 10x that, so both are dropped: 100
  //  window:  30 s, blocks [10, 40.5): 31 blocks allow 1, yet 2 are above 10x the others
  //           ((8050 - 2600) / 29.5): a pattern, nothing is dropped: 8050 / 30.5 = 263.9
  robust_window m;
  for (int t = 0; t <= 20; ++t) m.add({double(t), amount(t) * 100, 1'000'000});
  m.add({20.5, 2050, 1'000'000});
  amount done = 7150;
  for (double t = 21.5; t <= 40.5; t += 1.0) {
    m.add({t, done, 1'000'000});
    done += 100;
  }
  const double window = 8050.0 / 30.5;
  const double rate = std::exp(0.25 * std::log(window) + 0.75 * std::log(100.0));  // 127.46
  const auto e = m.estimate(40.5);
  EXPECT_NEAR(*e.rate, rate, 1e-9 * rate);
  EXPECT_NEAR(e.remaining, (1'000'000.0 - 9050.0) / rate, 1e-6);
}

TEST(robust_window, warming_up_until_progress_is_seen) {
  robust_window m;
  m.add({0.0, 0, 100});
  EXPECT_EQ(m.estimate(0.0).state, state::warming_up);
  m.add({1.0, 0, 100});
  EXPECT_EQ(m.estimate(1.0).state, state::warming_up);
  EXPECT_FALSE(m.estimate(1.0).rate);
  m.add({2.0, 10, 100});
  const auto e = m.estimate(2.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_DOUBLE_EQ(*e.rate, 5.0);  // 10 over 2 s: the first second without progress counts
  EXPECT_LT(e.lo, e.hi);
}

TEST(robust_window, restart_starts_a_new_run) {
  robust_window m;
  for (int t = 0; t <= 10; ++t) m.add({double(t), amount(t) * 100, 10000});
  m.add({11.0, 50, 10000});
  EXPECT_EQ(m.estimate(11.0).state, state::warming_up);
  m.add({12.0, 250, 10000});
  EXPECT_NEAR(m.estimate(12.0).remaining, (10000.0 - 250.0) / 200.0, 1e-9);
  EXPECT_EQ(m.restarts(), 1u);
}

TEST(robust_window, options_are_validated) {
  EXPECT_NO_THROW(robust_window{});
  const auto throws_naming = [](robust_window_options o, const std::string& field) {
    try {
      robust_window m({}, o);
      ADD_FAILURE() << field;
    } catch (const copyeta::options_error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("[copyeta.options] " + field + " = ", 0), 0u)
          << e.what();
    }
  };
  const double nan = std::nan("");
  const auto with = [](auto change) {
    robust_window_options o;
    change(o);
    return o;
  };
  throws_naming(with([](auto& o) { o.min_window = 0.0; }), "min_window");
  throws_naming(with([&](auto& o) { o.min_window = nan; }), "min_window");
  throws_naming(with([](auto& o) { o.window_share = 0.0; }), "window_share");
  throws_naming(with([](auto& o) { o.window_share = 1.5; }), "window_share");
  throws_naming(with([](auto& o) { o.recent_weight = -0.1; }), "recent_weight");
  throws_naming(with([](auto& o) { o.min_block = -1.0; }), "min_block");
  throws_naming(with([](auto& o) { o.outlier_factor = 1.0; }), "outlier_factor");
  throws_naming(with([](auto& o) { o.shift_delta = 3.0; }), "shift_delta");
  throws_naming(with([](auto& o) { o.shift_threshold = 0.0; }), "shift_threshold");
  throws_naming(with([](auto& o) { o.segment_blocks = 0.5; }), "segment_blocks");
  throws_naming(with([](auto& o) { o.prior_spread = 0.0; }), "prior_spread");
  throws_naming(with([&](auto& o) { o.min_spread = nan; }), "min_spread");
  copyeta::estimator_options bad;
  bad.level = 1.0;
  EXPECT_THROW(robust_window{bad}, copyeta::options_error);
}

// --- Behaviour --------------------------------------------------------------------------------

TEST(robust_window, one_hundredfold_outlier_block_moves_the_rate_less_than_a_few_percent) {
  for (std::uint32_t seed = 0; seed < 20; ++seed) {
    const auto clean = copyeta::testing::noisy_rate(1e6, 1'000'000'000, 0.1, seed);
    robust_window a;
    robust_window b;
    amount extra = 0;
    for (std::size_t i = 0; i <= 200; ++i) {
      const sample& s = clean[i];
      if (i == 151) extra = 100'000'000;  // the second [150, 151) moved 100x its share
      a.add(s);
      b.add({s.t, s.done + extra, *s.total});
      if (i < 150) continue;
      const double ratio = *b.estimate(s.t).rate / *a.estimate(s.t).rate;
      EXPECT_NEAR(ratio, 1.0, 0.03) << "seed " << seed << " t " << s.t;
    }
  }
}

TEST(robust_window, a_stall_lowers_the_rate_widens_the_interval_and_then_leaves_the_rate) {
  robust_window m;
  double done = 0.0;
  steady(m, 0.0, 100.0, 1000.0, done, 1'000'000);
  const auto before = m.estimate(100.0);
  // Samples keep coming for 60 s without progress.
  for (double t = 101.0; t <= 160.0; t += 1.0) m.add({t, 101'000, 1'000'000});
  const auto during = m.estimate(160.0);
  EXPECT_EQ(before.state, state::ok);
  EXPECT_EQ(during.state, state::stalled);
  EXPECT_LT(*during.rate, 0.85 * *before.rate);
  EXPECT_GT(during.t + during.remaining, before.t + before.remaining);
  EXPECT_GE(during.hi - during.remaining, during.stalled_for);
  // Silence without samples lowers it further.
  const auto later = m.estimate(400.0);
  EXPECT_LT(*later.rate, *during.rate);
  EXPECT_TRUE(std::isfinite(later.hi));
  // Progress again: once over, the stall is an event, not the rate: 1000/s within a percent
  // (with the stall kept in, the run's average would be 121,000 / 181 = 669).
  done = 101'000.0;
  steady(m, 161.0, 181.0, 1000.0, done, 1'000'000);
  const auto after = m.estimate(181.0);
  EXPECT_EQ(after.state, state::ok);
  EXPECT_NEAR(*after.rate, 1000.0, 10.0);
}

TEST(robust_window, pauses_that_are_the_pattern_stay_in_the_rate) {
  // 20 s moving at 2000/s, 20 s still, over and over: 1000/s on average. No pause stands out,
  // so none leaves the rate.
  robust_window m;
  amount done = 0;
  for (int t = 0; t <= 400; ++t) {
    m.add({double(t), done, 10'000'000});
    if ((t / 20) % 2 == 0) done += 2000;
  }
  EXPECT_NEAR(*m.estimate(400.0).rate, 1000.0, 100.0);
}

TEST(robust_window, relative_interval_narrows_as_the_end_nears) {
  const auto samples = copyeta::testing::noisy_rate(1e6, 600'000'000, 0.2, 5);
  robust_window early;
  robust_window late;
  const auto a = copyeta::testing::run_until(early, samples, 0.2);
  const auto b = copyeta::testing::run_until(late, samples, 0.8);
  EXPECT_GT(a.hi - a.lo, b.hi - b.lo);
}

TEST(robust_window, interval_widens_with_rate_variation_and_with_the_level) {
  robust_window smooth;
  robust_window bursty;
  const auto a = copyeta::testing::run_until(smooth, copyeta::testing::noisy_rate(1e6, 300'000'000, 0.05, 1), 0.5);
  const auto b = copyeta::testing::run_until(bursty, copyeta::testing::noisy_rate(1e6, 300'000'000, 0.8, 1), 0.5);
  EXPECT_GT(std::log(b.hi / b.lo), 5.0 * std::log(a.hi / a.lo));
  copyeta::estimator_options wide;
  wide.level = 0.95;
  robust_window w(wide);
  const auto c = copyeta::testing::run_until(w, copyeta::testing::noisy_rate(1e6, 300'000'000, 0.05, 1), 0.5);
  EXPECT_DOUBLE_EQ(c.remaining, a.remaining);
  // z(0.95) / z(0.8) = 1.96 / 1.28
  EXPECT_NEAR(std::log(c.hi / c.lo) / std::log(a.hi / a.lo), 1.95996 / 1.28155, 1e-3);
}

TEST(robust_window, deterministic) {
  const auto samples = copyeta::testing::make_run(scenario::bursts, 3).samples;
  robust_window a;
  robust_window b;
  for (const auto& s : samples) {
    a.add(s);
    b.add(s);
    const auto ea = a.estimate(s.t);
    const auto eb = b.estimate(s.t);
    ASSERT_EQ(ea.remaining, eb.remaining);
    ASSERT_EQ(ea.lo, eb.lo);
    ASSERT_EQ(ea.hi, eb.hi);
  }
}

TEST(robust_window, long_runs_and_long_gaps_stay_in_the_fixed_blocks) {
  // A day at one sample a second, then a sample after a year: blocks keep doubling.
  robust_window m;
  for (int t = 0; t <= 86'400; t += 1) m.add({double(t), amount(t) * 1000, 1'000'000'000'000});
  EXPECT_NEAR(*m.estimate(86'400.0).rate, 1000.0, 1e-6);
  m.add({86'400.0 + 3.15e7, 86'401'000 + 3'150'000'000, 1'000'000'000'000});
  const auto e = m.estimate(86'400.0 + 3.15e7);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_TRUE(std::isfinite(e.hi));
  EXPECT_NEAR(*e.rate, 100.0, 5.0);  // the year moved a tenth as fast
}

// --- Regime shifts ----------------------------------------------------------------------------

TEST(robust_window, step_change_reports_a_fourfold_fall_at_half_way) {
  // Measured over the 200 seeds at 60% done: fraction 0.498..0.502, factor within 12.4%.
  for (std::uint32_t seed = 0; seed < 200; ++seed) {
    const auto r = copyeta::testing::make_run(scenario::step_change, seed);
    robust_window m;
    double t = 0.0;
    for (const auto& s : r.samples) {
      if (static_cast<double>(s.done) >= 0.6 * static_cast<double>(r.total)) break;
      m.add(s);
      t = s.t;
    }
    const auto e = m.estimate(t);
    ASSERT_TRUE(e.shift) << seed;
    EXPECT_NEAR(e.shift->fraction, 0.5, 0.05) << seed;
    EXPECT_NEAR(e.shift->factor, 0.25, 0.2 * 0.25) << seed;
    EXPECT_NEAR(e.shift->t, 150.0, 10.0) << seed;
  }
}

TEST(robust_window, steady_copies_report_no_shift) {
  // Measured: no shift in any of 200 runs (constant) and 2 of 200 (irregular_sampling).
  for (const scenario kind : {scenario::constant, scenario::irregular_sampling}) {
    int shifted = 0;
    for (std::uint32_t seed = 0; seed < 200; ++seed) {
      const auto r = copyeta::testing::make_run(kind, seed);
      robust_window m;
      for (const auto& s : r.samples) m.add(s);
      shifted += m.estimate(r.end).shift ? 1 : 0;
    }
    EXPECT_LE(shifted, 6) << copyeta::testing::to_string(kind);
  }
}

// --- Scenarios (metrics.md, 200 seeded runs each) ----------------------------------------------

void check(const copyeta::testing::scenario_bounds& b) {
  copyeta::testing::expect_within(b, [] { return std::make_unique<robust_window>(); });
}

// Measured values (median q-error / 80% coverage) are in the comments.
TEST(robust_window_scenarios, iid_noise_is_forecast_within_five_percent_and_honestly) {
  check({scenario::constant, 0.05, 0.05, 0.7, 0.9});            // 0.009 / 0.866
  check({scenario::irregular_sampling, 0.05, 0.05, 0.7, 0.9});  // 0.009 / 0.761
  // Before 30% the final total is not known yet (the scan grows it for a quarter of the run).
  check({scenario::changing_total, 0.3, 0.05, 0.7, 0.9});       // 0.009 / 0.865
}

TEST(robust_window_scenarios, after_a_step_the_new_rate_is_forecast) {
  // Scored after the shift (60%..95%): the new segment alone gives the rate.
  check({scenario::step_change, 0.6, 0.05, 0.7, 0.93});  // 0.006 / 0.890
}

TEST(robust_window_scenarios, rare_fast_seconds_limit_what_any_rate_can_do) {
  // 2% of seconds move 5x: 8% of the bytes arrive as a Poisson trickle of spikes, so the mean
  // rate over the next h seconds itself varies by about 0.53 / sqrt(h) (4.5% at h = 140 s),
  // and the rate estimate from the past as much again. Even the plain average since the start
  // (recent_weight 0) scores 0.053 here; 5% is not reachable. The spikes are real bytes, so
  // they are not dropped (the plain variance of block rates widens the interval for them).
  check({scenario::outliers, 0.05, 0.065, 0.7, 0.9});  // 0.056 / 0.751
}

TEST(robust_window_scenarios, what_the_process_does_not_allow) {
  // slow_drift: the rate falls linearly with progress to half; the future rate is lower than
  // any rate measured so far, so a level estimate is late by the decline still to come
  // (0.33 at the start, 0.08 near the end), and its interval, made for a steady rate, covers
  // about 1% of the time. A trend model would be needed; coverage is not asserted.
  check({scenario::slow_drift, 0.05, 0.26, 0.0, 1.0});  // 0.221 / 0.007
  // bursts: 10-s bursts at 2.5x with probability 0.4, else nothing. Knowing the true mean rate
  // exactly still gives a median q-error of 0.19: the bursts still to come are a coin toss.
  check({scenario::bursts, 0.05, 0.42, 0.65, 0.9});  // 0.377 / 0.756
  // stall: nothing before the 60-s stall at 40% foresees it, so estimates then are short by up
  // to 60 s and outside their interval; once over, the stall leaves the rate.
  check({scenario::stall, 0.05, 0.06, 0.55, 0.9});  // 0.040 / 0.636
}

}  // namespace
