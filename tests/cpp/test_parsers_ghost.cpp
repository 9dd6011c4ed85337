#include "format_files.hpp"

#include <copyeta/parsers/ghost.hpp>
#include <copyeta/progress_line.hpp>
#include <copyeta/trace.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace copyeta::testing;  // format_files.hpp

using copyeta::progress_reading;
using copyeta::parsers::ghost_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  ghost_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_ghost, format_name) { EXPECT_EQ(ghost_parser().format(), "ghost"); }

TEST(parsers_ghost, status_lines_with_total_time_and_eta) {
  const auto r = parse_file("formats/ghost_status_1.txt");
  ASSERT_EQ(r.size(), 9u);  // the INFO line in between is not a status
  EXPECT_EQ(*r[0].done, 89000u);
  EXPECT_EQ(*r[0].total, 20959400u);
  EXPECT_DOUBLE_EQ(*r[0].t, 4.0);
  EXPECT_FALSE(r[0].tool_eta);  // "ETA: N/A"
  EXPECT_EQ(*r[1].total, 22417848u);  // the exact COUNT replaced the estimate
  EXPECT_EQ(*r[4].done, 233000u);
  EXPECT_DOUBLE_EQ(*r[4].t, 8.0);
  EXPECT_DOUBLE_EQ(*r[4].tool_eta, 761.0);  // 12m41s
  EXPECT_EQ(*r[8].done, 421000u);  // cut-off last line: still has rows and time
  EXPECT_DOUBLE_EQ(*r[8].t, 12.0);
  EXPECT_FALSE(r[8].tool_eta);
  EXPECT_FALSE(r[8].percent_only);
}

TEST(parsers_ghost, early_elapsed_format_uses_total_not_copy_time) {
  const auto r = parse_file("formats/ghost_status_2.txt");
  ASSERT_EQ(r.size(), 8u);
  EXPECT_DOUBLE_EQ(*r[0].t, 85.0);  // "43s(copy), 1m25s(total)"
  EXPECT_EQ(*r[0].done, 1186001u);
  EXPECT_EQ(*r[0].total, 72539939u);
  EXPECT_FALSE(r[0].tool_eta);
  EXPECT_DOUBLE_EQ(*r[2].tool_eta, 2594.0);  // 43m14s
  EXPECT_DOUBLE_EQ(*r[7].t, 120.0);          // 2m0s
  EXPECT_EQ(*r[7].done, 2109501u);
  EXPECT_EQ(*r[7].total, 72539997u);
  EXPECT_DOUBLE_EQ(*r[7].tool_eta, 2604.0);
}

TEST(parsers_ghost, throttled_stall_with_hours) {
  const auto r = parse_file("formats/ghost_status_3.txt");
  ASSERT_EQ(r.size(), 6u);
  EXPECT_DOUBLE_EQ(*r[0].t, 30 * 3600 + 3 * 60 + 0.0);
  EXPECT_EQ(*r[0].done, 36131000u);
  EXPECT_EQ(*r[0].total, 95786843u);
  EXPECT_DOUBLE_EQ(*r[0].tool_eta, 49 * 3600 + 36 * 60 + 49.0);
  EXPECT_DOUBLE_EQ(*r[5].t, 30 * 3600 + 5 * 60 + 30.0);
  EXPECT_EQ(*r[5].done, 36133000u);
  EXPECT_DOUBLE_EQ(*r[5].tool_eta, 49 * 3600 + 40 * 60 + 41.0);
}

// The raw logs behind the gh-ost traces give the traces' rows (the #845 paste is newest
// first; the trace is in time order).
void expect_matches_trace(const std::string& name) {
  auto r = parse_file("traces/" + name + ".raw");
  std::stable_sort(r.begin(), r.end(), [](const progress_reading& a, const progress_reading& b) { return *a.t < *b.t; });
  const auto tr = copyeta::read_trace_csv_file(data_path("traces/" + name + ".csv"));
  ASSERT_EQ(r.size(), tr.rows.size()) << name;
  for (std::size_t i = 0; i < r.size(); ++i) {
    SCOPED_TRACE(name + " row " + std::to_string(i));
    EXPECT_DOUBLE_EQ(*r[i].t, *tr.rows[i].t);
    EXPECT_EQ(*r[i].done, *tr.rows[i].done);
    EXPECT_EQ(r[i].total, tr.rows[i].total);
    EXPECT_EQ(r[i].tool_eta.has_value(), tr.rows[i].tool_eta.has_value());
    if (r[i].tool_eta && tr.rows[i].tool_eta) {
      EXPECT_DOUBLE_EQ(*r[i].tool_eta, *tr.rows[i].tool_eta);
    }
  }
}

TEST(parsers_ghost, raw_logs_reproduce_their_traces) {
  expect_matches_trace("ghost_rowcopy_1_3B_rows_50h_ghost845");
  expect_matches_trace("ghost_rowcopy_4_8M_rows_ghost597");
  expect_matches_trace("ghost_rowcopy_590k_rows_ghost482");
  expect_matches_trace("ghost_rowcopy_72M_rows_eta_from_2pct_ghostpr29");
}

TEST(parsers_ghost, rejects_lookalikes) {
  ghost_parser p;
  EXPECT_FALSE(p.feed("Copy: 1/2 of the files"));
  EXPECT_FALSE(p.feed("Copy: 1.5/2; Applied: 3"));
  const auto r = p.feed("Copy: 0/0 100.0%; Applied: 0; Backlog: 0/1000; Time: 1s(total), 0s(copy); State: migrating; ETA: due");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->total, 0u);
  EXPECT_FALSE(r->tool_eta);
}

TEST(parsers_ghost, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("ghost_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
