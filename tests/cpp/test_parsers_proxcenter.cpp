#include "format_files.hpp"

#include <copyeta/parsers/proxcenter.hpp>
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

using copyeta::parsers::proxcenter_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  proxcenter_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_proxcenter, format_name) { EXPECT_EQ(proxcenter_parser().format(), "proxcenter"); }

TEST(parsers_proxcenter, copying_messages_with_disk_totals) {
  const auto r = parse_file("formats/proxcenter_json_1.txt");
  ASSERT_EQ(r.size(), 49u);
  EXPECT_DOUBLE_EQ(*r[0].t, 0.0);
  EXPECT_EQ(*r[0].done, 200000000u);      // Disk 0: 0.2 GB
  EXPECT_EQ(*r[0].total, 20000000000u);   // its target: 20.0 GB
  EXPECT_NEAR(*r[1].t, 6564.774, 1e-6);   // 12:09:34.401 - 10:20:09.627
  EXPECT_EQ(*r[1].done, 1089200000000u);  // Disk 1: 1089.2 GB
  EXPECT_EQ(*r[1].total, 3174400000000u); // of 3174.4 GB
  EXPECT_NEAR(*r[48].t, 16811.779, 1e-6);  // 15:00:21.406 - 10:20:09.627
  EXPECT_EQ(*r[48].done, 2820200000000u);
}

TEST(parsers_proxcenter, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("proxcenter_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
