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

TEST(parsers_rsync, per_file_lines_are_summed_once_a_smaller_file_follows) {
  copyeta::parsers::rsync_parser parser;
  const auto got = parse_file(parser, "formats/rsync_progress_1.txt");
  ASSERT_EQ(got.size(), 4u);
  // Files of 44,179, 106,792, 5,532 and 3,513,782 bytes. The second is larger than the first
  // (progress2 could look so); the third is smaller than the second: per-file mode, and the
  // files ended so far count from then on.
  const amount done[] = {44179, 106792, 44179 + 106792 + 5532, 44179 + 106792 + 5532 + 3513782};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(got[i].reading.done, done[i]) << i;
    EXPECT_EQ(got[i].reading.total, done[i]) << i;  // 100%: every file seen is done
    EXPECT_FALSE(got[i].reading.t);                 // one file's time, not the transfer's
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
  // 1.66 * 2^20 = 1740636.16, smaller than the first file: per-file mode, summed.
  EXPECT_EQ(got[1].reading.done, amount{17165189 + 1740636});
  EXPECT_EQ(got[1].reading.total, amount{17165189 + 1740636});
  EXPECT_EQ(got[2].reading.done, amount{17165189 + 1740636 + 17165189});
  EXPECT_EQ(got[2].reading.total, amount{17165189 + 1740636 + 17165189});
}

TEST(parsers_rsync, per_file_in_progress_lines_add_the_files_before) {
  copyeta::parsers::rsync_parser parser;
  auto feed = [&](std::string_view line) {
    const auto r = parser.feed(line);
    EXPECT_TRUE(r) << line;
    return r.value_or(copyeta::progress_reading{});
  };
  // The last file of rsync_progress_1, then a smaller one of 2,750,000 bytes: per-file mode.
  auto r = feed("  3,513,782 100%  108.10MB/s    0:00:00 (xfr#4, to-chk=31/36)");
  EXPECT_EQ(r.done, amount{3513782});
  EXPECT_EQ(r.total, amount{3513782});
  r = feed("     32,768   1%    0.00kB/s    0:00:00");
  EXPECT_EQ(r.done, amount{3513782 + 32768});
  EXPECT_EQ(r.total, amount{3513782 + 1638400});  // 1% is below 2%: the file is > 3276800 / 2
  r = feed("  1,234,567  44%   10.88MB/s    0:01:02");
  EXPECT_EQ(r.done, amount{3513782 + 1234567});
  EXPECT_EQ(r.total, amount{3513782 + 2743482});  // 123456700 / 45
  EXPECT_EQ(r.tool_eta, 62.0);                    // the file's
  // 45%: this line alone bounds the file lower (125000000 / 46), the reported total stays.
  r = feed("  1,250,000  45%   10.88MB/s    0:01:01");
  EXPECT_EQ(r.done, amount{3513782 + 1250000});
  EXPECT_EQ(r.total, amount{3513782 + 2743482});
  r = feed("  2,750,000 100%   10.88MB/s    0:00:02 (xfr#5, to-chk=30/36)");
  EXPECT_EQ(r.done, amount{6263782});
  EXPECT_EQ(r.total, amount{6263782});  // a file's end: the bound is done itself
  // A larger file next: still per-file. At 0% it is more than 100 times what was sent.
  r = feed("     32,768   0%    0.00kB/s    0:00:00");
  EXPECT_EQ(r.done, amount{6263782 + 32768});
  EXPECT_EQ(r.total, amount{6263782 + 3276800});
  r = feed("  5,000,000 100%   10.88MB/s    0:00:02 (xfr#6, to-chk=29/36)");
  EXPECT_EQ(r.done, amount{11263782});
  EXPECT_EQ(r.total, amount{11263782});
  parser.reset();  // a new stream: back to the line's own numbers
  r = feed("      5,532 100%    5.28MB/s    0:00:00 (xfr#3, to-chk=32/36)");
  EXPECT_EQ(r.done, amount{5532});
  r = feed("  1,234,567  45%   10.88MB/s    0:01:02");
  EXPECT_EQ(r.done, amount{1234567});
  EXPECT_EQ(r.total, amount{2713334});  // not yet known to be per-file: the line's own
}

TEST(parsers_rsync, info_progress2_is_never_summed) {
  copyeta::parsers::rsync_parser parser;
  // An "(xfr#" line below 100% is progress2: later 100% lines and smaller sizes stay as printed.
  auto r = parser.feed("    105.45M  13%  602.83kB/s    0:02:50 (xfr#495, ir-chk=1020/3825)");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{110572339});
  r = parser.feed("  1,000,000,000 100%   10.48MB/s    0:23:26 (xfr#900, to-chk=0/1000)");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1000000000});
  r = parser.feed("      1,000  10%   10.48MB/s    0:00:01 (xfr#1, to-chk=9/10)");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1000});
  EXPECT_EQ(r->total, amount{9524});  // 1000 * 100 / 10.5: the line's own
}

TEST(parsers_rsync, per_file_sums_stop_at_2_to_the_64) {
  copyeta::parsers::rsync_parser parser;
  ASSERT_TRUE(parser.feed("18,446,744,073,709,551,615 100%  1.00MB/s    0:00:00 (xfr#1, to-chk=1/2)"));
  // Past 2^64 - 1: no reading, rather than a wrapped sum.
  EXPECT_FALSE(parser.feed("  1,000 100%  1.00MB/s    0:00:00 (xfr#2, to-chk=0/2)"));
  EXPECT_FALSE(parser.feed("  1,000  10%  1.00MB/s    0:00:01"));  // smaller: per-file, too big
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
