#include "format_files.hpp"

#include <copyeta/progress_line.hpp>
#include <copyeta/parsers/generic.hpp>

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

TEST(parsers_generic, tqdm_pairs_with_elapsed_and_remaining) {
  copyeta::parsers::generic_parser parser;
  EXPECT_EQ(parser.format(), "generic");
  const auto got = parse_file(parser, "formats/tqdm_1.txt");
  ASSERT_EQ(got.size(), 10u);
  EXPECT_EQ(got[0].reading.done, amount{6528350290u});   // 6.08G = 6.08 * 2^30
  EXPECT_EQ(got[0].reading.total, amount{9212704850u});  // 8.58G
  EXPECT_EQ(got[0].reading.t, 331.0);                    // 05:31
  EXPECT_EQ(got[0].reading.tool_eta, 8.0);
  EXPECT_EQ(got[9].reading.done, amount{6904159928u});   // 6.43G
  EXPECT_EQ(got[9].reading.t, 333.0);
  for (const auto& g : got) EXPECT_FALSE(g.reading.percent_only);
}

TEST(parsers_generic, tqdm_interleaved_bars_and_glued_log_lines) {
  copyeta::parsers::generic_parser parser;
  const auto got = parse_file(parser, "formats/tqdm_2.txt");
  ASSERT_EQ(got.size(), 15u);
  EXPECT_EQ(got[0].reading.done, amount{123731968});   // 118M
  EXPECT_EQ(got[0].reading.total, amount{935329792});  // 892M
  EXPECT_EQ(got[2].reading.done, amount{134217728});   // optimizer.pt 128M
  EXPECT_EQ(got[2].reading.total, amount{1911260447}); // 1.78G = 1911260446.7
  EXPECT_EQ(got[12].reading.done, amount{104857600});  // "100M/892M ... INFO: 2a02:..."
  EXPECT_EQ(got[12].reading.tool_eta, 26.0);
}

TEST(parsers_generic, pairs_percents_and_what_is_neither) {
  copyeta::parsers::generic_parser parser;
  auto r = parser.feed("Copying files 12/34 done");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{12});
  EXPECT_EQ(r->total, amount{34});
  EXPECT_FALSE(r->percent_only);
  r = parser.feed("Copying... 57.25%");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->percent_only);
  EXPECT_EQ(r->done, amount{57250000});
  EXPECT_EQ(r->total, amount{100000000});
  r = parser.feed("progress 3% (read 4091019264 bytes, duration 19 sec)");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{3000000});
  r = parser.feed("1.5GB/2GB");  // GB: 1000-based in the command-line convention
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1500000000});
  EXPECT_EQ(r->total, amount{2000000000});
  for (const std::string_view line :
       {"", "10.5MB/s", "2016/08/11 backup", "path/to/12/file", "a1/2", "150%", "50/40",
        "version 1.2.3", "x50%", "12/34abc"})
    EXPECT_FALSE(parser.feed(line)) << line;
}

}  // namespace
