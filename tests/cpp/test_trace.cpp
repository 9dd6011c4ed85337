#include <copyeta/errors.hpp>
#include <copyeta/trace.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using copyeta::parse_trace_csv;
using copyeta::reject_reason;

TEST(parse_amount, exact_integers_up_to_two_to_the_64) {
  EXPECT_EQ(copyeta::parse_amount("18446744073709551615"), 18446744073709551615u);
  EXPECT_EQ(copyeta::parse_amount("+42"), 42u);
  reject_reason why{};
  EXPECT_FALSE(copyeta::parse_amount("18446744073709551616", &why));
  EXPECT_EQ(why, reject_reason::amount_too_large);
}

TEST(parse_amount, decimals_exponents_and_their_failures) {
  EXPECT_EQ(copyeta::parse_amount("42.6"), 43u);
  EXPECT_EQ(copyeta::parse_amount("1.5e9"), 1500000000u);
  reject_reason why{};
  EXPECT_FALSE(copyeta::parse_amount("-3", &why));
  EXPECT_EQ(why, reject_reason::amount_negative);
  EXPECT_FALSE(copyeta::parse_amount("nan", &why));
  EXPECT_EQ(why, reject_reason::amount_not_finite);
  EXPECT_FALSE(copyeta::parse_amount("inf", &why));
  EXPECT_EQ(why, reject_reason::amount_not_finite);
  EXPECT_FALSE(copyeta::parse_amount("12 MB", &why));
  EXPECT_EQ(why, reject_reason::malformed);
  EXPECT_FALSE(copyeta::parse_amount("", &why));
  EXPECT_EQ(why, reject_reason::malformed);
}

TEST(read_trace_csv, matches_columns_by_name_in_any_order) {
  const auto tr = parse_trace_csv(
      "note,bytes_total,t_seconds,bytes_done,tool_eta_seconds\n"
      "a,1000,0.5,10,99\n"
      "b,,1.5, 20 ,\r\n",
      "x.csv");
  ASSERT_EQ(tr.rows.size(), 2u);
  EXPECT_EQ(tr.rows[0].line, 2u);
  EXPECT_EQ(tr.rows[0].t, 0.5);
  EXPECT_EQ(tr.rows[0].done, 10u);
  EXPECT_EQ(tr.rows[0].total, 1000u);
  EXPECT_EQ(tr.rows[0].tool_eta, 99.0);
  EXPECT_FALSE(tr.rows[1].total.has_value());
  EXPECT_EQ(tr.rows[1].done, 20u);
  EXPECT_EQ(tr.samples().size(), 2u);
}

TEST(read_trace_csv, a_bad_row_is_kept_with_line_column_and_reason) {
  const auto tr = parse_trace_csv(
      "t_seconds,bytes_done,bytes_total\n"
      "0,0,100\n"
      "\n"
      "1,abc,100\n"
      "x,5,100\n"
      "2,-5,100\n"
      "3\n"
      "4,50,100\n",
      "run.csv");
  ASSERT_EQ(tr.rows.size(), 6u);
  EXPECT_EQ(tr.rows[1].line, 4u);
  EXPECT_EQ(tr.rows[1].reason, reject_reason::malformed);
  EXPECT_EQ(tr.rows[1].error, "run.csv:4: column bytes_done: 'abc' is not a valid amount (malformed)");
  EXPECT_EQ(tr.rows[1].t, 1.0);  // what parsed is kept
  EXPECT_EQ(tr.rows[2].error, "run.csv:5: column t_seconds: 'x' is not a number");
  EXPECT_EQ(tr.rows[2].done, 5u);
  EXPECT_EQ(tr.rows[3].reason, reject_reason::amount_negative);
  EXPECT_EQ(tr.rows[4].error, "run.csv:7: column bytes_done: '' is missing");
  EXPECT_EQ(tr.rows[5].reason, reject_reason::none);
  EXPECT_EQ(tr.samples().size(), 2u);
}

TEST(read_trace_csv, a_non_finite_time_is_its_own_reason) {
  const auto tr = parse_trace_csv("t_seconds,bytes_done\ninf,5\n", "x.csv");
  EXPECT_EQ(tr.rows[0].reason, reject_reason::time_not_finite);
  EXPECT_FALSE(tr.rows[0].to_sample().has_value());
}

// Fuzz finding 5: `copyeta replay` of these two rows never returned.
TEST(read_trace_csv, a_time_beyond_2_to_the_53_seconds_is_too_large) {
  const auto tr = parse_trace_csv(
      "t_seconds,bytes_done\n-1.7976931348623157e308,0\n1.7976931348623157e308,0\n", "x.csv");
  ASSERT_EQ(tr.rows.size(), 2u);
  EXPECT_EQ(tr.rows[0].reason, reject_reason::time_too_large);
  EXPECT_EQ(tr.rows[1].error,
            "x.csv:3: column t_seconds: '1.7976931348623157e308' is beyond ±2^53 seconds");
}

TEST(read_trace_csv, missing_required_columns_throw_input_error) {
  try {
    parse_trace_csv("t_seconds,bytes\n1,2\n", "bad.csv");
    FAIL();
  } catch (const copyeta::input_error& e) {
    EXPECT_STREQ(e.what(),
                 "[copyeta.input] bad.csv:1: missing column 'bytes_done' (the header needs "
                 "t_seconds and bytes_done; bytes_total is optional)");
  }
  EXPECT_THROW(parse_trace_csv("", "empty.csv"), copyeta::input_error);
}

TEST(read_trace_csv_file, reads_a_real_trace_and_reports_a_missing_file) {
  const auto tr = copyeta::read_trace_csv_file(
      std::string(COPYETA_TEST_DATA_DIR) + "/traces/dd_progress_psbbn87_120GB_fsync_tail.csv");
  ASSERT_EQ(tr.rows.size(), 348u);
  EXPECT_EQ(tr.rows.back().t, 5161.69);
  EXPECT_EQ(tr.rows.back().done, 120036786176u);
  for (const auto& row : tr.rows) EXPECT_EQ(row.reason, reject_reason::none) << row.error;
  EXPECT_THROW(copyeta::read_trace_csv_file("/nonexistent/x.csv"), copyeta::input_error);
}

}  // namespace
