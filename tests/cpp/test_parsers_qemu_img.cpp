#include "format_files.hpp"

#include <copyeta/parsers/qemu_img.hpp>
#include <copyeta/progress_line.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace copyeta::testing;  // format_files.hpp

using copyeta::progress_reading;
using copyeta::parsers::qemu_img_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  qemu_img_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_qemu_img, format_name) { EXPECT_EQ(qemu_img_parser().format(), "qemu_img"); }

TEST(parsers_qemu_img, final_percent_of_each_paste) {
  for (const char* file : {"formats/qemu_img_convert_p_1.txt", "formats/qemu_img_convert_p_2.txt",
                           "formats/qemu_img_convert_p_3.txt"}) {
    SCOPED_TRACE(file);
    const auto r = parse_file(file);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].percent_only);
    EXPECT_EQ(*r[0].done, 100000000u);
    EXPECT_EQ(*r[0].total, 100000000u);
    EXPECT_FALSE(r[0].t);
    EXPECT_FALSE(r[0].tool_eta);
  }
}

TEST(parsers_qemu_img, carriage_return_redraws) {
  // qemu-img redraws with '\r'; each piece is one line for the parser.
  std::vector<std::string> lines;
  std::string cur;
  for (char c : std::string("    (0.00/100%)\r    (1.01/100%)\r    (57.25/100%)\r    (100.00/100%)\n")) {
    if (c == '\r' || c == '\n') {
      lines.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  qemu_img_parser p;
  const auto r = feed_all(p, lines);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(*r[0].done, 0u);
  EXPECT_EQ(*r[1].done, 1010000u);
  EXPECT_EQ(*r[2].done, 57250000u);  // the pct convention: 57.25% -> 57,250,000 of 1e8
  EXPECT_EQ(*r[3].done, 100000000u);
}

TEST(parsers_qemu_img, rejects_lookalikes) {
  qemu_img_parser p;
  EXPECT_FALSE(p.feed("(100.00/100%) done"));
  EXPECT_FALSE(p.feed("(/100%)"));
  EXPECT_FALSE(p.feed("(101.00/100%)"));
  EXPECT_FALSE(p.feed("(1.5.2/100%)"));
  EXPECT_FALSE(p.feed("progress (12/100)"));
}

TEST(parsers_qemu_img, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("qemu_img_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
