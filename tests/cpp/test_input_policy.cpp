#include <copyeta/errors.hpp>
#include <copyeta/input_policy.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string_view>

namespace {

using copyeta::check_sample;
using copyeta::reject_reason;
using copyeta::sample;

const std::optional<sample> previous = sample{10.0, 500, 1000};

TEST(input_policy, first_sample_needs_only_a_finite_time) {
  EXPECT_TRUE(check_sample(std::nullopt, {-5.0, 0, std::nullopt}).accepted());
  EXPECT_EQ(check_sample(std::nullopt, {std::nan(""), 0, 1}).reason,
            reject_reason::time_not_finite);
  EXPECT_EQ(check_sample(std::nullopt, {HUGE_VAL, 0, 1}).reason, reject_reason::time_not_finite);
}

TEST(input_policy, times_beyond_2_to_the_53_seconds_are_too_large) {
  EXPECT_EQ(check_sample(previous, {1e16, 600, 1000}).reason, reject_reason::time_too_large);
  EXPECT_EQ(check_sample(std::nullopt, {-1e300, 0, 1}).reason, reject_reason::time_too_large);
  EXPECT_TRUE(check_sample(previous, {copyeta::max_abs_time, 600, 1000}).accepted());
}

TEST(input_policy, time_backwards_is_rejected) {
  EXPECT_EQ(check_sample(previous, {9.999, 600, 1000}).reason, reject_reason::time_backwards);
}

TEST(input_policy, repeated_timestamp_is_accepted) {
  const auto check = check_sample(previous, {10.0, 600, 1000});
  EXPECT_TRUE(check.accepted());
  EXPECT_FALSE(check.restart);
}

TEST(input_policy, done_backwards_is_a_restart) {
  const auto check = check_sample(previous, {11.0, 100, 1000});
  EXPECT_TRUE(check.accepted());
  EXPECT_TRUE(check.restart);
}

TEST(input_policy, total_changes_and_overshoot_are_accepted) {
  EXPECT_TRUE(check_sample(previous, {11.0, 600, 2000}).accepted());
  EXPECT_TRUE(check_sample(previous, {11.0, 600, std::nullopt}).accepted());
  EXPECT_TRUE(check_sample(previous, {11.0, 5000, 1000}).accepted());
}

TEST(input_policy, throw_if_rejected_names_value_and_previous) {
  const sample next{9.5, 600, 1000};
  try {
    copyeta::throw_if_rejected(check_sample(previous, next), previous, next);
    FAIL() << "expected sample_error";
  } catch (const copyeta::sample_error& e) {
    EXPECT_EQ(e.reason(), reject_reason::time_backwards);
    EXPECT_EQ(e.field(), "t");
    EXPECT_EQ(e.value(), 9.5);
    EXPECT_EQ(e.previous(), 10.0);
    EXPECT_STREQ(e.what(),
                 "[copyeta.sample.time_backwards] t = 9.5 is before the previous sample's t = 10");
  }
}

TEST(input_policy, throw_if_rejected_is_silent_when_accepted) {
  const sample next{11.0, 600, 1000};
  EXPECT_NO_THROW(copyeta::throw_if_rejected(check_sample(previous, next), previous, next));
}

TEST(input_policy, every_reason_has_a_distinct_name) {
  std::set<std::string_view> names;
  for (int i = 0; i < copyeta::reject_reason_count; ++i)
    names.insert(copyeta::to_string(static_cast<reject_reason>(i)));
  EXPECT_EQ(names.size(), static_cast<std::size_t>(copyeta::reject_reason_count));
  EXPECT_EQ(names.count("unknown"), 0u);
}

using copyeta::make_sample;
using copyeta::sample_error;

reject_reason reason_of(double t, double done, double total) {
  try {
    make_sample(t, done, total);
  } catch (const sample_error& e) {
    return e.reason();
  }
  return reject_reason::none;
}

TEST(make_sample, converts_and_rounds_amounts) {
  const auto s = make_sample(1.5, 1234.4, 5678.6);
  EXPECT_EQ(s.t, 1.5);
  EXPECT_EQ(s.done, 1234u);
  ASSERT_TRUE(s.total.has_value());
  EXPECT_EQ(*s.total, 5679u);
}

TEST(make_sample, nan_total_means_unknown) {
  EXPECT_FALSE(make_sample(0, 1, std::nan("")).total.has_value());
}

TEST(make_sample, negative_time_is_a_valid_origin) {
  EXPECT_EQ(make_sample(-100.0, 0, 10).t, -100.0);
}

TEST(make_sample, rejects_bad_values_by_field) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(reason_of(std::nan(""), 1, 2), reject_reason::time_not_finite);
  EXPECT_EQ(reason_of(inf, 1, 2), reject_reason::time_not_finite);
  EXPECT_EQ(reason_of(0, -1, 2), reject_reason::amount_negative);
  EXPECT_EQ(reason_of(0, 1, -2), reject_reason::amount_negative);
  EXPECT_EQ(reason_of(0, std::nan(""), 2), reject_reason::amount_not_finite);
  EXPECT_EQ(reason_of(0, 1, inf), reject_reason::amount_not_finite);
  EXPECT_EQ(reason_of(0, 1.9e19, 2), reject_reason::amount_too_large);
  EXPECT_EQ(reason_of(1e300, 1, 2), reject_reason::time_too_large);
  EXPECT_EQ(reason_of(-std::nextafter(copyeta::max_abs_time, inf), 1, 2),
            reject_reason::time_too_large);
  EXPECT_EQ(reason_of(-copyeta::max_abs_time, 1, 2), reject_reason::none);
}

TEST(make_sample, error_names_field_and_value) {
  try {
    make_sample(0, 1, -2);
    FAIL() << "expected sample_error";
  } catch (const sample_error& e) {
    EXPECT_EQ(e.field(), "total");
    EXPECT_EQ(e.value(), -2.0);
    EXPECT_STREQ(e.what(), "[copyeta.sample.amount_negative] total = -2 is negative");
  }
}

TEST(make_sample, largest_double_below_two_to_64_is_accepted) {
  const double below = std::nextafter(18446744073709551616.0, 0.0);
  EXPECT_EQ(make_sample(0, below, std::nan("")).done, static_cast<copyeta::amount>(below));
}

}  // namespace
