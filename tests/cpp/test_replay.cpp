#include <copyeta/replay.hpp>

#include <gtest/gtest.h>

namespace {

using copyeta::reject_reason;
using copyeta::state;

TEST(replay, one_result_per_row_with_rejections_in_place) {
  const auto tr = copyeta::parse_trace_csv(
      "t_seconds,bytes_done,bytes_total\n"
      "0,0,1000\n"
      "10,100,1000\n"
      "5,150,1000\n"      // time backwards
      "20,oops,1000\n"    // malformed
      "20,200,1000\n"
      "30,1000,1000\n",
      "r.csv");
  const auto out = copyeta::replay(tr);
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(out[0].estimate.state, state::warming_up);
  EXPECT_EQ(out[1].estimate.state, state::ok);
  EXPECT_EQ(out[2].estimate.state, state::rejected);
  EXPECT_EQ(out[2].reason, reject_reason::time_backwards);
  EXPECT_EQ(out[2].error, "r.csv:4: time_backwards");
  EXPECT_EQ(out[2].estimate.t, 5.0);
  EXPECT_EQ(out[3].reason, reject_reason::malformed);
  EXPECT_EQ(out[3].estimate.state, state::rejected);
  EXPECT_EQ(out[4].estimate.state, state::ok);
  EXPECT_EQ(out[4].estimate.t, 20.0);
  EXPECT_EQ(out[5].estimate.state, state::finished);
}

TEST(replay, rejected_rows_do_not_disturb_the_estimates) {
  const char* clean = "t_seconds,bytes_done,bytes_total\n0,0,1000\n10,100,1000\n20,200,1000\n";
  const char* dirty =
      "t_seconds,bytes_done,bytes_total\n0,0,1000\n10,100,1000\n3,900,1000\n20,200,1000\n";
  const auto a = copyeta::replay(copyeta::parse_trace_csv(clean, "a"));
  const auto b = copyeta::replay(copyeta::parse_trace_csv(dirty, "b"));
  EXPECT_EQ(a[2].estimate.remaining, b[3].estimate.remaining);
  EXPECT_EQ(a[2].estimate.hi, b[3].estimate.hi);
}

TEST(replay, honours_model_and_level) {
  const auto tr = copyeta::parse_trace_csv(
      "t_seconds,bytes_done,bytes_total\n0,0,1000\n10,100,1000\n20,200,1000\n", "x");
  copyeta::monitor_options o;
  o.estimator.level = 0.95;
  const auto wide = copyeta::replay(tr, o);
  o.estimator.level = 0.5;
  const auto narrow = copyeta::replay(tr, o);
  EXPECT_EQ(wide[2].estimate.level, 0.95);
  EXPECT_GT(wide[2].estimate.hi - wide[2].estimate.lo,
            narrow[2].estimate.hi - narrow[2].estimate.lo);
}

}  // namespace
