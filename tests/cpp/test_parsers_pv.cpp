#include "format_files.hpp"

#include <copyeta/progress_line.hpp>
#include <copyeta/parsers/pv.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace copyeta::testing;  // format_files.hpp

using copyeta::amount;

TEST(parsers_pv, default_display_with_percent) {
  copyeta::parsers::pv_parser parser;
  EXPECT_EQ(parser.format(), "pv");
  const auto got = parse_file(parser, "formats/pv_default_1.txt");
  ASSERT_EQ(got.size(), 3u);  // not the syncoid command line
  EXPECT_EQ(got[0].reading.done, amount{2806});  // 2.74 KiB = 2805.76
  EXPECT_EQ(got[0].reading.t, 0.0);
  EXPECT_EQ(got[0].reading.total, amount{4096});  // 2806 * 100 / 68.5 = 4096.35
  EXPECT_EQ(got[1].reading.done, amount{6103});   // 5.96 KiB = 6103.04
  EXPECT_EQ(got[1].reading.total, amount{7978});  // 6103 * 100 / 76.5 = 7977.78
  EXPECT_EQ(got[2].reading.done, amount{290455552});   // 277 MiB
  EXPECT_EQ(got[2].reading.t, 1.0);
  EXPECT_EQ(got[2].reading.total, amount{291915128});  // / 0.995
  for (const auto& g : got) EXPECT_FALSE(g.reading.tool_eta);
}

TEST(parsers_pv, default_display_with_eta_in_days) {
  copyeta::parsers::pv_parser parser;
  const auto got = parse_file(parser, "formats/pv_default_2.txt");
  ASSERT_EQ(got.size(), 1u);
  const auto& r = got[0].reading;
  EXPECT_EQ(r.done, amount{5443871048u});       // 5.07 GiB = 5443871047.68
  EXPECT_EQ(r.t, 4626.0);                       // 1:17:06
  EXPECT_EQ(r.tool_eta, 141983.0);              // 1:15:26:23
  EXPECT_EQ(r.total, amount{83751862277u});     // 5443871048 * 100 / 6.5
}

TEST(parsers_pv, unknown_size_has_no_total) {
  copyeta::parsers::pv_parser parser;
  const auto got = parse_file(parser, "formats/pv_default_3.txt");
  ASSERT_EQ(got.size(), 2u);  // not the shell's "84% cpu" timing lines
  EXPECT_EQ(got[0].reading.done, amount{6506875453u});  // 6.06 GiB
  EXPECT_EQ(got[0].reading.t, 9.0);
  EXPECT_FALSE(got[0].reading.total);
  EXPECT_EQ(got[1].reading.done, amount{21705523});  // 20.7 MiB = 21705523.2
  EXPECT_EQ(got[1].reading.t, 29.0);
}

TEST(parsers_pv, stalled_at_zero_after_ctrl_c) {
  copyeta::parsers::pv_parser parser;
  const auto got = parse_file(parser, "formats/pv_default_4.txt");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].reading.done, amount{0});
  EXPECT_EQ(got[0].reading.t, 6514.0);  // 1:48:34
}

TEST(parsers_pv, timer_format_lines_as_they_land_in_a_log) {
  copyeta::parsers::pv_parser parser;
  // The file shows pv's '\r' as "^M" (and pv's uninterpreted "\n" literally): restore the '\r'.
  std::string text = read_data("formats/pv_timer_format_1.txt");
  for (std::size_t at; (at = text.find("^M")) != std::string::npos;) text.replace(at, 2, "\r");
  const auto got = parse_text(parser, text);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].reading.t, 1.0);
  EXPECT_EQ(got[0].reading.done, amount{3732931});   // 3.56 MiB = 3732930.56
  EXPECT_EQ(got[1].reading.t, 2.0);
  EXPECT_EQ(got[1].reading.done, amount{7465861});   // 7.12 MiB = 7465861.12
  EXPECT_EQ(got[2].reading.t, 3.0);
  EXPECT_EQ(got[2].reading.done, amount{11219763});  // 10.7 MiB = 11219763.2
  for (const auto& g : got) EXPECT_FALSE(g.reading.total);
}

TEST(parsers_pv, numeric_mode) {
  copyeta::parsers::pv_parser parser;
  auto r = parser.feed("45");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->percent_only);
  EXPECT_EQ(r->done, amount{45000000});
  EXPECT_EQ(r->total, amount{100000000});
  EXPECT_FALSE(r->t);
  r = parser.feed("12.503 100");  // pv -n -t
  ASSERT_TRUE(r);
  EXPECT_EQ(r->t, 12.503);
  EXPECT_EQ(r->done, amount{100000000});
  r = parser.feed("2.000 1048576");  // pv -n -t -b: above 100, a byte count
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->percent_only);
  EXPECT_EQ(r->done, amount{1048576});
  EXPECT_FALSE(r->total);
}

TEST(parsers_pv, old_units_and_eta) {
  copyeta::parsers::pv_parser parser;
  auto r = parser.feed(" 512kB 0:00:02 [ 256kB/s] [====>     ] 50% ETA 0:00:02");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{524288});  // pv's kB are 1024-based
  EXPECT_EQ(r->tool_eta, 2.0);
  EXPECT_EQ(r->t, 2.0);
  r = parser.feed("1.00GiB [ 100MiB/s]");  // -b -r: no timer, a rate
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1073741824});
}

TEST(parsers_pv, rejects_what_is_not_pv) {
  copyeta::parsers::pv_parser parser;
  for (const std::string_view line :
       {"", "Killed by signal 2.", "2.74KiB", "0:00:01", "101%", "-5", "1.5",
        "2.74KiB 0:00:00 [33.0KiB/s] [=====>] 168%", "2.74KiB 0:00:00 [33.0KiB/s] [abc]",
        "2.74KiB 0:00:00 [33.0KiB/s] 12 apples",
        "zfs send $src  0.00s user 8.13s system 84% cpu 9.647 total"})
    EXPECT_FALSE(parser.feed(line)) << line;
}

}  // namespace
