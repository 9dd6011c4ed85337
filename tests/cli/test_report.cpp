#include <report.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace copyeta::cli {
namespace {

using ::testing::EndsWith;
using ::testing::Not;
using ::testing::HasSubstr;
using ::testing::StartsWith;

estimate at(amount done, state s = state::ok) {
  estimate e;
  e.state = s;
  e.done = done;
  e.total = 100;
  e.remaining = 600.0;
  e.lo = 500.0;
  e.hi = 700.0;
  e.rate = 412.0 * 1024 * 1024;
  return e;
}

const wall_clock::time_point noon = wall_clock::from_time_t(1795435200);  // any fixed time

TEST(status_line, the_bar_the_status_and_the_rate) {
  line_style style;
  style.bar = true;
  const std::string line = status_line(at(57), noon, {}, style);
  // 57% of 20 cells: 11 filled.
  EXPECT_THAT(line, StartsWith("[###########.........] 57%  ETA "));
  EXPECT_THAT(line, EndsWith("  412 MiB/s"));
  EXPECT_THAT(line, Not(HasSubstr("\033")));
}

TEST(status_line, no_bar_without_a_total_and_no_rate_once_finished) {
  line_style style;
  style.bar = true;
  estimate unknown = at(57, state::unknown_total);
  unknown.total.reset();
  EXPECT_THAT(status_line(unknown, noon, {}, style), StartsWith("57 B  unknown total"));
  estimate done = at(100, state::finished);
  done.remaining = done.lo = done.hi = 0.0;
  EXPECT_EQ(status_line(done, noon, {}, {}), "100%  finished");
}

TEST(status_line, counts_are_not_bytes) {
  format_options counts;
  counts.bytes = false;
  estimate e = at(57);
  e.rate = 1234.5;
  EXPECT_THAT(status_line(e, noon, counts, {}), EndsWith("  1.23e+03/s"));
}

TEST(status_line, colours_by_state) {
  line_style style;
  style.color = true;
  EXPECT_THAT(status_line(at(57), noon, {}, style), Not(HasSubstr("\033")));
  EXPECT_THAT(status_line(at(57, state::stalled), noon, {}, style), StartsWith("\033[33m"));
  EXPECT_THAT(status_line(at(57, state::flushing), noon, {}, style), StartsWith("\033[36m"));
  EXPECT_THAT(status_line(at(57, state::stalled), noon, {}, style), EndsWith("\033[0m"));
}

TEST(use_color, never_off_a_terminal_and_never_with_no_color) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EXPECT_FALSE(use_color(file));
  std::fclose(file);
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(use_color(stdout));
  ::unsetenv("NO_COLOR");
}

TEST(checkpoints, keep_what_was_said_as_each_share_was_crossed) {
  checkpoints said;
  std::optional<estimate> before;
  for (const amount done : {10, 30, 40, 60, 80, 90}) {
    const estimate now = at(done);
    said.record(before, now, noon + std::chrono::seconds(done));
    before = now;
  }
  const auto j = said.json();
  EXPECT_EQ(j["25"]["done"], 30);
  EXPECT_EQ(j["50"]["done"], 60);
  EXPECT_EQ(j["75"]["done"], 80);
  EXPECT_DOUBLE_EQ(j["75"]["wall"].get<double>(), unix_seconds(noon) + 80.0);
  EXPECT_EQ(j["75"]["remaining"], 600.0);
}

TEST(checkpoints, a_share_passed_before_attaching_stays_empty) {
  checkpoints said;
  const estimate first = at(40);
  said.record(std::nullopt, first, noon);
  said.record(first, at(55), noon);
  const auto j = said.json();
  EXPECT_TRUE(j["25"].is_null());
  EXPECT_EQ(j["50"]["done"], 55);
  EXPECT_TRUE(j["75"].is_null());
  // Nothing is said for a share first reached when finished or without an estimate.
  said.record(at(55), at(100, state::finished), noon);
  EXPECT_TRUE(said.json()["75"].is_null());

  std::FILE* out = std::tmpfile();
  said.print(out, {});
  std::rewind(out);
  char text[256] = {};
  const std::size_t n = std::fread(text, 1, sizeof text - 1, out);
  std::fclose(out);
  EXPECT_THAT(std::string(text, n), StartsWith("  at 50%: copyeta said "));
}

}  // namespace
}  // namespace copyeta::cli
