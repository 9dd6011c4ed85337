#include "format_files.hpp"

#include <copyeta/parsers/tqdm.hpp>
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

using copyeta::parsers::tqdm_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  tqdm_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_tqdm, format_name) { EXPECT_EQ(tqdm_parser().format(), "tqdm"); }

TEST(parsers_tqdm, colab_bar_without_bar_characters) {
  const auto r = parse_file("formats/tqdm_1.txt");
  ASSERT_EQ(r.size(), 10u);
  EXPECT_DOUBLE_EQ(*r[0].t, 331.0);  // 05:31
  EXPECT_EQ(*r[0].done, 6080000000u);
  EXPECT_EQ(*r[0].total, 8580000000u);
  EXPECT_DOUBLE_EQ(*r[0].tool_eta, 8.0);
  EXPECT_EQ(*r[4].done, 6230000000u);
  EXPECT_DOUBLE_EQ(*r[9].t, 333.0);
  EXPECT_EQ(*r[9].done, 6430000000u);
  EXPECT_FALSE(r[9].percent_only);
}

TEST(parsers_tqdm, interleaved_bars_follow_one) {
  const auto r = parse_file("formats/tqdm_2.txt");
  ASSERT_FALSE(r.empty());
  // The first bar (model.safetensors, 892M) is followed; optimizer.pt and the twin
  // model.safetensors bar that is behind it are skipped.
  EXPECT_EQ(*r[0].done, 118000000u);
  for (std::size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(*r[i].total, 892000000u) << i;
    if (i > 0) {
      EXPECT_GE(*r[i].done, *r[i - 1].done) << i;
    }
  }
  EXPECT_EQ(*r[1].done, 127000000u);
  EXPECT_EQ(*r[2].done, 133000000u);
}

// The trace: percent units (n/100) -> the pct convention n * 1e6 of 1e8.
TEST(parsers_tqdm, raw_log_matches_its_trace) {
  const std::string name = "tqdm_gdrive_part_pct_2min_complete_cmrrecon2025";
  auto r = parse_file("traces/" + name + ".raw");
  // The trace collapses tqdm's repeated final line.
  while (r.size() >= 2 && *r[r.size() - 1].done == *r[r.size() - 2].done) r.pop_back();
  const auto tr = copyeta::read_trace_csv_file(data_path("traces/" + name + ".csv"));
  ASSERT_EQ(r.size(), tr.rows.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_DOUBLE_EQ(*r[i].t, *tr.rows[i].t);
    EXPECT_EQ(*r[i].total, 100u);
    EXPECT_EQ(*r[i].done * 1000000u, *tr.rows[i].done);
    ASSERT_EQ(r[i].tool_eta.has_value(), tr.rows[i].tool_eta.has_value());
    if (r[i].tool_eta) {
      EXPECT_DOUBLE_EQ(*r[i].tool_eta, *tr.rows[i].tool_eta);
    }
  }
}

TEST(parsers_tqdm, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("tqdm_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
