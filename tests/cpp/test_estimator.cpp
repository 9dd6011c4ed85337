// The estimator base class: states, the input policy in the strict API, and the guarantees
// every model inherits (finite, non-negative, lo <= remaining <= hi).
#include <copyeta/detail/clamp.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/estimator.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

using copyeta::estimator_options;
using copyeta::sample;
using copyeta::state;

// A model with a known rate once it has seen two samples; counts what the base class calls.
class fixed_rate final : public copyeta::estimator {
 public:
  explicit fixed_rate(double rate, const estimator_options& options = {})
      : estimator(options), rate_(rate) {}
  std::string_view name() const noexcept override { return "fixed"; }

  int samples_seen = 0;
  int restarts_seen = 0;
  sample last_seen;

 protected:
  void on_sample(const sample& s) noexcept override {
    ++samples_seen;
    last_seen = s;
  }
  void on_restart() noexcept override {
    ++restarts_seen;
    samples_seen = 0;
  }
  std::optional<double> rate(double) const noexcept override {
    if (samples_seen < 2) return std::nullopt;
    return rate_;
  }

 private:
  double rate_;
};

// A broken model: its forecast is NaN-free but negative and infinite.
class wild_model final : public copyeta::estimator {
 public:
  wild_model() : estimator({}) {}
  std::string_view name() const noexcept override { return "wild"; }

 protected:
  void on_sample(const sample&) noexcept override {}
  void on_restart() noexcept override {}
  std::optional<double> rate(double) const noexcept override { return 1.0; }
  std::optional<forecast> predict(double, double) const noexcept override {
    return forecast{-5.0, -10.0, std::numeric_limits<double>::infinity()};
  }
};

TEST(estimator, warming_up_until_the_model_is_ready) {
  fixed_rate m(10.0);
  EXPECT_EQ(m.estimate(0.0).state, state::warming_up);
  m.add({0.0, 0, 1000});
  const auto e = m.estimate(0.0);
  EXPECT_EQ(e.state, state::warming_up);
  EXPECT_EQ(e.remaining, 0.0);
  EXPECT_EQ(e.total, 1000u);
}

TEST(estimator, ok_is_left_over_rate) {
  fixed_rate m(10.0);
  m.add({0.0, 0, 1000});
  m.add({1.0, 10, 1000});
  const auto e = m.estimate(1.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_DOUBLE_EQ(e.remaining, 99.0);
  EXPECT_DOUBLE_EQ(e.lo, 99.0);
  EXPECT_DOUBLE_EQ(e.hi, 99.0);
  EXPECT_EQ(e.rate, 10.0);
  EXPECT_EQ(e.level, 0.8);
}

TEST(estimator, unknown_total_keeps_the_rate) {
  fixed_rate m(10.0);
  m.add({0.0, 0, std::nullopt});
  m.add({1.0, 10, std::nullopt});
  const auto e = m.estimate(1.0);
  EXPECT_EQ(e.state, state::unknown_total);
  EXPECT_EQ(e.rate, 10.0);
  EXPECT_FALSE(e.has_remaining());
}

TEST(estimator, finished_when_done_reaches_or_passes_total) {
  for (copyeta::amount done : {1000u, 1500u}) {
    fixed_rate m(10.0);
    m.add({0.0, 0, 1000});
    m.add({1.0, done, 1000});
    const auto e = m.estimate(5.0);
    EXPECT_EQ(e.state, state::finished);
    EXPECT_EQ(e.remaining, 0.0);
    EXPECT_EQ(e.lo, 0.0);
    EXPECT_EQ(e.hi, 0.0);
  }
}

TEST(estimator, stalled_when_samples_show_no_progress) {
  fixed_rate m(10.0);
  m.add({0.0, 0, 1000});
  m.add({1.0, 10, 1000});
  for (double t = 2.0; t <= 15.0; t += 1.0) m.add({t, 10, 1000});
  EXPECT_EQ(m.estimate(15.0).state, state::ok);  // 14 s without progress, threshold 15 s
  EXPECT_EQ(m.estimate(15.0).stalled_for, 0.0);
  m.add({16.0, 10, 1000});
  EXPECT_EQ(m.estimate(16.0).state, state::stalled);
  EXPECT_EQ(m.estimate(16.0).stalled_for, 15.0);
  m.add({17.0, 20, 1000});
  EXPECT_EQ(m.estimate(17.0).state, state::ok);
}

TEST(estimator, stalled_when_no_sample_arrives) {
  fixed_rate m(10.0);
  m.add({0.0, 0, 1000});
  m.add({1.0, 10, 1000});
  EXPECT_EQ(m.estimate(10.0).state, state::ok);
  const auto e = m.estimate(100.0);
  EXPECT_EQ(e.state, state::stalled);
  EXPECT_EQ(e.t, 100.0);  // measured from now: never an ETA frozen in the past
  EXPECT_DOUBLE_EQ(e.remaining, 99.0);
}

TEST(estimator, a_tool_that_reports_rarely_is_not_stalled_between_reports) {
  fixed_rate m(1.0);
  for (int i = 0; i <= 5; ++i) m.add({60.0 * i, static_cast<copyeta::amount>(60 * i), 10000});
  EXPECT_EQ(m.estimate(300.0 + 200.0).state, state::ok);      // under 4 usual gaps
  EXPECT_EQ(m.estimate(300.0 + 250.0).state, state::stalled);  // beyond 4 gaps of 60 s
}

TEST(estimator, strict_add_throws_and_leaves_the_estimator_unchanged) {
  fixed_rate m(10.0);
  m.add({5.0, 50, 1000});
  EXPECT_THROW(m.add({4.0, 60, 1000}), copyeta::sample_error);
  EXPECT_THROW(m.add({std::nan(""), 60, 1000}), copyeta::sample_error);
  EXPECT_THROW(m.add({std::numeric_limits<double>::infinity(), 60, 1000}), copyeta::sample_error);
  EXPECT_EQ(m.samples_seen, 1);
  EXPECT_EQ(m.last()->t, 5.0);
}

TEST(estimator, try_add_reports_instead_of_throwing) {
  fixed_rate m(10.0);
  m.add({5.0, 50, 1000});
  const auto check = m.try_add({4.0, 60, 1000});
  EXPECT_EQ(check.reason, copyeta::reject_reason::time_backwards);
  EXPECT_EQ(m.samples_seen, 1);
}

TEST(estimator, repeated_timestamps_are_accepted) {
  fixed_rate m(10.0);
  m.add({5.0, 50, 1000});
  m.add({5.0, 60, 1000});
  EXPECT_EQ(m.samples_seen, 2);
  EXPECT_EQ(m.estimate(5.0).state, state::ok);
}

TEST(estimator, done_backwards_restarts_the_run) {
  fixed_rate m(10.0);
  m.add({0.0, 0, 1000});
  m.add({1.0, 500, 1000});
  m.add({2.0, 100, 1000});
  EXPECT_EQ(m.restarts(), 1u);
  EXPECT_EQ(m.restarts_seen, 1);
  EXPECT_EQ(m.samples_seen, 1);  // the model starts over from the restarting sample
  EXPECT_EQ(m.estimate(2.0).state, state::warming_up);
}

TEST(estimator, the_latest_total_wins_and_a_missing_total_keeps_the_last) {
  fixed_rate m(10.0);
  m.add({0.0, 0, 1000});
  m.add({1.0, 10, 2000});
  EXPECT_DOUBLE_EQ(m.estimate(1.0).remaining, 199.0);
  m.add({2.0, 20, std::nullopt});
  EXPECT_EQ(m.last_seen.total, 2000u);
  EXPECT_DOUBLE_EQ(m.estimate(2.0).remaining, 198.0);
}

TEST(estimator, amounts_up_to_two_to_the_64_are_exact) {
  const copyeta::amount max = std::numeric_limits<copyeta::amount>::max();
  fixed_rate m(1e18);
  m.add({0.0, max - 4'000'000'000'000'000'000u, max});
  m.add({1.0, max - 2'000'000'000'000'000'000u, max});
  const auto e = m.estimate(1.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_DOUBLE_EQ(e.remaining, 2.0);
  EXPECT_DOUBLE_EQ(*e.fraction(), static_cast<double>(max - 2'000'000'000'000'000'000u) /
                                      static_cast<double>(max));
}

TEST(estimator, now_before_the_last_sample_is_the_last_sample) {
  fixed_rate m(10.0);
  m.add({0.0, 0, 1000});
  m.add({10.0, 100, 1000});
  EXPECT_EQ(m.estimate(3.0).t, 10.0);
  EXPECT_THROW(m.estimate(std::nan("")), copyeta::options_error);
  EXPECT_THROW(m.estimate(1e300), copyeta::options_error);  // beyond ±2^53 s
}

TEST(estimator, whatever_a_model_returns_the_estimate_is_valid) {
  wild_model m;
  m.add({0.0, 0, 1000});
  const auto e = m.estimate(0.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_EQ(e.remaining, 0.0);
  EXPECT_EQ(e.lo, 0.0);
  EXPECT_EQ(e.hi, copyeta::detail::max_seconds);
}

TEST(estimator, reset_forgets_everything) {
  fixed_rate m(10.0);
  m.add({0.0, 0, 1000});
  m.add({1.0, 10, 1000});
  m.reset();
  EXPECT_FALSE(m.last().has_value());
  EXPECT_EQ(m.estimate(1.0).state, state::warming_up);
  m.add({0.5, 0, 1000});  // earlier times are fine after a reset
  EXPECT_EQ(m.last()->t, 0.5);
}

TEST(estimator_options, validation_names_the_field) {
  EXPECT_NO_THROW(estimator_options{}.validate());
  estimator_options o;
  o.level = 1.5;
  EXPECT_THROW(o.validate(), copyeta::options_error);
  o = {};
  o.stall_after = 0.0;
  try {
    o.validate();
    FAIL();
  } catch (const copyeta::options_error& e) {
    EXPECT_NE(std::string(e.what()).find("stall_after = 0"), std::string::npos) << e.what();
  }
  o = {};
  o.stall_gaps = 0.5;
  EXPECT_THROW(fixed_rate(1.0, o), copyeta::options_error);
}

}  // namespace
