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

using copyeta::progress_reading;

using copyeta::parsers::s3p_parser;

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
