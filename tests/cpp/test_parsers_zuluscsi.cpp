#include "format_files.hpp"

#include <copyeta/parsers/zuluscsi.hpp>
#include <copyeta/progress_line.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace copyeta::testing;  // format_files.hpp

using copyeta::amount;
using copyeta::progress_reading;
using copyeta::parsers::zuluscsi_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  zuluscsi_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_zuluscsi, format_name) { EXPECT_EQ(zuluscsi_parser().format(), "zuluscsi"); }

TEST(parsers_zuluscsi, known_values_of_the_issue_paste) {
  const auto r = parse_file("formats/zuluscsi_initiator_1.txt");
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[0].t, 8341.931);  // [8341931ms]
  EXPECT_EQ(r[0].done, amount{42949120});
  EXPECT_EQ(r[0].total, amount{71687372});
  EXPECT_FALSE(r[0].tool_eta);
  EXPECT_FALSE(r[0].percent_only);
  // "- 0%" after "- 59%": the firmware's 32-bit percent wrapped; the sectors did not.
  EXPECT_EQ(r[2].t, 8342.124);
  EXPECT_EQ(r[2].done, amount{42950144});
  EXPECT_EQ(r[2].total, amount{71687372});
  // The end: every sector read, though the line says 40%.
  EXPECT_EQ(r[5].t, 13839.126);
  EXPECT_EQ(r[5].done, amount{71687372});
  EXPECT_EQ(r[5].total, amount{71687372});
}

TEST(parsers_zuluscsi, every_progress_line_of_the_file_parses) {
  zuluscsi_parser p;
  std::size_t progress_lines = 0;
  for (const auto& line : file_lines("formats/zuluscsi_initiator_1.txt")) {
    const auto r = p.feed(line);
    if (line.find("sectors done:") != std::string::npos) {
      ++progress_lines;
      EXPECT_TRUE(r) << line;
    } else {
      EXPECT_FALSE(r) << line;  // "and at the end:", "Finished imaging drive ..."
    }
  }
  EXPECT_EQ(progress_lines, 6u);
}

TEST(parsers_zuluscsi, older_firmware_and_missing_timestamps) {
  zuluscsi_parser p;
  auto r = p.feed("[1500ms] SCSI read succeeded, sectors done: 512 / 1024 speed 2702 kB/s");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->t, 1.5);
  EXPECT_EQ(r->done, amount{512});
  r = p.feed("[1600ms] SCSI read succeeded, sectors done: 1024 / 1024");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{1024});
  EXPECT_EQ(r->total, amount{1024});
  r = p.feed("SCSI read succeeded, sectors done: 100 / 1024 speed 1 kB/s - 9%");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->t);  // no log timestamp
  EXPECT_EQ(r->done, amount{100});
  r = p.feed("[12x5ms] SCSI read succeeded, sectors done: 100 / 1024");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->t);
}

TEST(parsers_zuluscsi, rejects_garbage) {
  zuluscsi_parser p;
  for (const std::string_view line :
       {"", "[8341931ms]", "[8341931ms] SCSI read succeeded, sectors done: ",
        "[8341931ms] SCSI read succeeded, sectors done: 42949120",
        "[8341931ms] SCSI read succeeded, sectors done: 42949120 / ",
        "[8341931ms] SCSI read succeeded, sectors done: 42949120/71687372",
        "[8341931ms] SCSI read succeeded, sectors done: -2147483000 / -2000000000",
        "[8341931ms] SCSI read succeeded, sectors done: 42949120 / 71687372x",
        "[8341931ms] SCSI read succeeded, sectors done: 4.5 / 10",
        "[8341931ms] SCSI read succeeded, sectors done: 99999999999999999999999 / 1",
        "[8341931ms] SCSI read failed, sectors done: 1 / 2", "[13839128ms] Finished imaging drive"})
    EXPECT_FALSE(p.feed(line)) << line;
  // A timestamp past 2^64 ms is dropped, the counts kept.
  const auto r = p.feed("[99999999999999999999999ms] SCSI read succeeded, sectors done: 1 / 2");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->t);
}

TEST(parsers_zuluscsi, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("zuluscsi_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
