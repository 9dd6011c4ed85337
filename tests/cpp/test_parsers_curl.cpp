#include "format_files.hpp"

#include <copyeta/progress_line.hpp>
#include <copyeta/parsers/curl.hpp>
#include <copyeta/trace.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace copyeta::testing;  // format_files.hpp

using copyeta::amount;

TEST(parsers_curl, meter_1_start_of_a_download) {
  copyeta::parsers::curl_parser parser;
  EXPECT_EQ(parser.format(), "curl");
  const auto got = parse_file(parser, "formats/curl_progress_meter_1.txt");
  ASSERT_EQ(got.size(), 5u);  // the two header lines are not readings
  EXPECT_EQ(got[0].reading.done, amount{0});  // the all-zero first row: nothing known yet
  EXPECT_FALSE(got[0].reading.total);
  EXPECT_FALSE(got[0].reading.t);
  EXPECT_FALSE(got[0].reading.tool_eta);
  EXPECT_EQ(got[1].reading.done, amount{4174848});        // 4077k
  EXPECT_EQ(got[1].reading.total, amount{12348030976u});  // 11.5G = 11.5 * 2^30
  EXPECT_FALSE(got[1].reading.t);                         // Spent "--:--:--"
  EXPECT_EQ(got[1].reading.tool_eta, 1390.0);             // 0:23:10
  EXPECT_EQ(got[2].reading.done, amount{19084083});       // 18.2M = 19084083.2
  EXPECT_EQ(got[2].reading.t, 1.0);
  EXPECT_EQ(got[2].reading.tool_eta, 948.0);
  EXPECT_EQ(got[4].reading.done, amount{49702502});       // 47.4M = 49702502.4
  EXPECT_EQ(got[4].reading.t, 3.0);
  EXPECT_EQ(got[4].reading.tool_eta, 863.0);              // 0:14:23
}

TEST(parsers_curl, meter_2_interrupted_rows_and_resumed_transfer) {
  copyeta::parsers::curl_parser parser;
  const auto got = parse_file(parser, "formats/curl_progress_meter_2.txt");
  ASSERT_EQ(got.size(), 2u);  // rows ending in "^C"
  EXPECT_EQ(got[0].reading.done, amount{185597952});    // 177M
  EXPECT_EQ(got[0].reading.total, amount{1500512256});  // 1431M
  EXPECT_EQ(got[0].reading.t, 64.0);
  EXPECT_EQ(got[0].reading.tool_eta, 454.0);
  EXPECT_EQ(got[1].reading.done, amount{54735667});     // 52.2M, counted from the resume point
  EXPECT_EQ(got[1].reading.total, amount{1313865728});  // 1253M
  EXPECT_EQ(got[1].reading.t, 20.0);
  EXPECT_EQ(got[1].reading.tool_eta, 481.0);
}

TEST(parsers_curl, meter_3_days_in_time_columns) {
  copyeta::parsers::curl_parser parser;
  const auto got = parse_file(parser, "formats/curl_progress_meter_3.txt");
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[1].reading.done, amount{49});
  EXPECT_EQ(got[1].reading.total, amount{12025908429u});  // 11.2G = 12025908428.8
  EXPECT_EQ(got[1].reading.tool_eta, 10126800.0);         // "117d 05h"
  EXPECT_EQ(got[3].reading.done, amount{80425779});       // 76.7M = 80425779.2
  EXPECT_EQ(got[3].reading.t, 2.0);
}

// Same source as the eraseinstall253 trace: every row of its raw log equals the trace's row
// (the trace writes t = 0 where curl's Spent is still "--:--:--"; the parser leaves t empty).
TEST(parsers_curl, eraseinstall253_raw_log_equals_the_trace) {
  copyeta::parsers::curl_parser parser;
  const auto trace = copyeta::read_trace_csv_file(
      std::string(COPYETA_TEST_DATA_DIR) + "/traces/curl_meter_monterey_11_2G_eraseinstall253.csv");
  auto got = parse_file(parser, "traces/curl_meter_monterey_11_2G_eraseinstall253.raw");
  ASSERT_EQ(got.size(), 17u);
  ASSERT_EQ(trace.rows.size(), 16u);
  EXPECT_EQ(got[0].reading.done, amount{0});  // the all-zero row, not in the trace
  for (std::size_t i = 0; i < trace.rows.size(); ++i) {
    const auto& r = got[i + 1].reading;
    const auto& row = trace.rows[i];
    EXPECT_EQ(r.done, row.done) << got[i + 1].line;
    EXPECT_EQ(r.total, row.total) << got[i + 1].line;
    EXPECT_EQ(r.tool_eta, row.tool_eta) << got[i + 1].line;
    EXPECT_EQ(r.t.value_or(0.0), row.t) << got[i + 1].line;
  }
  // The format file's rows are the first rows of that log.
  const auto format_rows = parse_file(parser, "formats/curl_progress_meter_3.txt");
  for (std::size_t i = 1; i < format_rows.size(); ++i) {
    EXPECT_EQ(format_rows[i].reading.done, trace.rows[i - 1].done);
    EXPECT_EQ(format_rows[i].reading.t.value_or(0.0), trace.rows[i - 1].t);
  }
}

TEST(parsers_curl, meter_4_inside_log_lines) {
  copyeta::parsers::curl_parser parser;
  const auto got = parse_file(parser, "formats/curl_progress_meter_4.txt");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].reading.done, amount{70044877});     // 66.8M = 70044876.8
  EXPECT_EQ(got[1].reading.total, amount{6780092416u});  // 6466M
  EXPECT_EQ(got[1].reading.tool_eta, 65.0);
  EXPECT_FALSE(got[1].reading.t);
  EXPECT_EQ(got[2].reading.done, amount{173015040});  // 165M
  EXPECT_EQ(got[2].reading.t, 1.0);
  EXPECT_EQ(got[2].reading.tool_eta, 64.0);
}

TEST(parsers_curl, upload_rows_count_xferd) {
  copyeta::parsers::curl_parser parser;
  auto r = parser.feed("100 10.0M    0     0  100 10.0M      0  5120k  0:00:02  0:00:02 --:--:-- 5120k");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{10485760});
  EXPECT_EQ(r->total, amount{10485760});
  EXPECT_EQ(r->t, 2.0);
  EXPECT_FALSE(r->tool_eta);
  r = parser.feed(" 50 2048M   50 1024M    0     0  1000k      0  1234d  0:17:28 1234d 1000k");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->tool_eta, 1234.0 * 86400.0);
}

TEST(parsers_curl, rejects_headers_and_other_lines) {
  copyeta::parsers::curl_parser parser;
  for (const std::string_view line :
       {"", "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current",
        "                                 Dload  Upload   Total   Spent    Left  Speed",
        "** Resuming transfer from byte position 186933248",
        "  0 11.5G    0 4077k    0     0  8730k      0  0:23:10 --:--:--  0:23:10",
        "101 11.5G    0 4077k    0     0  8730k      0  0:23:10 --:--:--  0:23:10 8711k",
        "  0 11.5X    0 4077k    0     0  8730k      0  0:23:10 --:--:--  0:23:10 8711k",
        "  0 11.5G    0 4077k    0     0  8730k      0  0:23:10 --:--:--  0:23:10 8711k extra"})
    EXPECT_FALSE(parser.feed(line)) << line;
}

// Every curl trace was read from its raw log by hand (t = Spent, bytes = Received, total, Left).
// The parser, fed each raw log, gives the same numbers: the trace rows are, in order, a subset
// of the parsed readings (the traces keep one row per Spent second, or skip a redirect's rows),
// with equal t, done, total and tool_eta. A row at t = 0 is the traces' choice for a row whose
// Spent is not printed yet ("--:--:--" or blank): the parser leaves t empty there.
TEST(parsers_curl, every_curl_trace_equals_its_raw_log) {
  const std::string dir = std::string(COPYETA_TEST_DATA_DIR) + "/traces/";
  for (const std::string name :
       {"curl_meter_11_5G_failed_at_1GiB_patchedsur45", "curl_meter_11_5G_failed_at_642M_patchedsur50",
        "curl_meter_catalina_7379M_eraseinstall76", "curl_meter_gguf_13_26G_27min_complete_yargipro",
        "curl_meter_intune_gimp_dmg_166M_29s_complete_shellintune",
        "curl_meter_intune_minecraft_dmg_224M_61s_complete_shellintune",
        "curl_meter_macos_installer_11_5G_eraseinstall181", "curl_meter_monterey_11_2G_eraseinstall253",
        "curl_meter_slow_11_5G_patchedsur19", "curl_meter_vmmrdb_zip_11_5G_12min_complete_vmmrdb"}) {
    copyeta::parsers::curl_parser parser;
    const auto trace = copyeta::read_trace_csv_file(dir + name + ".csv");
    const auto got = parse_file(parser, "traces/" + name + ".raw");
    std::size_t pos = 0, at_zero = 0;
    for (const auto& row : trace.rows) {
      std::size_t k = pos;
      const double t = row.t.value_or(-1.0);
      while (k < got.size() && !(got[k].reading.t.value_or(0.0) == t && got[k].reading.done == row.done))
        ++k;
      ASSERT_LT(k, got.size()) << name << ": trace line " << row.line << " not found in order";
      if (!got[k].reading.t) ++at_zero;
      EXPECT_EQ(got[k].reading.total, row.total) << name << ": " << got[k].line;
      EXPECT_EQ(got[k].reading.tool_eta, row.tool_eta) << name << ": " << got[k].line;
      pos = k + 1;
    }
    EXPECT_LE(at_zero, 1u) << name;
  }
}

TEST(parsers_curl, newer_curl_blank_time_columns) {
  copyeta::parsers::curl_parser parser;
  auto r = parser.feed("  0      0   0      0   0      0      0      0                              0");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{0});
  EXPECT_FALSE(r->t);
  r = parser.feed("  5 13.26G   5 715.0M   0      0  8.36M      0   27:05   01:25   25:40  8.17M");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{749731840});  // 715.0 MiB
  EXPECT_EQ(r->t, 85.0);
  EXPECT_EQ(r->tool_eta, 1540.0);
  r = parser.feed("100 11.50G 100 11.50G   0      0 16.93M      0   11:35   11:35         17.25M");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{12348030976u});
  EXPECT_EQ(r->total, r->done);
  EXPECT_EQ(r->t, 695.0);
  EXPECT_EQ(r->tool_eta, 0.0);  // Left is blank at the end
  r = parser.feed("  0      0   0  1234k   0      0  1000k      0          00:05          1000k");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1263616});
  EXPECT_FALSE(r->total);
  EXPECT_EQ(r->t, 5.0);
}

}  // namespace
