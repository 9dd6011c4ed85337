#include "format_files.hpp"

#include <copyeta/parsers/ovirt_img.hpp>
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

using copyeta::parsers::ovirt_img_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  ovirt_img_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_ovirt_img, format_name) { EXPECT_EQ(ovirt_img_parser().format(), "ovirt_img"); }

TEST(parsers_ovirt_img, json_lines_match_their_trace) {
  const auto r = parse_file("formats/ovirt_img_json_1.txt");
  ASSERT_EQ(r.size(), 12u);
  EXPECT_DOUBLE_EQ(*r[0].t, 23.73800786100037);
  EXPECT_EQ(*r[0].done, 30729568256u);
  EXPECT_EQ(*r[0].total, 53687091200u);
  EXPECT_EQ(*r[5].done, 39974141952u);
  EXPECT_DOUBLE_EQ(*r[5].t, 24.983628141002555);
  EXPECT_DOUBLE_EQ(*r[11].t, 29.166903694997018);  // cut after "elapsed": no size
  EXPECT_EQ(*r[11].done, 43066851328u);
  EXPECT_FALSE(r[11].total);
  const auto tr = copyeta::read_trace_csv_file(data_path("traces/ovirt_img_download_50GiB_json_ovirtimageio160.csv"));
  ASSERT_EQ(tr.rows.size(), r.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    EXPECT_DOUBLE_EQ(*r[i].t, *tr.rows[i].t) << i;
    EXPECT_EQ(*r[i].done, *tr.rows[i].done) << i;
    if (i + 1 < r.size()) {
      EXPECT_EQ(r[i].total, tr.rows[i].total) << i;
    }
  }
}

TEST(parsers_ovirt_img, text_bar_gives_percent_with_time) {
  const auto r = parse_file("formats/ovirt_img_text_1.txt");
  ASSERT_EQ(r.size(), 14u);  // "[ ---- ]" (no size yet) and the cut last line give nothing
  EXPECT_TRUE(r[0].percent_only);
  EXPECT_EQ(*r[0].done, 0u);
  EXPECT_EQ(*r[0].total, 100000000u);
  EXPECT_DOUBLE_EQ(*r[0].t, 0.06);
  EXPECT_EQ(*r[8].done, 44000000u);
  EXPECT_DOUBLE_EQ(*r[8].t, 0.25);
  EXPECT_EQ(*r[13].done, 66000000u);
  EXPECT_DOUBLE_EQ(*r[13].t, 0.70);
}

TEST(parsers_ovirt_img, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("ovirt_img_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
