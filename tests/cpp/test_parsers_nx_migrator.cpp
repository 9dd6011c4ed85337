#include "format_files.hpp"

#include <copyeta/parsers/nx_migrator.hpp>
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

using copyeta::parsers::nx_migrator_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  nx_migrator_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_nx_migrator, format_name) { EXPECT_EQ(nx_migrator_parser().format(), "nx_migrator"); }

TEST(parsers_nx_migrator, copying_lines_with_log_time) {
  const auto r = parse_file("formats/nx_migrator_1.txt");
  ASSERT_EQ(r.size(), 10u);  // the "completed" and "Data copied" lines are not progress
  EXPECT_DOUBLE_EQ(*r[0].t, 0.0);
  EXPECT_EQ(*r[0].done, 44098576712u);   // 41.07 GB, 1024-based
  EXPECT_EQ(*r[0].total, 44506598605u);  // 41.45 GB
  EXPECT_NEAR(*r[1].t, 2.099, 1e-6);     // 17:34:26,727 - 17:34:24,628
  EXPECT_EQ(*r[6].done, *r[6].total);    // 41.45 / 41.45
  EXPECT_NEAR(*r[9].t, 19.84, 1e-6);
  EXPECT_FALSE(r[9].tool_eta);
}

TEST(parsers_nx_migrator, sector_copy_with_eta) {
  const auto r = parse_file("formats/nx_migrator_2.txt");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(*r[0].done, 12916359168u);  // 12318.0 MB
  EXPECT_EQ(*r[0].total, 12916359168u);
  EXPECT_DOUBLE_EQ(*r[0].tool_eta, 0.0);  // "0m 0s"
  EXPECT_DOUBLE_EQ(*r[0].t, 0.0);
}

// The trace's t has another origin (the end minus "completed in 1872.5 seconds") and clamps
// the 41.45 display to the exact byte count: same time steps, same bytes up to 0.005 GiB.
TEST(parsers_nx_migrator, raw_log_matches_its_trace) {
  const std::string name = "nx_migrator_windows_copy_41GiB_complete_nxmigrator10";
  const auto r = parse_file("traces/" + name + ".raw");
  const auto tr = copyeta::read_trace_csv_file(data_path("traces/" + name + ".csv"));
  ASSERT_EQ(r.size() + 1, tr.rows.size());  // + the trace's completion row
  for (std::size_t i = 0; i < r.size(); ++i) {
    EXPECT_NEAR(*r[i].t, *tr.rows[i].t - *tr.rows[0].t, 1e-6) << i;
    EXPECT_LE(std::fabs(static_cast<double>(*r[i].done) - static_cast<double>(*tr.rows[i].done)),
              0.005 * 1073741824.0) << i;
  }
}

TEST(parsers_nx_migrator, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("nx_migrator_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
