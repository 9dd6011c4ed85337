#include "format_files.hpp"

#include <copyeta/parsers/zfs_send.hpp>
#include <copyeta/progress_line.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace copyeta::testing;  // format_files.hpp

using copyeta::amount;
using copyeta::progress_reading;
using copyeta::parsers::zfs_send_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  zfs_send_parser p;
  return feed_all(p, file_lines(rel));
}

// A per-second line starts with "HH:MM:SS".
bool is_progress_line(std::string_view line) {
  return line.size() > 8 && line[2] == ':' && line[5] == ':' && line[8] == ' ';
}

TEST(parsers_zfs_send, format_name) { EXPECT_EQ(zfs_send_parser().format(), "zfs_send"); }

TEST(parsers_zfs_send, known_values_of_the_issue_paste) {
  const auto r = parse_file("formats/zfs_send_verbose_1.txt");
  ASSERT_EQ(r.size(), 3u);
  const amount done[] = {294320456, 381559432, 540271304};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r[i].t, static_cast<double>(i)) << i;  // 15:15:40, :41, :42
    EXPECT_EQ(r[i].done, done[i]) << i;
    EXPECT_EQ(r[i].total, amount{39223560952u}) << i;  // "size 39223560952"
    EXPECT_FALSE(r[i].tool_eta);
    EXPECT_FALSE(r[i].percent_only);
  }
}

TEST(parsers_zfs_send, every_progress_line_of_the_file_parses) {
  zfs_send_parser p;
  std::size_t progress_lines = 0;
  for (const auto& line : file_lines("formats/zfs_send_verbose_1.txt")) {
    const auto r = p.feed(line);
    if (is_progress_line(line)) {
      ++progress_lines;
      EXPECT_TRUE(r) << line;
    } else {
      EXPECT_FALSE(r) << line;  // "full ...", "size ...": totals, no reading
    }
  }
  EXPECT_EQ(progress_lines, 3u);
}

TEST(parsers_zfs_send, the_trace_matches_its_csv) {
  const auto r = parse_file("traces/zfs_send_Pv_39GB_zfs10215.raw");
  std::ifstream csv(data_path("traces/zfs_send_Pv_39GB_zfs10215.csv"));
  std::string row;
  std::getline(csv, row);  // header
  std::size_t i = 0;
  while (std::getline(csv, row)) {
    ASSERT_LT(i, r.size());
    const auto c1 = row.find(','), c2 = row.find(',', c1 + 1), c3 = row.find(',', c2 + 1);
    EXPECT_EQ(r[i].t, std::stod(row.substr(0, c1))) << row;
    EXPECT_EQ(r[i].done, std::stoull(row.substr(c1 + 1, c2 - c1 - 1))) << row;
    EXPECT_EQ(r[i].total, std::stoull(row.substr(c2 + 1, c3 - c2 - 1))) << row;
    ++i;
  }
  EXPECT_EQ(i, 7u);
  EXPECT_EQ(r.size(), 7u);
}

TEST(parsers_zfs_send, time_of_day_wraps_past_midnight) {
  zfs_send_parser p;
  auto r = p.feed("23:59:58\t100\tpool/fs@snap");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->t, 0.0);
  EXPECT_FALSE(r->total);  // no estimate printed
  r = p.feed("23:59:59\t200\tpool/fs@snap");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->t, 1.0);
  r = p.feed("00:00:00\t300\tpool/fs@snap");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->t, 2.0);
  r = p.feed("23:59:58\t400\tpool/fs@snap");  // the next evening
  ASSERT_TRUE(r);
  EXPECT_EQ(r->t, 86400.0);
  r = p.feed("00:00:01\t500\tpool/fs@snap");  // and the second midnight
  ASSERT_TRUE(r);
  EXPECT_EQ(r->t, 86403.0);
  p.reset();
  r = p.feed("12:00:00\t600\tpool/fs@snap");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->t, 0.0);
  EXPECT_EQ(r->done, amount{600});
}

TEST(parsers_zfs_send, incremental_sends_add_up_snapshots) {
  zfs_send_parser p;
  // zfs send -Pv -I @a pool/fs@c: an estimate per snapshot, then their sum.
  EXPECT_FALSE(p.feed("incremental\ta\tpool/fs@b\t5000"));
  EXPECT_FALSE(p.feed("incremental\tb\tpool/fs@c\t3000"));
  auto r = p.feed("10:00:00\t1000\tpool/fs@b");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total, amount{8000});  // no "size" line yet: the sum of the estimates
  EXPECT_FALSE(p.feed("size\t8192"));
  r = p.feed("10:00:01\t4000\tpool/fs@b");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{4000});
  EXPECT_EQ(r->total, amount{8192});  // the "size" line wins
  // The count restarts with the next snapshot; the previous one's last count is kept.
  r = p.feed("10:00:02\t500\tpool/fs@c");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{4500});
  r = p.feed("10:00:03\t2500\tpool/fs@c");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{6500});
  EXPECT_EQ(r->t, 3.0);
}

TEST(parsers_zfs_send, full_estimates_and_block_counts) {
  zfs_send_parser p;
  EXPECT_FALSE(p.feed("full\tpool/fs@1\t39223560952"));
  // -vv adds a block count before the name; dataset names may hold spaces.
  auto r = p.feed("15:15:40\t294320456\t2297\tpool/my fs@1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{294320456});
  EXPECT_EQ(r->total, amount{39223560952u});
  r = p.feed("15:15:41  381559432  2980  pool/my fs@1");  // pasted with spaces
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{381559432});  // the same snapshot: nothing added
  EXPECT_EQ(r->t, 1.0);
}

TEST(parsers_zfs_send, rejects_garbage) {
  zfs_send_parser p;
  for (const std::string_view line :
       {"", " ", "size", "size abc", "size 12 13", "full", "full pool@a", "15:15:40",
        "15:15:40 12", "15:15:40 12 word", "15:15:40 -12 pool@a", "15:15:40 12.5 pool@a",
        "25:15:40 12 pool@a", "15:65:40 12 pool@a", "1:15:40 12 pool@a", "15-15-40 12 pool@a",
        "15:15:40 18446744073709551616 pool@a", "TIME        SENT   SNAPSHOT",
        "15:15:40   1.23G   pool/fs@a", "full send of pool/fs@1 estimated size is 36.5G"})
    EXPECT_FALSE(p.feed(line)) << line;
  // Totals past 2^64 - 1 are not added up.
  EXPECT_FALSE(p.feed("full pool@a 18446744073709551615"));
  EXPECT_FALSE(p.feed("full pool@b 1"));
  const auto r = p.feed("15:15:40 12 pool@a");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total, amount{18446744073709551615u});
  // Nor are the counts of snapshots.
  ASSERT_TRUE(p.feed("15:15:41 18446744073709551615 pool@a"));
  EXPECT_FALSE(p.feed("15:15:42 1 pool@b"));
}

TEST(parsers_zfs_send, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("zfs_send_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
