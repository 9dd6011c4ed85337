#include "scenarios.hpp"
#include "synthetic.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/models/drift_diffusion.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using copyeta::amount;
using copyeta::sample;
using copyeta::state;
using copyeta::models::drift_diffusion;
using copyeta::models::drift_diffusion_options;
using copyeta::testing::scenario;

// The p-quantile of the uncertain-drift passage time by Simpson integration of its density on
// log t and bisection: independent of detail/first_passage.hpp's closed-form CDF and Newton.
double integrated_quantile(double w, double m, double v, double s2, double p) {
  const double pi = 3.14159265358979323846;
  const auto cdf = [&](double t) {
    const double u0 = std::log(t) - 20.0;
    const double u1 = std::log(t);
    const int n = 4000;
    const double h = (u1 - u0) / n;
    double sum = 0.0;
    for (int i = 0; i <= n; ++i) {
      const double x = std::exp(u0 + h * i);
      const double d = x * (v + s2 * x);
      const double f = w / std::sqrt(2.0 * pi * x * x * d) *
                       std::exp(-(w - m * x) * (w - m * x) / (2.0 * d)) * x;
      sum += f * (i == 0 || i == n ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0));
    }
    return sum * h / 3.0;
  };
  double lo = 0.5 * w / m;
  double hi = 2.0 * w / m;
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    (cdf(mid) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

TEST(drift_diffusion, constant_rate_gives_the_exact_median) {
  drift_diffusion m;
  const auto e = copyeta::testing::run_until(m, copyeta::testing::constant_rate(1e6, 1'000'000'000), 0.3);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_NEAR(e.remaining, 700.0, 1e-6);
  EXPECT_LE(e.lo, e.remaining);
  EXPECT_GE(e.hi, e.remaining);
  EXPECT_NEAR(e.hi - e.lo, 0.0, 1e-3);  // no noise at all: nothing to be unsure about
  EXPECT_NEAR(*e.rate, 1e6, 1e-3);
}

TEST(drift_diffusion, known_answer_from_alternating_blocks) {
  // 5-s blocks alternate between 0.8 and 1.2 MB/s: drift 1 MB/s, every block 1 MB off it. With
  // (practically) no forgetting, after 20 blocks the quadratic variation is 20e12 over
  // sum dt - sum dt^2 / sum dt = 95 s, widened by the t correction for 19 degrees of freedom,
  // and the drift variance is that over the 100 s observed.
  drift_diffusion_options o;
  o.min_memory = 1e12;
  o.max_blocks = 1e9;
  drift_diffusion m({}, o);
  const amount total = 300'000'000;
  amount done = 0;
  for (int t = 0; t <= 100; ++t) {
    m.add({double(t), done, total});
    done += (t / 5) % 2 == 0 ? 800'000 : 1'200'000;
  }
  const auto f = m.fit_at(100.0);
  ASSERT_TRUE(f);
  const double z = 1.2815515655446004;  // level 0.8
  const double widen = 1.0 + (z * z + 1.0) / (4.0 * 19.0);
  const double diffusion = 20e12 / 95.0 * widen * widen;
  EXPECT_NEAR(f->drift / 1e6, 1.0, 1e-9);
  EXPECT_NEAR(f->diffusion / diffusion, 1.0, 1e-6);
  EXPECT_NEAR(f->drift_variance / (diffusion / 100.0), 1.0, 1e-6);

  const auto e = m.estimate(100.0);
  EXPECT_EQ(e.state, state::ok);
  const double left = 200e6;
  const double v = f->diffusion;
  const double s2 = f->drift_variance;
  EXPECT_NEAR(e.remaining / integrated_quantile(left, 1e6, v, s2, 0.5), 1.0, 1e-6);
  EXPECT_NEAR(e.lo / integrated_quantile(left, 1e6, v, s2, 0.1), 1.0, 1e-6);
  EXPECT_NEAR(e.hi / integrated_quantile(left, 1e6, v, s2, 0.9), 1.0, 1e-6);
  // About 200 s, with the drift uncertainty (sd 1.1%) dominating the spread.
  EXPECT_NEAR(e.remaining, 200.0, 0.5);
  EXPECT_GT(e.hi - e.remaining, e.remaining - e.lo);  // skewed right
}

TEST(drift_diffusion, an_estimate_as_soon_as_there_is_a_rate) {
  drift_diffusion m;
  m.add({0.0, 0, 1000});
  EXPECT_EQ(m.estimate(0.0).state, state::warming_up);
  m.add({1.0, 0, 1000});
  EXPECT_EQ(m.estimate(1.0).state, state::warming_up);  // no progress yet
  m.add({2.0, 10, 1000});
  // One block: nothing is known of the noise. The median is the rate seen's, 990 / (10 / 2 s);
  // the prior makes the rate uncertain by a log-normal factor of log-variance
  // log(1 + prior_diffusion / 2 s), and that alone sets the interval.
  const auto first = m.estimate(2.0);
  EXPECT_EQ(first.state, state::ok);
  EXPECT_NEAR(*first.rate, 5.0, 1e-12);
  EXPECT_NEAR(first.remaining, 198.0, 1e-6);
  const auto f = m.fit_at(2.0);
  ASSERT_TRUE(f);
  const double v = std::log1p(drift_diffusion_options{}.prior_diffusion / 2.0);
  EXPECT_NEAR(f->rate_log_variance / v, 1.0, 1e-9);
  const double z = 1.2815515655446004;  // level 0.8
  EXPECT_NEAR(first.lo / (198.0 * std::exp(-z * std::sqrt(v))), 1.0, 1e-6);
  EXPECT_NEAR(first.hi / (198.0 * std::exp(z * std::sqrt(v))), 1.0, 1e-6);
  for (int t = 3; t <= 10; ++t) m.add({double(t), amount(t) * 5, 1000});
  const auto e = m.estimate(10.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_TRUE(e.rate.has_value());
  EXPECT_LT(e.hi / e.lo, first.hi / first.lo);
}

TEST(drift_diffusion, the_prior_gives_way_to_the_blocks) {
  // A noisy copy sampled every second: the prior's rate factor is all there is while one block
  // stands behind the fit, shrinks as blocks come, and is gone from prior_blocks + 1 blocks on.
  const auto samples = copyeta::testing::noisy_rate(1e6, 1'000'000'000, 0.3, 2);
  const drift_diffusion_options o;
  drift_diffusion m;
  std::vector<double> widths;  // log(hi / lo) at 1, 10 and 60 s
  for (std::size_t i = 0; i <= 60; ++i) {
    m.add(samples[i]);
    if (i == 0) continue;
    const double now = samples[i].t;
    const auto e = m.estimate(now);
    ASSERT_EQ(e.state, state::ok) << now;
    EXPECT_LT(e.lo, e.remaining) << now;
    EXPECT_LT(e.remaining, e.hi) << now;
    const auto f = m.fit_at(now);
    ASSERT_TRUE(f) << now;
    if (now <= 5.0)  // one block
      EXPECT_NEAR(f->rate_log_variance / std::log1p(o.prior_diffusion / now), 1.0, 1e-9) << now;
    if (i == 1 || i == 10 || i == 60) widths.push_back(std::log(e.hi / e.lo));
  }
  ASSERT_EQ(widths.size(), 3u);
  EXPECT_GT(widths[0], 2.0);  // 1 s seen: the rate may be off by a factor of 2.9 either way
  EXPECT_LT(widths[1], 0.5 * widths[0]);
  EXPECT_LT(widths[2], 0.5 * widths[1]);
  // 60 s of 5-s blocks: the prior is gone.
  const auto f = m.fit_at(60.0);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->rate_log_variance, 0.0);
}

TEST(drift_diffusion, the_prior_widens_the_interval_and_leaves_the_median) {
  drift_diffusion_options wide;
  wide.prior_diffusion = 4.0;
  drift_diffusion a;
  drift_diffusion b({}, wide);
  const auto samples = copyeta::testing::noisy_rate(1000.0, 1'000'000, 0.3, 4);
  for (std::size_t i = 0; i <= 40; ++i) {
    a.add(samples[i]);
    b.add(samples[i]);
    if (i == 0) continue;
    const auto ea = a.estimate(samples[i].t);
    const auto eb = b.estimate(samples[i].t);
    EXPECT_DOUBLE_EQ(ea.remaining, eb.remaining) << i;
    EXPECT_LE(eb.lo, ea.lo) << i;
    EXPECT_GE(eb.hi, ea.hi) << i;
    if (i < 10) {
      EXPECT_LT(eb.lo, ea.lo) << i;
      EXPECT_GT(eb.hi, ea.hi) << i;
    }
  }
}

TEST(drift_diffusion, early_estimates_are_unchanged_by_time_origin_and_amount_scale) {
  const auto samples = copyeta::testing::noisy_rate(1000.0, 1'000'000, 0.3, 3);
  drift_diffusion a;
  drift_diffusion shifted;
  drift_diffusion scaled;
  for (std::size_t i = 0; i <= 12; ++i) {
    const auto& s = samples[i];
    a.add(s);
    shifted.add({s.t + 1e6, s.done, s.total});
    scaled.add({s.t, s.done * 1'000'000, *s.total * 1'000'000});
    if (i == 0) continue;
    const auto ea = a.estimate(s.t);
    const auto es = shifted.estimate(s.t + 1e6);
    const auto ek = scaled.estimate(s.t);
    ASSERT_EQ(ea.state, state::ok) << s.t;
    EXPECT_NEAR(es.remaining / ea.remaining, 1.0, 1e-9) << s.t;
    EXPECT_NEAR(es.lo / ea.lo, 1.0, 1e-9) << s.t;
    EXPECT_NEAR(es.hi / ea.hi, 1.0, 1e-9) << s.t;
    EXPECT_NEAR(ek.remaining / ea.remaining, 1.0, 1e-9) << s.t;
    EXPECT_NEAR(ek.lo / ea.lo, 1.0, 1e-9) << s.t;
    EXPECT_NEAR(ek.hi / ea.hi, 1.0, 1e-9) << s.t;
  }
}

TEST(drift_diffusion, relative_interval_narrows_as_the_end_nears) {
  const auto samples = copyeta::testing::noisy_rate(1e6, 500'000'000, 0.3, 4);
  drift_diffusion early;
  drift_diffusion late;
  const auto a = copyeta::testing::run_until(early, samples, 0.1);
  const auto b = copyeta::testing::run_until(late, samples, 0.8);
  EXPECT_GT(a.hi / a.remaining, b.hi / b.remaining);
  EXPECT_GT(a.remaining / a.lo, b.remaining / b.lo);
}

TEST(drift_diffusion, restart_starts_a_new_run) {
  drift_diffusion m;
  for (int t = 0; t <= 30; ++t) m.add({double(t), amount(t) * 100, 100000});
  m.add({31.0, 50, 100000});
  EXPECT_EQ(m.restarts(), 1u);
  EXPECT_EQ(m.estimate(31.0).state, state::warming_up);
  for (int t = 32; t <= 50; ++t) m.add({double(t), 50 + amount(t - 31) * 200, 100000});
  const auto e = m.estimate(50.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_NEAR(*e.rate, 200.0, 1e-9);
  EXPECT_NEAR(e.remaining, (100000.0 - 50.0 - 19.0 * 200.0) / 200.0, 1e-6);
}

TEST(drift_diffusion, a_stall_moves_the_finish_later_and_widens_the_interval) {
  drift_diffusion m;
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0.0, 0.2);
  double done = 0.0;
  for (int t = 0; t <= 100; ++t) {
    m.add({double(t), amount(done), 1'000'000});
    done += 1000.0 * std::exp(noise(rng));
  }
  const auto before = m.estimate(100.0);
  for (int t = 101; t <= 160; ++t) m.add({double(t), amount(done), 1'000'000});
  const auto during = m.estimate(160.0);
  EXPECT_EQ(before.state, state::ok);
  EXPECT_EQ(during.state, state::stalled);
  EXPECT_NEAR(during.stalled_for, 60.0, 1.5);
  EXPECT_GT(during.t + during.remaining, before.t + before.remaining);
  EXPECT_GT(during.hi - during.remaining, before.hi - before.remaining + 55.0);
  EXPECT_TRUE(std::isfinite(during.hi));
}

TEST(drift_diffusion, silence_counts_as_no_progress) {
  drift_diffusion m;
  const auto samples = copyeta::testing::noisy_rate(1e6, 1'000'000'000, 0.2, 9);
  for (std::size_t i = 0; i <= 100; ++i) m.add(samples[i]);
  const auto now = m.estimate(100.0);
  const auto later = m.estimate(200.0);  // no sample for 100 s
  EXPECT_LT(*later.rate, *now.rate * 0.8);
  EXPECT_GT(later.t + later.remaining, now.t + now.remaining + 50.0);
  // A short gap, within twice the usual spacing, changes neither the rate nor the forecast.
  EXPECT_DOUBLE_EQ(*m.estimate(101.5).rate, *now.rate);
  EXPECT_DOUBLE_EQ(m.estimate(101.5).remaining, now.remaining);
}

TEST(drift_diffusion, a_lasting_rate_change_starts_a_new_regime) {
  drift_diffusion m;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0.0, 0.1);
  double done = 0.0;
  for (int t = 0; t <= 240; ++t) {
    m.add({double(t), amount(done), 1'000'000'000});
    done += (t < 200 ? 1e6 : 0.25e6) * std::exp(noise(rng));
  }
  // 40 s after a 4x drop the old rate no longer counts.
  EXPECT_NEAR(*m.estimate(240.0).rate / 0.25e6, 1.0, 0.05);
  // Without the change detection, forgetting alone would still be far off.
  drift_diffusion_options o;
  o.change_z = 1e9;
  drift_diffusion slow({}, o);
  rng.seed(3);
  done = 0.0;
  for (int t = 0; t <= 240; ++t) {
    slow.add({double(t), amount(done), 1'000'000'000});
    done += (t < 200 ? 1e6 : 0.25e6) * std::exp(noise(rng));
  }
  EXPECT_GT(*slow.estimate(240.0).rate / 0.25e6, 2.0);
}

TEST(drift_diffusion, multi_day_copy_at_gigabytes_per_second_stays_finite_and_ordered) {
  // 1 PB at 1 GB/s with 30% noise on every 10-s report: 11.6 days.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(0.0, 0.3);
  const amount total = 1'000'000'000'000'000;
  drift_diffusion m;
  double done = 0.0;
  for (double t = 0.0; done < 0.9 * 1e15; t += 10.0) {
    m.add({t, amount(done), total});
    if (std::fmod(t, 1e5) == 0.0 && t > 0.0) {
      const auto e = m.estimate(t);
      ASSERT_EQ(e.state, state::ok) << t;
      EXPECT_TRUE(std::isfinite(e.lo) && std::isfinite(e.hi)) << t;
      EXPECT_LT(e.lo, e.remaining) << t;
      EXPECT_LT(e.remaining, e.hi) << t;
      EXPECT_NEAR(e.remaining / ((1e15 - done) / 1e9), 1.0, 0.02) << t;
    }
    done += 1e10 * std::exp(noise(rng) - 0.045);
  }
}

TEST(drift_diffusion_options, validation) {
  const auto rejects = [](drift_diffusion_options o, const std::string& field) {
    try {
      drift_diffusion m({}, o);
    } catch (const copyeta::options_error& e) {
      EXPECT_NE(std::string(e.what()).find("[copyeta.options] " + field + " = "),
                std::string::npos)
          << e.what();
      return;
    }
    ADD_FAILURE() << field << " was accepted";
  };
  drift_diffusion_options o;
  EXPECT_NO_THROW(o.validate());
  o.block_seconds = 0.0;
  rejects(o, "block_seconds");
  o = {};
  o.max_blocks = 1.0;
  rejects(o, "max_blocks");
  o = {};
  o.min_memory = -1.0;
  rejects(o, "min_memory");
  o = {};
  o.memory_share = std::nan("");
  rejects(o, "memory_share");
  o = {};
  o.change_z = 0.0;
  rejects(o, "change_z");
  o = {};
  o.min_regime = -5.0;
  rejects(o, "min_regime");
  o = {};
  o.min_coarse_blocks = 1.0;
  rejects(o, "min_coarse_blocks");
  o = {};
  o.prior_diffusion = 0.0;
  rejects(o, "prior_diffusion");
  o = {};
  o.prior_blocks = std::numeric_limits<double>::infinity();
  rejects(o, "prior_blocks");
  EXPECT_THROW(drift_diffusion(copyeta::estimator_options{1.5}), copyeta::options_error);
}

// Over 200 seeded runs per scenario (scenarios.hpp, metrics.md).
void check(const copyeta::testing::scenario_bounds& b) {
  copyeta::testing::expect_within(b, [] { return std::make_unique<drift_diffusion>(); });
}

// The model's own assumptions (independent increments around a constant drift) hold in these
// four, so it must be accurate and calibrated.
TEST(drift_diffusion_scenarios, constant) {
  check({scenario::constant, 0.05, 0.02, 0.75, 0.87});  // 0.009 / 0.81
}

TEST(drift_diffusion_scenarios, irregular_sampling) {
  // 0.009 / 0.85: a 30-s silence is one long block, which counts for few, so the prior is back
  // for a while.
  check({scenario::irregular_sampling, 0.05, 0.02, 0.75, 0.87});
}

TEST(drift_diffusion_scenarios, changing_total) {
  check({scenario::changing_total, 0.3, 0.02, 0.75, 0.87});  // 0.009 / 0.82
}

TEST(drift_diffusion_scenarios, outliers) {
  // Measured 0.054, coverage 0.75. Not 0.05: the mean rate includes the 5x seconds, and their
  // frequency (2%) can only be learned by counting them, about six by mid-run, so the drift
  // itself is ~4% uncertain there. A forecaster told the true mean and variance scores 0.027;
  // one averaging the whole run without any forgetting still scores 0.051.
  check({scenario::outliers, 0.05, 0.065, 0.7, 0.9});
}

// Processes that break the model's assumptions, with the bounds this model reaches.
TEST(drift_diffusion_scenarios, step_change) {
  // Measured 0.017, coverage 0.70. The 4x drop at half the bytes cannot be foreseen, so every
  // forecast before it (a fifth of the scored samples) is off by up to 1.4 and outside its
  // interval; after it the change test starts a new regime within about 20 s.
  check({scenario::step_change, 0.05, 0.03, 0.6, 1.0});
}

TEST(drift_diffusion_scenarios, slow_drift) {
  // Measured 0.225, coverage 0.01. The rate keeps falling (to half by the end) while the model
  // forecasts with the drift it has seen, which is always faster than the drift to come; the
  // change test cuts the run now and then, which keeps the error from growing further. The
  // interval is about noise around a constant drift, so it misses nearly always.
  check({scenario::slow_drift, 0.05, 0.27, 0.0, 1.0});
}

TEST(drift_diffusion_scenarios, bursts) {
  // Measured 0.352, coverage 0.74. 10-s blocks at 2.5x or nothing: even a forecaster told the
  // true mean and variance scores 0.20 (the number of bursts to come is a coin flip per block),
  // and early on a handful of blocks fixes neither. The coarser scales catch most of the
  // variance that 5-s blocks miss.
  check({scenario::bursts, 0.05, 0.42, 0.65, 0.9});
}

TEST(drift_diffusion_scenarios, stall) {
  // Measured 0.236, coverage 0.41. Nothing announces the 60-s stall at 40%, so the forecasts
  // before it are short by about a minute of three or four; during it the rate decays only as
  // fast as the forgetting allows, and afterwards the stall stays in the fit as noise (a burst
  // pattern looks the same), so the forecast stays long until the end.
  check({scenario::stall, 0.05, 0.28, 0.33, 1.0});
}

}  // namespace
