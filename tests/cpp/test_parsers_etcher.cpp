#include "format_files.hpp"

#include <copyeta/parsers/etcher.hpp>
#include <copyeta/progress_line.hpp>
#include <copyeta/trace.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace copyeta::testing;  // format_files.hpp

using copyeta::progress_reading;

using copyeta::parsers::etcher_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  etcher_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_etcher, format_name) { EXPECT_EQ(etcher_parser().format(), "etcher"); }

TEST(parsers_etcher, balena_flashing_lines) {
  auto r = parse_file("formats/etcher_log_1.txt");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[0].percent_only);
  EXPECT_EQ(*r[0].done, 7000000u);
  EXPECT_EQ(*r[0].total, 100000000u);
  EXPECT_DOUBLE_EQ(*r[0].tool_eta, 43.31586826347306);
  EXPECT_DOUBLE_EQ(*r[0].t, 0.0);
  EXPECT_EQ(*r[1].done, 9000000u);
  EXPECT_DOUBLE_EQ(*r[1].t, 0.0);  // same second
  r = parse_file("formats/etcher_log_2.txt");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(*r[0].done, 99000000u);
  EXPECT_DOUBLE_EQ(*r[0].tool_eta, 0.48855633802816906);
  EXPECT_EQ(*r[1].done, 47000000u);  // Etcher's own jump back, reported as printed
  EXPECT_DOUBLE_EQ(*r[1].t, 1.0);
  EXPECT_FALSE(r[1].tool_eta);  // "eta in 293." cut by the paste
}

void expect_matches_trace(const std::string& name, double eta_tol) {
  const auto r = parse_file("traces/" + name + ".raw");
  const auto tr = copyeta::read_trace_csv_file(data_path("traces/" + name + ".csv"));
  ASSERT_EQ(r.size(), tr.rows.size()) << name;
  for (std::size_t i = 0; i < r.size(); ++i) {
    SCOPED_TRACE(name + " row " + std::to_string(i));
    EXPECT_DOUBLE_EQ(*r[i].t, *tr.rows[i].t);
    EXPECT_EQ(*r[i].done, *tr.rows[i].done);
    EXPECT_EQ(r[i].total, tr.rows[i].total);
    ASSERT_EQ(r[i].tool_eta.has_value(), tr.rows[i].tool_eta.has_value());
    if (r[i].tool_eta) {
      EXPECT_NEAR(*r[i].tool_eta, *tr.rows[i].tool_eta, eta_tol);
    }
  }
}

TEST(parsers_etcher, raw_logs_match_their_traces) {
  expect_matches_trace("etcher_flash_pct_eta_etcher1689", 0);        // "Progress (write)" lines
  expect_matches_trace("etcher_flash_pct_eta_etcher2894", 0.005001);  // trace rounds to 0.01 s
}

TEST(parsers_etcher, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("etcher_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
