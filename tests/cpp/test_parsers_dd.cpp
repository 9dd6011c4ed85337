#include "format_files.hpp"

#include <copyeta/progress_line.hpp>
#include <copyeta/parsers/dd.hpp>
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

TEST(parsers_dd, status_progress_1_tty_less_lines_one_per_second) {
  copyeta::parsers::dd_parser parser;
  EXPECT_EQ(parser.format(), "dd");
  const auto got = parse_file(parser, "formats/dd_status_progress_1.txt");
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0].reading.done, amount{117579644928u});
  EXPECT_EQ(got[0].reading.t, 3058.0);
  EXPECT_EQ(got[2].reading.done, amount{117648424960u});
  EXPECT_EQ(got[2].reading.t, 3060.0);
  EXPECT_EQ(got[4].reading.done, amount{117659926528u});
  EXPECT_EQ(got[4].reading.t, 3062.0);
  for (const auto& g : got) {
    EXPECT_FALSE(g.reading.total);  // dd never prints one
    EXPECT_FALSE(g.reading.tool_eta);
    EXPECT_FALSE(g.reading.percent_only);
  }
}

// The format file and the trace come from the same log: the parsed lines equal the trace rows.
TEST(parsers_dd, status_progress_1_equals_the_psbbn87_trace_rows) {
  copyeta::parsers::dd_parser parser;
  const auto trace = copyeta::read_trace_csv_file(std::string(COPYETA_TEST_DATA_DIR) +
                                                  "/traces/dd_progress_psbbn87_120GB_fsync_tail.csv");
  const auto got = parse_file(parser, "formats/dd_status_progress_1.txt");
  std::size_t matched = 0;
  for (const auto& g : got)
    for (const auto& row : trace.rows)
      if (row.t == g.reading.t) {
        EXPECT_EQ(row.done, g.reading.done) << g.line;
        ++matched;
      }
  EXPECT_EQ(matched, got.size());
}

// The whole raw log of that trace parses into exactly the trace's rows (t and bytes_done).
TEST(parsers_dd, psbbn87_raw_log_gives_every_trace_row) {
  copyeta::parsers::dd_parser parser;
  const auto trace = copyeta::read_trace_csv_file(std::string(COPYETA_TEST_DATA_DIR) +
                                                  "/traces/dd_progress_psbbn87_120GB_fsync_tail.csv");
  const auto got = parse_file(parser, "traces/dd_progress_psbbn87_120GB_fsync_tail.raw");
  ASSERT_EQ(got.size(), trace.rows.size());
  ASSERT_EQ(got.size(), 348u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].reading.t, trace.rows[i].t) << got[i].line;
    EXPECT_EQ(got[i].reading.done, trace.rows[i].done) << got[i].line;
  }
  EXPECT_EQ(got.back().reading.t, 5161.69);  // the final summary, after the page-cache flush
}

TEST(parsers_dd, status_progress_2_last_line_and_final_summary) {
  copyeta::parsers::dd_parser parser;
  const auto got = parse_file(parser, "formats/dd_status_progress_2.txt");
  ASSERT_EQ(got.size(), 2u);  // "262144+0 records in/out" are not readings
  EXPECT_EQ(got[0].reading.done, amount{133677568u});
  EXPECT_EQ(got[0].reading.t, 129.0);
  EXPECT_EQ(got[1].reading.done, amount{134217728u});
  EXPECT_EQ(got[1].reading.t, 129.408);
}

TEST(parsers_dd, status_progress_3_enospc_and_fractional_summary) {
  copyeta::parsers::dd_parser parser;
  const auto got = parse_file(parser, "formats/dd_status_progress_3.txt");
  ASSERT_EQ(got.size(), 2u);  // not the error line, not "real 145m9.250s"
  EXPECT_EQ(got[0].reading.done, amount{32713724928u});
  EXPECT_EQ(got[0].reading.t, 8594.0);
  EXPECT_EQ(got[1].reading.done, amount{32717537280u});
  EXPECT_EQ(got[1].reading.t, 8709.25);
}

TEST(parsers_dd, status_progress_4_gnu_and_uutils) {
  copyeta::parsers::dd_parser parser;
  const auto got = parse_file(parser, "formats/dd_status_progress_4.txt");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].reading.done, amount{5767469056u});
  EXPECT_EQ(got[0].reading.t, 4.0);
  EXPECT_EQ(got[1].reading.done, amount{403468800u});  // uutils: "1.0 s"
  EXPECT_EQ(got[1].reading.t, 1.0);
}

TEST(parsers_dd, small_counts_bsd_and_prefixes) {
  copyeta::parsers::dd_parser parser;
  auto r = parser.feed("512 bytes copied, 0.00123 s, 416 kB/s");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{512});
  EXPECT_EQ(r->t, 0.00123);
  r = parser.feed("1 byte copied, 0.0001 s, 10.0 kB/s");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1});
  r = parser.feed("1048576 bytes transferred in 0.012345 secs (84939351 bytes/sec)");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1048576});
  EXPECT_EQ(r->t, 0.012345);
  r = parser.feed("2024-01-01 12:00:00 7 bytes (7 B, 7 B) copied, 1 s, 7 B/s");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{7});
  // The count is exact to 2^64 - 1, and fails above.
  r = parser.feed("18446744073709551615 bytes (18 EB, 16 EiB) copied, 1 s, 1 EB/s");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{18446744073709551615u});
  EXPECT_FALSE(parser.feed("18446744073709551616 bytes (18 EB, 16 EiB) copied, 1 s, 1 EB/s"));
}

TEST(parsers_dd, rejects_what_is_not_a_progress_line) {
  copyeta::parsers::dd_parser parser;
  for (const std::string_view line :
       {"", "262144+0 records in", "262144+0 records out",
        "dd: writing to '/dev/sdc': No space left on device",
        "sent 3,466,268,276 bytes  received 35 bytes  3,481,937.03 bytes/sec",
        "total size is 3,607,855,104  speedup is 1.04", "12.5 bytes (1 kB) copied, 1 s, 1 kB/s",
        "-5 bytes copied, 1 s, 1 kB/s", "12 bytes (1 kB) copied, x s, 1 kB/s",
        "12 bytes copied, 3 seconds", "x12 bytes copied, 1 s, 12 B/s",
        "12 bytes junk copied, 1 s, 12 B/s"})
    EXPECT_FALSE(parser.feed(line)) << line;
}

// The lluv trace rounds dd's "1.00505 s" to milliseconds; the bytes are exact.
TEST(parsers_dd, lluv_raw_log_gives_every_trace_row) {
  copyeta::parsers::dd_parser parser;
  const auto trace = copyeta::read_trace_csv_file(
      std::string(COPYETA_TEST_DATA_DIR) + "/traces/dd_progress_usb_iso_3_1GB_115MBps_complete_lluv.csv");
  const auto got = parse_file(parser, "traces/dd_progress_usb_iso_3_1GB_115MBps_complete_lluv.raw");
  ASSERT_EQ(got.size(), trace.rows.size());
  ASSERT_EQ(got.size(), 27u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_TRUE(got[i].reading.t && trace.rows[i].t);
    EXPECT_NEAR(*got[i].reading.t, *trace.rows[i].t, 0.0005) << got[i].line;
    EXPECT_EQ(got[i].reading.done, trace.rows[i].done) << got[i].line;
  }
}

}  // namespace
