#include "format_files.hpp"

#include <copyeta/parsers/s3p.hpp>
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

using copyeta::parsers::s3p_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  s3p_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_s3p, format_name) { EXPECT_EQ(s3p_parser().format(), "s3p"); }

TEST(parsers_s3p, zero_bytes_until_the_first_object) {
  const auto r = parse_file("formats/s3p_1.txt");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_DOUBLE_EQ(*r[0].t, 1.006);  // "1s 6ms"
  EXPECT_EQ(*r[0].done, 0u);         // "0_B"
  EXPECT_EQ(*r[0].total, 8760000000u);
  EXPECT_DOUBLE_EQ(*r[4].t, 5.013);
}

TEST(parsers_s3p, large_job) {
  const auto r = parse_file("formats/s3p_2.txt");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_DOUBLE_EQ(*r[0].t, 1829.0);  // "30m 29s"
  EXPECT_EQ(*r[0].done, 21680000000000u);
  EXPECT_EQ(*r[0].total, 22770000000000u);
  EXPECT_DOUBLE_EQ(*r[4].t, 1833.0);
}

TEST(parsers_s3p, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("s3p_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
