#include "format_files.hpp"

#include <copyeta/progress_line.hpp>
#include <copyeta/parsers/wget.hpp>
#include <copyeta/trace.hpp>

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

TEST(parsers_wget, bar_style) {
  copyeta::parsers::wget_parser parser;
  EXPECT_EQ(parser.format(), "wget");
  const auto got = parse_file(parser, "formats/wget_bar_1.txt");
  ASSERT_EQ(got.size(), 1u);  // not "Saving to:"
  const auto& r = got[0].reading;
  EXPECT_EQ(r.done, amount{240459448});    // 229.32M = 240459448.32
  EXPECT_EQ(r.total, amount{1068708658});  // 240459448 * 100 / 22.5 = 1068708657.8
  EXPECT_EQ(r.tool_eta, 483.0);            // "eta 8m 3s"
  EXPECT_FALSE(r.t);
}

TEST(parsers_wget, dot_default_50k_lines) {
  copyeta::parsers::wget_parser parser;
  const auto got = parse_file(parser, "formats/wget_dot_1.txt");
  ASSERT_EQ(got.size(), 16u);
  EXPECT_EQ(got[0].reading.done, amount{51200});  // 0K + 50 dots of 1 KiB
  EXPECT_FALSE(got[0].reading.total);             // 0%
  EXPECT_EQ(got[0].reading.tool_eta, 15.0);
  EXPECT_EQ(got[13].reading.done, amount{716800});     // 650K + 50K
  EXPECT_EQ(got[13].reading.total, amount{47786667});  // 716800 * 100 / 1.5
  EXPECT_EQ(got[13].reading.tool_eta, 5.0);
  EXPECT_EQ(got[15].reading.done, amount{819200});
  EXPECT_EQ(got[15].reading.total, amount{54613333});
  EXPECT_EQ(got[15].reading.tool_eta, 4.0);
}

TEST(parsers_wget, dot_with_decimal_comma_rates) {
  copyeta::parsers::wget_parser parser;
  const auto got = parse_file(parser, "formats/wget_dot_2.txt");
  ASSERT_EQ(got.size(), 4u);
  const amount done[] = {51200, 102400, 153600, 204800};
  const double eta[] = {15, 10, 8, 8};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(got[i].reading.done, done[i]);
    EXPECT_EQ(got[i].reading.tool_eta, eta[i]);
  }
}

TEST(parsers_wget, dot_giga_and_final_line_with_total_time) {
  copyeta::parsers::wget_parser parser;
  const auto got = parse_file(parser, "formats/wget_dot_3.txt");
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[0].reading.done, amount{33554432});    // 32 dots of 1 MiB
  EXPECT_EQ(got[0].reading.total, amount{203360194});  // 33554432 * 100 / 16.5
  EXPECT_EQ(got[0].reading.tool_eta, 15.0);
  EXPECT_EQ(got[4].reading.done, amount{167772160});   // 131072K + 32 MiB
  EXPECT_EQ(got[4].reading.tool_eta, 6.0);
  // "163840K ........ ........ ........ ....    100%  923K=65s" with a prompt glued on.
  EXPECT_EQ(got[5].reading.done, amount{197132288});   // 160 MiB + 28 MiB (a lower bound)
  EXPECT_EQ(got[5].reading.total, amount{197132288});  // 100%
  EXPECT_EQ(got[5].reading.t, 65.0);
  EXPECT_FALSE(got[5].reading.tool_eta);
}

TEST(parsers_wget, dot_mega_and_binary_are_told_apart_by_offsets) {
  const std::string line48 =
      " ........ ........ ........ ........ ........ ........  1% 1.00M 5m";
  {
    copyeta::parsers::wget_parser parser;  // dot:binary: 8 KiB per dot, 384 KiB per line
    auto r = parser.feed("     0K" + line48);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->done, amount{3145728});  // guessed dot:mega before a second line
    r = parser.feed("   384K" + line48);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->done, amount{786432});  // 384K + 48 * 8K
  }
  {
    copyeta::parsers::wget_parser parser;  // dot:mega: 64 KiB per dot, 3 MiB per line
    parser.feed("  3072K" + line48);
    const auto r = parser.feed("  6144K" + line48);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->done, amount{9437184});  // 6 MiB + 3 MiB
    parser.reset();
  }
}

TEST(parsers_wget, bar_end_unknown_size_and_saved_lines) {
  copyeta::parsers::wget_parser parser;
  auto r = parser.feed("install.iso         100%[===================>]   1.02G  5.21MB/s    in 3m 20s");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1095216660});  // 1.02 * 2^30 = 1095216660.48
  EXPECT_EQ(r->total, r->done);
  EXPECT_EQ(r->t, 200.0);
  r = parser.feed("index.html              [  <=>               ]  12.34K  --.-KB/s");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{12636});  // 12.34 KiB = 12636.16
  EXPECT_FALSE(r->total);
  r = parser.feed(" 45% [=======>          ] 240,456,789  5.21M/s  eta 8m 3s");  // wget 1.12
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{240456789});
  r = parser.feed("2019-02-03 12:00:00 (10.1 MB/s) - 'install.iso' saved [1095216660/1095216660]");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1095216660});
  EXPECT_EQ(r->total, amount{1095216660});
  r = parser.feed("2019-02-03 12:00:00 (10.1 MB/s) - 'index.html' saved [12636]");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{12636});
  EXPECT_FALSE(r->total);
}

TEST(parsers_wget, rejects_other_lines) {
  copyeta::parsers::wget_parser parser;
  for (const std::string_view line :
       {"", "Saving to: 'install.iso'", "HTTP request sent, awaiting response... 200 OK",
        "Length: unspecified [text/html]", "Length: 12 bytes",
        "install.iso 22%[abc] 229.32M 5.21MB/s", "install.iso [=====>   ] 229.32M 5.21MB/s",
        "install.iso 22%[=====>   ] 229.32M 5.21MB/s later 3s", "0K ...... 5%",
        "     0K .......... .......... 0% 4.40M 15s extra"})
    EXPECT_FALSE(parser.feed(line)) << line;
}

// The wget traces derive t (wget prints none per update) but take bytes and totals from the
// raw logs: fed each raw log, the parser gives every trace row's bytes_done, in order, with the
// trace's bytes_total (from "Length:", which replaces the percent estimate), including the
// resume anchors ("Connection closed at byte N", "Length: N, R remaining") and the resumed
// lines drawn with '+' (bar) or ',' (dots).
TEST(parsers_wget, every_wget_trace_equals_its_raw_log) {
  const std::string dir = std::string(COPYETA_TEST_DATA_DIR) + "/traces/";
  for (const std::string name :
       {"wget_bar_237MiB_stall_then_burst_2m31s_tderived_complete_akdh",
        "wget_bar_43MiB_resumed_slow_link_49min_tderived_complete_cyclegan",
        "wget_bar_coco_ann_241MiB_34s_tderived_complete_4ds",
        "wget_dot_physionet_edf_40MiB_resumed_stall_at_98pct_13m_tderived_complete_bfipipeline",
        "wget_dot_physionet_edf_40MiB_slow_rising_18m7s_tderived_complete_bfipipeline",
        "wget_dot_physionet_edf_40MiB_slowdown_midway_6m10s_tderived_complete_bfipipeline",
        "wget_dot_physionet_edf_40MiB_speedup_late_9m5s_tderived_complete_bfipipeline"}) {
    copyeta::parsers::wget_parser parser;
    const auto trace = copyeta::read_trace_csv_file(dir + name + ".csv");
    const auto got = parse_file(parser, "traces/" + name + ".raw");
    std::size_t pos = 0;
    for (const auto& row : trace.rows) {
      std::size_t k = pos;
      while (k < got.size() && got[k].reading.done != row.done) ++k;
      ASSERT_LT(k, got.size()) << name << ": trace line " << row.line << " not found in order";
      EXPECT_EQ(got[k].reading.total, row.total) << name << ": " << got[k].line;
      pos = k + 1;
    }
    // The last reading is the "saved [N/N]" line: the exact end.
    EXPECT_EQ(got.back().reading.done, trace.rows.back().done) << name;
    EXPECT_EQ(got.back().reading.total, trace.rows.back().total) << name;
  }
}

TEST(parsers_wget, length_resume_and_new_request_lines) {
  copyeta::parsers::wget_parser parser;
  auto r = parser.feed("Length: 45575747 (43M) [application/octet-stream]");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->done);
  EXPECT_EQ(r->total, amount{45575747});
  // The exact total replaces the percent estimate.
  r = parser.feed("file.pth   9%[+++++====>        ]   4.10M  19.0KB/s    eta 62m 3s");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{4299162});  // 4.10 MiB = 4299161.6
  EXPECT_EQ(r->total, amount{45575747});
  EXPECT_EQ(r->tool_eta, 3723.0);
  r = parser.feed("2023-08-07 17:18:33 (8.72 KB/s) - Connection closed at byte 2165001. Retrying.");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{2165001});
  EXPECT_EQ(r->total, amount{45575747});
  r = parser.feed("Length: 42399744 (40M), 37566827 (36M) remaining [application/octet-stream]");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{4832917});
  EXPECT_EQ(r->total, amount{42399744});
  r = parser.feed("  4700K ,,,,,,,,,, ,,,,,,,,,. .......... .......... .......... 11%  103K 9m46s");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{4864000});  // 4700K + 50 KiB, the ',' included
  EXPECT_EQ(r->total, amount{42399744});
  EXPECT_EQ(r->tool_eta, 586.0);
  EXPECT_FALSE(parser.feed("--2023-08-07 17:18:34--  (try: 2)  http://example.org/x.pth"));
  r = parser.feed("     0K .......... .......... .......... .......... ..........  1% 1.00M 5s");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total, amount{3413333});  // a new request: the percent estimate again (51200 / 1.5%)
  EXPECT_FALSE(parser.feed("Length: unspecified [text/html]"));
}

}  // namespace
