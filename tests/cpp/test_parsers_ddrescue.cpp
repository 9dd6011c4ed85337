#include "format_files.hpp"

#include <copyeta/parsers/ddrescue.hpp>
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
using copyeta::parsers::ddrescue_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  ddrescue_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_ddrescue, format_name) { EXPECT_EQ(ddrescue_parser().format(), "ddrescue"); }

TEST(parsers_ddrescue, one_reading_per_screen) {
  const auto r = parse_file("formats/ddrescue_1.txt");
  ASSERT_EQ(r.size(), 2u);  // the mapfile's "Initial status" line is not a screen
  EXPECT_DOUBLE_EQ(*r[0].t, 68878.0);              // 19h  7m 58s
  EXPECT_EQ(*r[0].done, 999690000000u);            // 999690 MB, decimal
  EXPECT_EQ(*r[0].total, 1000204522000u);          // + 511377 kB non-tried + 3145 kB non-trimmed
  EXPECT_DOUBLE_EQ(*r[0].tool_eta, 8.0);
  EXPECT_DOUBLE_EQ(*r[1].t, 69136.0);              // 19h 12m 16s
  // "rescued: 1000 GB" is 1 GB coarse; total (kept from screen 1) minus the 114491 kB
  // non-tried and 4849 kB non-trimmed is finer.
  EXPECT_EQ(*r[1].total, 1000204522000u);
  EXPECT_EQ(*r[1].done, 1000085182000u);
  EXPECT_DOUBLE_EQ(*r[1].tool_eta, 43.0);
  EXPECT_FALSE(r[1].percent_only);
}

// The raw screens behind the trace: same times and tool ETAs; amounts within the display
// rounding of the trace's (which takes "rescued" as printed and the image size from fdisk).
TEST(parsers_ddrescue, raw_log_matches_its_trace) {
  const std::string name = "ddrescue_1TB_failing_hdd_tail_niksko";
  const auto r = parse_file("traces/" + name + ".raw");
  const auto tr = copyeta::read_trace_csv_file(data_path("traces/" + name + ".csv"));
  ASSERT_EQ(r.size(), tr.rows.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_DOUBLE_EQ(*r[i].t, *tr.rows[i].t);
    EXPECT_EQ(r[i].tool_eta.has_value(), tr.rows[i].tool_eta.has_value());
    if (r[i].tool_eta && tr.rows[i].tool_eta) {
      EXPECT_DOUBLE_EQ(*r[i].tool_eta, *tr.rows[i].tool_eta);
    }
    EXPECT_LE(std::fabs(static_cast<double>(*r[i].done) - static_cast<double>(*tr.rows[i].done)), 1e9);
    EXPECT_LE(std::fabs(static_cast<double>(*r[i].total) - static_cast<double>(*tr.rows[i].total)), 1e6);
    EXPECT_LE(*r[i].done, *r[i].total);
  }
  EXPECT_EQ(*r[2].done, 1000204522000u - 17629000u);  // only 17629 kB non-trimmed left
  EXPECT_EQ(*r[7].done, 1000204522000u - 2291000u);   // 2291 kB bad-sector left
  EXPECT_DOUBLE_EQ(*r[5].t, 86400 + 5 * 3600 + 45 * 60.0);  // " 1d  5h 45m"
  EXPECT_FALSE(r[6].tool_eta);                               // "n/a"
}

TEST(parsers_ddrescue, old_screen_without_remaining_time) {
  ddrescue_parser p;
  EXPECT_FALSE(p.feed("rescued:   123456 kB,  errsize:       0 B,  current rate:    5242 kB/s"));
  EXPECT_FALSE(p.feed("   ipos:   123456 kB,   errors:       0,    average rate:    4999 kB/s"));
  const auto r = p.feed("   opos:   123456 kB,     time from last successful read:       0 s");
  EXPECT_FALSE(r);  // 1.1x prints no run time: nothing to time the reading with
  EXPECT_FALSE(p.feed("rescued:   200 MB,  errsize: 0 B,  current rate: 5 MB/s"));
  EXPECT_FALSE(p.feed("   ipos:   200 MB,   errors: 0,    average rate: 4999 kB/s"));
  const auto r2 = p.feed("   opos:   200 MB,     run time:       40 s,  successful read:       0 s ago");
  ASSERT_TRUE(r2);
  EXPECT_DOUBLE_EQ(*r2->t, 40.0);
  EXPECT_EQ(*r2->done, 200000000u);
  EXPECT_FALSE(r2->total);
}

TEST(parsers_ddrescue, terminal_redraws) {
  ddrescue_parser p;
  EXPECT_FALSE(p.feed("\x1b[6A     ipos:    2293 kB, non-trimmed:        0 B,  current rate:   2490 kB/s"));
  EXPECT_FALSE(p.feed("     opos:    2293 kB, non-scraped:        0 B,  average rate:  14405 kB/s"));
  EXPECT_FALSE(p.feed("non-tried:    8000 kB,  bad-sector:        0 B,    error rate:       0 B/s"));
  EXPECT_FALSE(p.feed("  rescued:    2000 kB,   bad areas:        0,        run time:          2s"));
  const auto r = p.feed("pct rescued:   20.00%, read errors:        0,  remaining time:          4s");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->done, 2000000u);
  EXPECT_EQ(*r->total, 10000000u);
  EXPECT_DOUBLE_EQ(*r->t, 2.0);
  EXPECT_DOUBLE_EQ(*r->tool_eta, 4.0);
}

TEST(parsers_ddrescue, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("ddrescue_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
