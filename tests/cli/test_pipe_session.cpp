#include "captured.hpp"
#include "staged_clock.hpp"

#include <commands.hpp>
#include <pipe_session.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <string>
#include <vector>

namespace copyeta::cli {
namespace {

using ::testing::HasSubstr;
using testing::captured;
using testing::closed_pipe;
using testing::staged_clock;

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> rows;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = text.find('\n', at);
    rows.push_back(nlohmann::json::parse(text.substr(at, end - at)));
    at = end + 1;
  }
  return rows;
}

// "N/M" lines (the generic format carries no time of its own, so t is copyeta's monotonic
// clock), one a second; the system clock is set back an hour after the 5th line when
// `jump_at` is 5.
struct piped {
  std::vector<nlohmann::json> rows;
  std::string text;  // the plain-text run's stdout
  int code = -1;
};

piped run_generic(int jump_at, double jump_by, bool jsonl, double interval = 1.0) {
  staged_clock clock;
  captured out, err;
  pipe_args args;
  args.jsonl = jsonl;
  args.interval = interval;
  pipe_session session(args, clock, out.out(), err.out());
  for (int second = 1; second <= 20; ++second) {
    clock.advance(1.0);
    if (second == jump_at) clock.jump_wall(jump_by);
    // 50 units a second, slowing to 25 halfway.
    const int done = second <= 10 ? 50 * second : 500 + 25 * (second - 10);
    session.line(std::to_string(done) + "/1000");
  }
  piped result;
  result.code = session.finish(false);
  if (jsonl) {
    result.rows = json_lines(out.text());
  } else {
    result.text = out.text();
  }
  return result;
}

TEST(pipe_session, a_jump_of_the_system_clock_changes_no_time_interval_or_estimate) {
  const piped steady = run_generic(0, 0.0, true);
  for (const double jump : {-3600.0, +3600.0, -86400.0 * 365}) {
    const piped jumped = run_generic(5, jump, true);
    ASSERT_EQ(jumped.rows.size(), steady.rows.size());
    for (std::size_t i = 0; i + 1 < steady.rows.size(); ++i) {
      const auto& a = steady.rows[i];
      const auto& b = jumped.rows[i];
      // t is seconds since copyeta began, on the monotonic clock: 1, 2, 3, ...
      EXPECT_EQ(a["t"], static_cast<double>(i + 1));
      for (const char* key : {"t", "done", "total", "state", "remaining", "lo", "hi", "rate"})
        EXPECT_EQ(a[key], b[key]) << key << " of line " << i + 1 << ", jump " << jump;
      // Only the clock time of the observation moves, by the jump, from the jump on.
      const double moved = b["wall"].get<double>() - a["wall"].get<double>();
      EXPECT_NEAR(moved, i + 1 >= 5 ? jump : 0.0, 1e-3) << "line " << i + 1;
    }
    EXPECT_EQ(jumped.code, steady.code);
  }
}

TEST(pipe_session, the_text_interval_runs_on_the_monotonic_clock) {
  // One line per 3 s of the monotonic clock, however the system clock moves.
  const piped steady = run_generic(0, 0.0, false, 3.0);
  const piped back = run_generic(5, -3600.0, false, 3.0);
  const auto count = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
  // Lines 1, 4, 7, ..., 19, and the held-back last one at the end: 8 lines.
  EXPECT_EQ(count(steady.text), 8);
  EXPECT_EQ(count(back.text), count(steady.text));
}

TEST(pipe_session, a_closed_stdout_is_said_once_and_the_input_is_still_read_to_its_end) {
  staged_clock clock;
  closed_pipe out;
  captured err;
  pipe_args args;
  args.jsonl = true;
  pipe_session session(args, clock, out.out(), err.out());
  for (int i = 1; i <= 10; ++i) {
    clock.advance(1.0);
    session.line(std::to_string(100 * i) + "/1000");
  }
  EXPECT_EQ(out.out().error(), EPIPE);
  // Every line was still read: the copy is seen finished.
  ASSERT_TRUE(session.last());
  EXPECT_EQ(session.last()->state, state::finished);
  EXPECT_EQ(session.finish(false), exit_output_closed);
  const std::string said = err.text();
  EXPECT_THAT(said, HasSubstr("standard output closed early (broken pipe)"));
  EXPECT_EQ(said.find("broken pipe"), said.rfind("broken pipe"));  // once
  // The summary is not lost: it is on stderr.
  EXPECT_THAT(said, HasSubstr("copyeta: finished at"));
  EXPECT_THAT(said, HasSubstr("at 50%: copyeta said"));
}

TEST(pipe_session, tee_to_a_closed_stdout_keeps_reading_and_its_status_goes_to_stderr) {
  staged_clock clock;
  closed_pipe out;
  captured err;
  pipe_args args;
  args.tee = true;
  args.interval = 0.0;
  pipe_session session(args, clock, out.out(), err.out());
  for (int i = 1; i <= 10; ++i) {
    clock.advance(1.0);
    const std::string line = std::to_string(100 * i) + "/1000";
    session.pass_through(line + "\n");
    session.line(line);
  }
  EXPECT_EQ(session.last()->state, state::finished);
  EXPECT_EQ(session.finish(false), exit_output_closed);
  const std::string said = err.text();
  EXPECT_THAT(said, HasSubstr("standard output closed early (broken pipe)"));
  EXPECT_THAT(said, HasSubstr("100%  finished"));  // the last status line
  EXPECT_THAT(said, HasSubstr("copyeta: finished at"));
}

TEST(pipe_session, a_full_disk_is_an_output_error) {
  std::FILE* full = std::fopen("/dev/full", "w");
  ASSERT_NE(full, nullptr);
  {
    staged_clock clock;
    sink out(full);
    captured err;
    pipe_args args;
    args.jsonl = true;
    pipe_session session(args, clock, out, err.out());
    session.line("10/10");
    EXPECT_EQ(session.finish(false), exit_input_error);
    EXPECT_THAT(err.text(), HasSubstr("cannot write to standard output: No space left on device"));
  }
  std::fclose(full);
}

TEST(pipe_session, interrupted_wins_over_a_closed_stdout) {
  staged_clock clock;
  closed_pipe out;
  captured err;
  pipe_args args;
  args.jsonl = true;
  pipe_session session(args, clock, out.out(), err.out());
  session.line("1/10");
  EXPECT_EQ(session.finish(true), exit_interrupted);
}

}  // namespace
}  // namespace copyeta::cli
