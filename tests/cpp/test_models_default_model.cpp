#include "scenarios.hpp"
#include "synthetic.hpp"

#include <copyeta/calibration.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/models/default_model.hpp>
#include <copyeta/models/robust_window.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

namespace {

using copyeta::calibration;
using copyeta::models::default_model;
using copyeta::state;

// A calibration that has learned nothing, with the given weights.
calibration with_weights(double a, double b, double c) {
  std::string text = calibration{}.to_json();
  const auto from = text.find("\"weights\": [");
  const auto to = text.find(']', from);
  text.replace(from, to - from + 1, fmt::format("\"weights\": [{}, {}, {}]", a, b, c));
  return calibration::from_json(text);
}

TEST(default_model, constant_rate_gives_the_exact_median_before_any_calibration) {
  // Every component is exact on a constant rate, and an empty calibration moves nothing.
  default_model m({}, calibration{});
  const auto e = copyeta::testing::run_until(m, copyeta::testing::constant_rate(1e6, 1'000'000'000), 0.3);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_NEAR(e.remaining, 700.0, 700.0 * 1e-9);
  EXPECT_LT(e.lo, e.remaining);
  EXPECT_GT(e.hi, e.remaining);
  EXPECT_NEAR(*e.rate, 1e6, 1e-3);
}

TEST(default_model, the_shipped_calibration_keeps_a_steady_copy_close) {
  default_model m;
  const auto e = copyeta::testing::run_until(m, copyeta::testing::constant_rate(1e6, 1'000'000'000), 0.3);
  EXPECT_NEAR(e.remaining, 700.0, 700.0 * 0.2);
  EXPECT_LE(e.lo, 700.0);
  EXPECT_GE(e.hi, 700.0);
}

TEST(default_model, weights_choose_the_components) {
  // All weight on the window: the ensemble's median is the window member's own.
  const auto samples = copyeta::testing::noisy_rate(1e6, 500'000'000, 0.4, 3);
  default_model m({}, with_weights(1, 0, 0));
  copyeta::models::robust_window window({}, copyeta::detail::ensemble_members::window_options());
  const auto a = copyeta::testing::run_until(m, samples, 0.4);
  const auto b = copyeta::testing::run_until(window, samples, 0.4);
  EXPECT_NEAR(a.remaining, b.remaining, b.remaining * 1e-12);
  // Different weights, a different answer.
  default_model other({}, with_weights(0, 1, 0));
  EXPECT_NE(copyeta::testing::run_until(other, samples, 0.4).remaining, a.remaining);
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

TEST(default_model, a_higher_level_gives_a_wider_interval) {
  const auto samples = copyeta::testing::noisy_rate(1e6, 500'000'000, 0.3, 5);
  default_model eighty({0.8});
  default_model ninety_five({0.95});
  const auto a = copyeta::testing::run_until(eighty, samples, 0.5);
  const auto b = copyeta::testing::run_until(ninety_five, samples, 0.5);
  EXPECT_DOUBLE_EQ(a.remaining, b.remaining);
  EXPECT_LT(b.lo, a.lo);
  EXPECT_GT(b.hi, a.hi);
}

TEST(default_model, a_stall_moves_the_finish_later_and_widens_the_interval) {
  default_model m;
  for (int t = 0; t <= 100; ++t) m.add({double(t), copyeta::amount(t) * 1000, 1'000'000});
  const auto before = m.estimate(100.0);
  const auto during = m.estimate(400.0);
  const auto longer = m.estimate(1000.0);
  EXPECT_EQ(before.state, state::ok);
  EXPECT_EQ(during.state, state::stalled);
  EXPECT_NEAR(during.stalled_for, 300.0, 1e-9);
  // Never an ETA frozen in the past: the predicted finish moves out as the stall goes on.
  EXPECT_GT(during.t + during.remaining, before.t + before.remaining);
  EXPECT_GT(longer.t + longer.remaining, during.t + during.remaining);
  EXPECT_GT(during.hi - during.remaining, before.hi - before.remaining);
  EXPECT_GT(longer.hi - longer.remaining, during.hi - during.remaining);
  EXPECT_TRUE(std::isfinite(longer.hi));
  EXPECT_GT(longer.remaining, 1.0);
}

TEST(default_model, restart_starts_a_new_run) {
  // After done goes backwards, the model answers exactly as one that saw only the new run.
  default_model m({}, calibration{});
  default_model fresh({}, calibration{});
  for (int t = 0; t <= 10; ++t) m.add({double(t), copyeta::amount(t) * 100, 10000});
  m.add({11.0, 50, 10000});
  fresh.add({11.0, 50, 10000});
  EXPECT_EQ(m.estimate(11.0).state, state::warming_up);
  EXPECT_EQ(m.restarts(), 1u);
  for (int t = 12; t <= 20; ++t) {
    const copyeta::sample s{double(t), copyeta::amount(t - 11) * 200 + 50, 10000};
    m.add(s);
    fresh.add(s);
    const auto a = m.estimate(t);
    const auto b = fresh.estimate(t);
    EXPECT_EQ(a.state, state::ok);
    EXPECT_DOUBLE_EQ(a.remaining, b.remaining) << t;
    EXPECT_DOUBLE_EQ(a.hi, b.hi) << t;
  }
  EXPECT_NEAR(m.estimate(20.0).remaining, (10000.0 - 1850.0) / 200.0, 0.01 * 40.75);
}

TEST(default_model, reports_a_regime_shift) {
  // The rate falls 4x at half way ("rate fell 4x at 50%").
  const auto run = copyeta::testing::make_run(copyeta::testing::scenario::step_change, 11);
  default_model m;
  for (const auto& s : run.samples) m.add(s);
  const auto e = m.estimate(run.samples[run.samples.size() - 2].t);
  ASSERT_TRUE(e.shift);
  EXPECT_NEAR(e.shift->factor, 0.25, 0.05);
  EXPECT_NEAR(e.shift->fraction, 0.5, 0.02);
}

}  // namespace

namespace {

using copyeta::testing::scenario;

struct known_answer {
  scenario kind;
  double from_fraction;  // q-error scored from here: what came before a change is not foreseeable
  double max_q_error;
  double coverage_from;  // coverage scored from here
  double min_coverage;
  double max_coverage;
};

// Calibrated on 100 runs of a scenario, scored on 200 other runs (seeds 0..199): the
// conformal step must turn the components' raw intervals into 80% intervals that hold about
// 80% of the time, whatever the components' own honesty on that kind of copy.
class default_model_calibrated : public ::testing::TestWithParam<known_answer> {};

void PrintTo(const known_answer& k, std::ostream* os) { *os << copyeta::testing::to_string(k.kind); }

TEST_P(default_model_calibrated, median_within_reach_and_eighty_percent_coverage) {
  const known_answer k = GetParam();
  std::vector<copyeta::scoring_trace> training;
  for (std::uint32_t seed = 1000; seed < 1100; ++seed) {
    auto run = copyeta::testing::make_run(k.kind, seed);
    training.push_back({"synthetic", copyeta::end_kind::real_end, run.end, std::move(run.samples)});
  }
  const calibration calibrated = calibration::fit(training);
  const auto make = [&] {
    return std::make_unique<default_model>(copyeta::estimator_options{}, calibrated);
  };
  const auto score = copyeta::testing::score_scenario(k.kind, make, 200, k.from_fraction);
  EXPECT_EQ(score.availability, 1.0);
  EXPECT_LE(score.median_q_error, k.max_q_error);
  const auto covered = k.coverage_from == k.from_fraction
                           ? score
                           : copyeta::testing::score_scenario(k.kind, make, 200, k.coverage_from);
  // The measured figures, for `ctest -V` and the XML report.
  std::printf("%s: median q-error %.4f, 80%% coverage %.3f, weights %.1f/%.1f/%.1f\n",
              std::string(copyeta::testing::to_string(k.kind)).c_str(), score.median_q_error,
              covered.coverage, calibrated.weights()[0], calibrated.weights()[1],
              calibrated.weights()[2]);
  RecordProperty("median_q_error", std::to_string(score.median_q_error));
  RecordProperty("coverage", std::to_string(covered.coverage));
  EXPECT_GE(covered.coverage, k.min_coverage);
  EXPECT_LE(covered.coverage, k.max_coverage);
}

INSTANTIATE_TEST_SUITE_P(
    scenarios, default_model_calibrated,
    ::testing::Values(
        known_answer{scenario::constant, 0.05, 0.05, 0.05, 0.7, 0.9},
        // Forecasts before the 4x fall cannot know of it: the median is held to 5% after it,
        // the interval over the whole run (after the fall alone it is wider than it needs to be,
        // as the calibration learned the misses before it).
        known_answer{scenario::step_change, 0.6, 0.05, 0.05, 0.7, 0.9},
        known_answer{scenario::slow_drift, 0.05, 0.05, 0.05, 0.7, 0.9},
        // Whether the next 10-s block moves or not is a coin toss: even the true mean rate is
        // about 20% off at the median, so only the coverage is held to 80%.
        known_answer{scenario::bursts, 0.05, 0.45, 0.05, 0.7, 0.9},
        known_answer{scenario::stall, 0.05, 0.05, 0.05, 0.7, 0.9},
        known_answer{scenario::outliers, 0.05, 0.05, 0.05, 0.7, 0.9},
        // Scored once the scan has found the whole total (25% of the time, about 30% done).
        known_answer{scenario::changing_total, 0.3, 0.05, 0.3, 0.7, 0.9},
        known_answer{scenario::irregular_sampling, 0.05, 0.05, 0.05, 0.7, 0.9}),
    [](const auto& info) { return std::string(copyeta::testing::to_string(info.param.kind)); });

}  // namespace
