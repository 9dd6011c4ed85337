#include "format_files.hpp"

#include <copyeta/parsers/rclone.hpp>
#include <copyeta/progress_line.hpp>
#include <copyeta/trace.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace copyeta::testing;  // format_files.hpp

using copyeta::progress_reading;
using copyeta::parsers::rclone_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  rclone_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_rclone, format_name) { EXPECT_EQ(rclone_parser().format(), "rclone"); }

TEST(parsers_rclone, v138_block_with_per_file_eta) {
  const auto r = parse_file("formats/rclone_stats_1.txt");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(*r[0].t, 19.8);
  EXPECT_EQ(*r[0].done, 78639006u);  // 74.996 MBytes * 2^20
  EXPECT_FALSE(r[0].total);
  EXPECT_DOUBLE_EQ(*r[0].tool_eta, 709.0);  // 11m49s
  EXPECT_FALSE(r[0].percent_only);
}

TEST(parsers_rclone, v147_totals_and_job_eta) {
  const auto r = parse_file("formats/rclone_stats_2.txt");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(*r[0].t, 47717.2);              // 13h15m17.2s
  EXPECT_EQ(*r[0].done, 1652565976547u);          // 1.503T
  EXPECT_EQ(*r[0].total, 1697645953286u);         // 1.544 TBytes
  EXPECT_DOUBLE_EQ(*r[0].tool_eta, 1306.0);       // 21m46s
}

TEST(parsers_rclone, v156_binary_prefix_spelling) {
  const auto r = parse_file("formats/rclone_stats_3.txt");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(*r[0].t, 5.2);
  EXPECT_EQ(*r[0].done, 33746321u);               // 32.183Mi
  EXPECT_EQ(*r[0].total, 146277996167u);          // 136.232 GiByte
  EXPECT_DOUBLE_EQ(*r[0].tool_eta, 14147.0);      // 3h55m47s
}

TEST(parsers_rclone, wrapped_eta_and_interleaved_debug_lines) {
  const auto r = parse_file("formats/rclone_stats_4.txt");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_DOUBLE_EQ(*r[0].t, 41.5);
  EXPECT_EQ(*r[0].done, 1130365u);                // 1.078M
  EXPECT_EQ(*r[0].total, 3033320653u);            // 2.825 GBytes
  EXPECT_DOUBLE_EQ(*r[0].tool_eta, 111489.0);     // 30h58m9s
  EXPECT_DOUBLE_EQ(*r[1].t, 40.0);                // as printed (rclone's clock went back)
  EXPECT_EQ(*r[1].done, 1102053u);                // 1.051M
  EXPECT_EQ(*r[1].total, 3033320653u);
  EXPECT_FALSE(r[1].tool_eta);                    // "ETA" wrapped onto the next line
}

// Every stats block of the raw logs behind the traces gives the trace's row.
void expect_matches_trace(const std::string& name) {
  const auto r = parse_file("traces/" + name + ".raw");
  const auto tr = copyeta::read_trace_csv_file(data_path("traces/" + name + ".csv"));
  ASSERT_EQ(r.size(), tr.rows.size()) << name;
  for (std::size_t i = 0; i < r.size(); ++i) {
    SCOPED_TRACE(name + " row " + std::to_string(i));
    ASSERT_TRUE(r[i].t && r[i].done);
    EXPECT_NEAR(*r[i].t, *tr.rows[i].t, 1e-9);
    EXPECT_EQ(*r[i].done, *tr.rows[i].done);
    EXPECT_EQ(r[i].total, tr.rows[i].total);
    if (tr.rows[i].tool_eta) {
      ASSERT_TRUE(r[i].tool_eta);
      EXPECT_DOUBLE_EQ(*r[i].tool_eta, *tr.rows[i].tool_eta);
    } else {
      EXPECT_FALSE(r[i].tool_eta);
    }
  }
}

TEST(parsers_rclone, raw_logs_reproduce_their_traces) {
  expect_matches_trace("rclone_v138_stats1s_mkv_upload_rclone1782");
  expect_matches_trace("rclone_v14x_onedrive_upload_11_2G_3h25m_errors_unfinished_jsb0227");
}

TEST(parsers_rclone, new_format_with_zero_total_and_dash_eta) {
  rclone_parser p;
  EXPECT_FALSE(p.feed("Transferred:              0 B / 0 B, -, 0 B/s, ETA -"));
  EXPECT_FALSE(p.feed("Transferred:            0 / 0, -"));
  const auto r = p.feed("Elapsed time:         0.5s");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->done, 0u);
  EXPECT_FALSE(r->total);  // not listed yet: unknown rather than an empty job
  EXPECT_FALSE(r->tool_eta);
  EXPECT_DOUBLE_EQ(*r->t, 0.5);
}

TEST(parsers_rclone, terminal_redraw_codes_and_reset) {
  rclone_parser p;
  EXPECT_FALSE(p.feed("\x1b[2K\x1b[1GTransferred:   \t    1.234 GiB / 11.200 GiB, 11%, 3.784 MiB/s, ETA 45m12s"));
  p.reset();
  EXPECT_FALSE(p.feed("Elapsed time:       1m2.3s"));  // the block was forgotten
  EXPECT_FALSE(p.feed("\x1b[2K\x1b[1GTransferred:   \t    1.234 GiB / 11.200 GiB, 11%, 3.784 MiB/s, ETA 45m12s"));
  const auto r = p.feed("\x1b[2KElapsed time:       1d2h3m4.5s");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r->t, 93784.5);
  EXPECT_EQ(*r->total, 12025908429u);  // 11.2 * 2^30 = 12025908428.8
  EXPECT_DOUBLE_EQ(*r->tool_eta, 2712.0);
}

TEST(parsers_rclone, stats_one_line) {
  rclone_parser p;
  auto r = p.feed("2021/01/01 12:00:00 INFO  :    1.234 GiB / 11.200 GiB, 11%, 3.784 MiB/s, ETA 45m12s");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->done, 1324997411u);  // 1.234 * 2^30 = 1324997410.8
  EXPECT_EQ(*r->total, 12025908429u);
  EXPECT_DOUBLE_EQ(*r->tool_eta, 2712.0);
  EXPECT_FALSE(r->t);
  r = p.feed("2021/01/01 12:00:01 - 1.300 GiB / 11.200 GiB, 12%, 3.784 MiB/s, ETA 45m");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r->tool_eta, 2700.0);
  EXPECT_FALSE(p.feed("2021/01/01 12:00:00 INFO  : file.txt: Copied (new)"));
}

TEST(parsers_rclone, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("rclone_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
