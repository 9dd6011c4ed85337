#include "format_files.hpp"

#include <copyeta/progress_line.hpp>
#include <copyeta/parsers/rsync.hpp>

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

TEST(parsers_rsync, info_progress2_human_sizes_with_elapsed_time) {
  copyeta::parsers::rsync_parser parser;
  EXPECT_EQ(parser.format(), "rsync");
  const auto got = parse_file(parser, "formats/rsync_info_progress2_1.txt");
  ASSERT_EQ(got.size(), 1u);
  const auto& r = got[0].reading;
  EXPECT_EQ(r.done, amount{110572339});      // 105.45 * 2^20 = 110572339.2
  EXPECT_EQ(r.total, amount{819054363});     // 110572339 * 100 / 13.5
  EXPECT_EQ(r.t, 170.0);                     // the "(xfr#" line's time is the elapsed time
  EXPECT_FALSE(r.tool_eta);
  EXPECT_FALSE(r.percent_only);
}

TEST(parsers_rsync, info_progress2_exact_bytes_final_99_percent) {
  copyeta::parsers::rsync_parser parser;
  const auto got = parse_file(parser, "formats/rsync_info_progress2_2.txt");
  ASSERT_EQ(got.size(), 1u);  // not the "[fs copy]" lines
  const auto& r = got[0].reading;
  EXPECT_EQ(r.done, amount{15446610948u});
  EXPECT_EQ(r.total, amount{15524232109u});  // 15446610948 * 100 / 99.5 = 15524232108.54
  EXPECT_EQ(r.t, 1406.0);                    // 0:23:26
}

TEST(parsers_rsync, per_file_lines_exact_sizes) {
  copyeta::parsers::rsync_parser parser;
  const auto got = parse_file(parser, "formats/rsync_progress_1.txt");
  ASSERT_EQ(got.size(), 4u);
  const amount sizes[] = {44179, 106792, 5532, 3513782};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(got[i].reading.done, sizes[i]);
    EXPECT_EQ(got[i].reading.total, sizes[i]);  // 100%: the file is done
    EXPECT_FALSE(got[i].reading.t);             // one file's time, not the transfer's
    EXPECT_FALSE(got[i].reading.tool_eta);
  }
}

TEST(parsers_rsync, per_file_single_file_and_summary_lines) {
  copyeta::parsers::rsync_parser parser;
  const auto got = parse_file(parser, "formats/rsync_progress_2.txt");
  ASSERT_EQ(got.size(), 1u);  // "sent ... bytes", "total size is ..." are not readings
  EXPECT_EQ(got[0].reading.done, amount{3607855104u});
  EXPECT_EQ(got[0].reading.total, amount{3607855104u});
}

TEST(parsers_rsync, per_file_human_sizes_are_1024_based) {
  copyeta::parsers::rsync_parser parser;
  const auto got = parse_file(parser, "formats/rsync_progress_3.txt");
  ASSERT_EQ(got.size(), 3u);  // the file names between them are not readings
  EXPECT_EQ(got[0].reading.done, amount{17165189});  // 16.37 * 2^20 = 17165189.12
  EXPECT_EQ(got[1].reading.done, amount{1740636});   // 1.66 * 2^20 = 1740636.16
  EXPECT_EQ(got[2].reading.done, amount{17165189});
  EXPECT_EQ(got[2].reading.total, amount{17165189});
}

TEST(parsers_rsync, in_progress_lines_carry_the_eta) {
  copyeta::parsers::rsync_parser parser;
  auto r = parser.feed("      1,234,567  45%   10.88MB/s    0:01:02");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1234567});
  EXPECT_EQ(r->total, amount{2713334});  // 1234567 * 100 / 45.5 = 2713334.07
  EXPECT_EQ(r->tool_eta, 62.0);
  EXPECT_FALSE(r->t);
  r = parser.feed("          32768   0%    0.00kB/s    0:00:00");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{32768});
  EXPECT_FALSE(r->total);  // 0%: no total
  r = parser.feed("  1,048,576  10%  ???    ??:??:??");
  ASSERT_FALSE(r);  // the rate must end in "/s"
  r = parser.feed("  1,048,576  10%  1.00MB/s    ??:??:??");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->tool_eta);
  // rsync 3.0's spelling.
  r = parser.feed("     1024 100%    1.00MB/s    0:00:00 (xfer#1, to-check=0/1)");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1024});
}

TEST(parsers_rsync, rejects_what_is_not_a_progress_line) {
  copyeta::parsers::rsync_parser parser;
  for (const std::string_view line :
       {"", "sending incremental file list", "2016-08-11/log",
        "sent 3,466,268,276 bytes  received 35 bytes  3,481,937.03 bytes/sec",
        "  1,234 45% 1MB/s", "  1,234 145%   1.00MB/s    0:00:01", "  12,34 45%   1.00MB/s    0:00:01",
        "  1,234 45%   1.00MB/s    0:00:01 trailing", "abc 45%   1.00MB/s    0:00:01",
        "  1,234 45%   1.00MB/s    1:01"})
    EXPECT_FALSE(parser.feed(line)) << line;
}

}  // namespace
