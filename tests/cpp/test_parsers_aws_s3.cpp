#include "format_files.hpp"

#include <copyeta/parsers/aws_s3.hpp>
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

using copyeta::parsers::aws_s3_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  aws_s3_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_aws_s3, format_name) { EXPECT_EQ(aws_s3_parser().format(), "aws_s3"); }

TEST(parsers_aws_s3, completed_lines) {
  const auto r = parse_file("formats/aws_s3_cp_1.txt");
  ASSERT_EQ(r.size(), 10u);
  EXPECT_EQ(*r[0].done, 11639194u);   // 11.1 MiB
  EXPECT_EQ(*r[0].total, 694471885u); // 662.3 MiB
  EXPECT_FALSE(r[0].t);
  EXPECT_FALSE(r[0].tool_eta);
  EXPECT_EQ(*r[9].done, 37434163u);   // 35.7 MiB
  EXPECT_EQ(*r[9].total, 694471885u);
}

TEST(parsers_aws_s3, estimated_total_and_lookalikes) {
  aws_s3_parser p;
  const auto r = p.feed("Completed 256.0 KiB/~1.2 GiB (1.1 MiB/s) with ~3 file(s) remaining (calculating...)");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->done, 262144u);
  EXPECT_EQ(*r->total, 1288490189u);
  EXPECT_FALSE(p.feed("Completed 3 of 5 tasks"));
}

TEST(parsers_aws_s3, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("aws_s3_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
