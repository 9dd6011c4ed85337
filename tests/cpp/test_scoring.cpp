#include <copyeta/models/average.hpp>
#include <copyeta/scoring.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace {

using copyeta::end_kind;
using copyeta::scored_forecast;

// Rows of "t,done,total" joined into a trace CSV.
copyeta::trace make_trace(const std::string& rows) {
  return copyeta::parse_trace_csv("t_seconds,bytes_done,bytes_total\n" + rows, "test.csv");
}

TEST(scoring, buckets_follow_metrics_md) {
  EXPECT_EQ(copyeta::bucket_of(0.05), 0u);
  EXPECT_EQ(copyeta::bucket_of(0.3499), 0u);
  EXPECT_EQ(copyeta::bucket_of(0.35), 1u);
  EXPECT_EQ(copyeta::bucket_of(0.65), 2u);
  EXPECT_EQ(copyeta::bucket_of(0.95), 2u);
  EXPECT_EQ(copyeta::bucket_name(1), "mid");
}

TEST(scoring, a_trace_that_reaches_its_total_has_a_real_end) {
  // 10 units a second; the end is the first row at the total, later rows are ignored.
  std::string rows;
  for (int t = 0; t <= 12; ++t) rows += fmt::format("{},{},100\n", t, std::min(100, 10 * t));
  const auto job = copyeta::prepare_scoring(make_trace(rows));
  ASSERT_TRUE(job);
  EXPECT_EQ(job->kind, end_kind::real_end);
  EXPECT_EQ(job->end, 10.0);
  EXPECT_EQ(job->samples.size(), 11u);
  // Scored: 5% <= fraction <= 95% and t < end, so t = 1..9.
  std::size_t scored = 0;
  for (std::size_t i = 0; i < job->samples.size(); ++i) scored += job->scored(i);
  EXPECT_EQ(scored, 9u);
  EXPECT_FALSE(job->scored(0));
  EXPECT_FALSE(job->scored(10));
}

TEST(scoring, a_trace_that_stops_early_is_cut_into_a_milestone) {
  // 12 rows over 33 s with a total of 1000 that is never reached: the cut amount (33) becomes
  // every row's total and the last time the end.
  std::string rows;
  for (int i = 0; i < 12; ++i) rows += fmt::format("{},{},1000\n", 3 * i, 3 * i);
  const auto job = copyeta::prepare_scoring(make_trace(rows));
  ASSERT_TRUE(job);
  EXPECT_EQ(job->kind, end_kind::milestone);
  EXPECT_EQ(job->end, 33.0);
  for (const auto& s : job->samples) EXPECT_EQ(*s.total, 33u);
  EXPECT_DOUBLE_EQ(job->fraction(4), 12.0 / 33.0);
}

TEST(scoring, a_short_trace_without_an_end_is_not_scored_and_says_why) {
  std::string why;
  EXPECT_FALSE(copyeta::prepare_scoring(make_trace("0,1,100\n1,2,100\n"), &why));
  EXPECT_EQ(why, "2 rows and no real end (a milestone needs at least 10)");
  std::string rows;
  for (int i = 0; i < 12; ++i) rows += fmt::format("{},{},\n", i, i + 1);
  EXPECT_FALSE(copyeta::prepare_scoring(make_trace(rows), &why));
  EXPECT_EQ(why, "spans 11 s and has no real end (a milestone needs at least 30 s)");
}

TEST(scoring, rows_the_input_policy_rejects_are_left_out) {
  // The time going backwards on the third row drops that row, as an estimator would.
  const auto job = copyeta::prepare_scoring(make_trace("0,0,100\n1,10,100\n0.5,20,100\n2,100,100\n"));
  ASSERT_TRUE(job);
  EXPECT_EQ(job->samples.size(), 3u);
  EXPECT_EQ(job->end, 2.0);
}

TEST(scoring, metrics_by_hand) {
  // Three forecasts at t = 0, 10, 20 for an end at T = 40 (R = 40, 30, 20), level 0.8 (a = 0.2).
  std::vector<scored_forecast> f(4);
  f[0] = {0.0, 0.2, 40.0, true, 20.0, 10.0, 30.0};   // misses low: R above H by 10
  f[1] = {10.0, 0.5, 30.0, true, 30.0, 25.0, 35.0};  // exact, covered
  f[2] = {20.0, 0.8, 20.0, true, 40.0, 25.0, 50.0};  // misses high: R below L by 5
  f[3] = {30.0, 0.9, 10.0, false};                   // no prediction
  const auto m = copyeta::score_forecasts(f, 0.8, 40.0);
  EXPECT_EQ(m.scored, 4u);
  EXPECT_EQ(m.predicted, 3u);
  EXPECT_DOUBLE_EQ(m.availability, 0.75);
  EXPECT_DOUBLE_EQ(m.q_error, std::log(2.0));  // median of ln 2, 0, ln 2
  EXPECT_DOUBLE_EQ(m.coverage, 1.0 / 3.0);
  // Interval scores: (20 + 10·10)/40 = 3, 10/30, (25 + 10·5)/20 = 3.75 -> median 3.
  EXPECT_DOUBLE_EQ(m.interval_score, 3.0);
  // Predicted ends 20, 40, 60: travel 40 over T - t0 = 40.
  EXPECT_DOUBLE_EQ(m.flip_flop, 1.0);
  EXPECT_DOUBLE_EQ(m.buckets[0].coverage, 0.0);
  EXPECT_DOUBLE_EQ(m.buckets[1].coverage, 1.0);
  EXPECT_DOUBLE_EQ(m.buckets[2].coverage, 0.0);
  EXPECT_EQ(m.buckets[2].predicted, 1u);
}

TEST(scoring, q_error_clamps_the_prediction_to_a_millisecond) {
  const std::vector<scored_forecast> f{{0.0, 0.5, 1.0, true, 0.0, 0.0, 0.0}};
  EXPECT_DOUBLE_EQ(copyeta::score_forecasts(f, 0.8, 1.0).q_error, std::log(1000.0));
}

TEST(scoring, a_trace_without_predictions_has_no_figures_but_its_availability) {
  const std::vector<scored_forecast> f{{0.0, 0.5, 1.0, false}};
  const auto m = copyeta::score_forecasts(f, 0.8, 1.0);
  EXPECT_DOUBLE_EQ(m.availability, 0.0);
  EXPECT_TRUE(std::isnan(m.q_error));
  EXPECT_TRUE(std::isnan(m.coverage));
}

TEST(scoring, summaries_weigh_each_trace_once_and_skip_missing_figures) {
  copyeta::trace_metrics a, b, c;
  a.q_error = 0.1;
  a.coverage = 1.0;
  b.q_error = 0.3;
  b.coverage = 0.5;
  c.availability = 0.0;  // nothing predicted: no q-error
  const auto s = copyeta::summarize({&a, &b, &c});
  EXPECT_EQ(s.traces, 3u);
  EXPECT_DOUBLE_EQ(s.q_error, 0.2);
  EXPECT_DOUBLE_EQ(s.coverage, 0.75);
  EXPECT_DOUBLE_EQ(s.availability, 0.0);
}

TEST(scoring, forecast_trace_records_each_scored_sample) {
  std::string rows;
  for (int t = 0; t <= 10; ++t) rows += fmt::format("{},{},100\n", t, 10 * t);
  const auto job = copyeta::prepare_scoring(make_trace(rows));
  copyeta::models::average model;
  const auto f = copyeta::forecast_trace(*job, model);
  ASSERT_EQ(f.size(), 9u);
  for (std::size_t i = 0; i < f.size(); ++i) {
    EXPECT_DOUBLE_EQ(f[i].t, static_cast<double>(i + 1));
    EXPECT_DOUBLE_EQ(f[i].truth, 10.0 - f[i].t);
    ASSERT_TRUE(f[i].available);
    EXPECT_NEAR(f[i].remaining, f[i].truth, 1e-9);  // a constant rate: the average is exact
  }
}

}  // namespace
