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

using copyeta::progress_reading;

using copyeta::parsers::aws_s3_parser;

std::string data_path(const std::string& rel) { return std::string(COPYETA_TEST_DATA_DIR) + "/" + rel; }

// The file's lines, cut at '\n' and '\r' (the shared line_splitter is tested elsewhere);
// the leading "# source: ..." lines are provenance, not tool output.
std::vector<std::string> file_lines(const std::string& rel) {
  std::ifstream in(data_path(rel), std::ios::binary);
  EXPECT_TRUE(in.good()) << rel;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::vector<std::string> lines;
  std::string cur;
  bool head = true;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      if (!(head && cur.rfind("# ", 0) == 0)) {
        head = false;
        lines.push_back(cur);
      }
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

std::vector<progress_reading> feed_all(copyeta::line_parser& p, const std::vector<std::string>& lines) {
  std::vector<progress_reading> out;
  for (const auto& l : lines)
    if (auto r = p.feed(l)) out.push_back(*r);
  return out;
}

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
