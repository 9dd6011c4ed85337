#include <copyeta/detail/page_hinkley.hpp>
#include <copyeta/errors.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>

namespace {

using copyeta::detail::page_hinkley;
using copyeta::detail::page_hinkley_alarm;
using copyeta::detail::page_hinkley_options;

// Raw log block rates with log-sd 0.1: the model's defaults (delta 0.5 sd, threshold 10 sd,
// clip 3 sd) written in this unit.
constexpr double sd = 0.1;
const page_hinkley_options raw{0.5 * sd, 10.0 * sd, 3.0 * sd};

// Log rates of `n` blocks: noise with log-sd 0.1 around 0, plus `step` from block `at` on.
// Returns the alarm and the block it came at (n when there was none).
struct outcome {
  std::optional<page_hinkley_alarm> alarm;
  int at = 0;
};
outcome run(std::uint32_t seed, int n, int at, double step, const page_hinkley_options& o = raw) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, sd);
  page_hinkley ph(o);
  for (int i = 0; i < n; ++i) {
    const double x = noise(rng) + (i >= at ? step : 0.0);
    // The tag of block i is its end time, i + 1 (one-second blocks starting at 0).
    if (auto alarm = ph.update(x, i + 1.0)) return {alarm, i};
  }
  return {std::nullopt, n};
}

TEST(page_hinkley, a_fourfold_fall_is_found_within_a_few_blocks_and_placed) {
  // log(1/4) = -1.39, 14 sds: every value after it adds clip - delta = 2.5 sds to the fall.
  int exact = 0;
  int close = 0;
  for (std::uint32_t seed = 0; seed < 200; ++seed) {
    const auto o = run(seed, 300, 150, std::log(0.25));
    ASSERT_TRUE(o.alarm) << seed;
    EXPECT_EQ(o.alarm->direction, -1) << seed;
    EXPECT_GE(o.at, 150) << seed;
    EXPECT_LE(o.at, 155) << seed;  // measured: 2 to 4 blocks after the change
    EXPECT_EQ(o.alarm->values, static_cast<std::uint64_t>(o.at + 1 - o.alarm->since)) << seed;
    // The change began after block 149, whose tag is 150. Where the cumulative sum turned is
    // never later, often exact, and sometimes early, when the last blocks before the change
    // happened to be low (measured: 113 exact, 193 within 10 blocks). robust_window refines it.
    EXPECT_LE(o.alarm->since, 150.0) << seed;
    exact += o.alarm->since == 150.0 ? 1 : 0;
    close += o.alarm->since >= 140.0 ? 1 : 0;
  }
  EXPECT_GE(exact, 100);
  EXPECT_GE(close, 185);
}

TEST(page_hinkley, a_rise_is_found_too) {
  const auto o = run(3, 300, 100, std::log(2.0));
  ASSERT_TRUE(o.alarm);
  EXPECT_EQ(o.alarm->direction, +1);
  EXPECT_LE(o.at, 110);
  EXPECT_NEAR(o.alarm->since, 100.0, 2.0);
}

TEST(page_hinkley, rare_false_alarms_on_stationary_noise) {
  int alarms = 0;
  for (std::uint32_t seed = 0; seed < 200; ++seed) alarms += run(1000 + seed, 300, 300, 0.0).alarm ? 1 : 0;
  // Measured 0 of 200; an ARL far beyond 300 blocks. 5% would be 10.
  EXPECT_LE(alarms, 4);
}

TEST(page_hinkley, a_lower_threshold_alarms_more_often) {
  // The same noise with threshold 3 sds instead of 10: the test can fail, and the knob works.
  const page_hinkley_options loose{0.5 * sd, 3.0 * sd, 3.0 * sd};
  int alarms = 0;
  for (std::uint32_t seed = 0; seed < 200; ++seed)
    alarms += run(1000 + seed, 300, 300, 0.0, loose).alarm ? 1 : 0;
  EXPECT_GT(alarms, 20);
}

TEST(page_hinkley, one_wild_value_is_clipped_but_not_without_the_clip) {
  // A single 100x block (46 sds) between steady ones.
  const auto feed = [](const page_hinkley_options& o) {
    page_hinkley ph(o);
    std::optional<page_hinkley_alarm> any;
    for (int i = 0; i < 100; ++i) {
      const double x = i == 50 ? std::log(100.0) : 0.0;
      if (auto a = ph.update(x, i + 1.0)) any = a;
    }
    return any;
  };
  EXPECT_FALSE(feed(raw));
  auto unclipped = raw;
  unclipped.clip = std::numeric_limits<double>::infinity();
  const auto alarm = feed(unclipped);
  ASSERT_TRUE(alarm);
  EXPECT_EQ(alarm->direction, +1);
}

TEST(page_hinkley, known_answer_by_hand) {
  // delta 0.5, threshold 2, no clip: values 0, 0, 3, 3.
  //  x  mean   d = (x - old mean)(1 - 1/n)  rise += d - 0.5   fall += d + 0.5
  //  0  0      0                            -0.5 (low, tag 1)  0.5 (high, tag 1)
  //  0  0      0                            -1.0 (low, tag 2)  1.0 (high, tag 2)
  //  3  1      3 · 2/3 = 2                   0.5  (rise 1.5)   3.5 (high, tag 3)
  //  3  1.5    2 · 3/4 = 1.5                 1.5  (rise 2.5 > 2: alarm since tag 2)
  page_hinkley ph({0.5, 2.0, std::numeric_limits<double>::infinity()});
  EXPECT_FALSE(ph.update(0.0, 1.0));
  EXPECT_FALSE(ph.update(0.0, 2.0));
  EXPECT_FALSE(ph.update(3.0, 3.0));
  EXPECT_DOUBLE_EQ(ph.mean(), 1.0);
  const auto alarm = ph.update(3.0, 4.0);
  ASSERT_TRUE(alarm);
  EXPECT_EQ(alarm->direction, +1);
  EXPECT_DOUBLE_EQ(alarm->since, 2.0);
  EXPECT_EQ(alarm->values, 2u);
  EXPECT_DOUBLE_EQ(ph.mean(), 1.5);
  EXPECT_EQ(ph.count(), 4u);
}

TEST(page_hinkley, the_first_value_sets_the_mean_whatever_its_level) {
  // A level far from 0 (log rates of a fast copy) is no shift in itself.
  page_hinkley ph;
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(ph.update(1000.0, i)) << i;
  EXPECT_DOUBLE_EQ(ph.mean(), 1000.0);
}

TEST(page_hinkley, reset_forgets_and_nan_is_ignored) {
  page_hinkley ph({0.5, 2.0, 3.0});
  ph.update(0.0, 1.0);
  ph.update(std::nan(""), 2.0);
  EXPECT_EQ(ph.count(), 1u);
  ph.reset(7.0);
  EXPECT_EQ(ph.count(), 0u);
  // A fall right after the first value: it began after that value (tag 8). With the clip at 3,
  // the fall grows by 1 then 1.5 and passes 2 at the third value.
  ph.update(0.0, 8.0);
  std::optional<page_hinkley_alarm> alarm;
  for (int i = 0; i < 10 && !alarm; ++i) alarm = ph.update(-10.0, 9.0 + i);
  ASSERT_TRUE(alarm);
  EXPECT_EQ(ph.count(), 3u);
  EXPECT_EQ(alarm->direction, -1);
  EXPECT_DOUBLE_EQ(alarm->since, 8.0);
}

TEST(page_hinkley, options_are_validated) {
  EXPECT_NO_THROW(page_hinkley_options{}.validate());
  const auto throws_naming = [](page_hinkley_options o, const std::string& field) {
    try {
      page_hinkley ph(o);
      ADD_FAILURE() << field;
    } catch (const copyeta::options_error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("[copyeta.options] " + field + " = ", 0), 0u)
          << e.what();
    }
  };
  throws_naming({-0.1, 8.0, 3.0}, "delta");
  throws_naming({std::nan(""), 8.0, 3.0}, "delta");
  throws_naming({0.5, 0.0, 3.0}, "threshold");
  throws_naming({0.5, std::numeric_limits<double>::infinity(), 3.0}, "threshold");
  throws_naming({0.5, 8.0, 0.5}, "clip");
  throws_naming({0.5, 8.0, std::nan("")}, "clip");
}

}  // namespace
