#include "captured.hpp"
#include "fake_proc.hpp"
#include "staged_clock.hpp"

#include <commands.hpp>
#include <watch_session.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace copyeta::cli {
namespace {

using ::testing::HasSubstr;
using testing::captured;
using testing::closed_pipe;
using testing::fake_proc;
using testing::staged_clock;

constexpr std::uint64_t MB = 1000 * 1000;
constexpr int pid = 4242;

// dd reading in.img (1000 MB) at 10 MB/s, from 300 MB when watching begins; it closes its
// input at the end and exits a look later. The staged tree follows the staged clock.
struct staged_dd {
  fake_proc staged;
  std::string in;
  double start = 0.0;
  bool closed = false;

  explicit staged_dd(staged_clock& clock) {
    in = staged.make_file("in.img", 1000 * MB);
    staged.add_process(pid, "dd", {"dd", "if=in.img", "of=/dev/null"}, 30.0);
    staged.open_fd(pid, 0, in, 300 * MB);
    staged.set_io(pid, 300 * MB, 0);
    start = clock.t();
    clock.on_sleep = [this](double t) { advance(t); };
  }
  void advance(double t) {
    if (closed) {
      staged.remove_process(pid);
      return;
    }
    const auto done = std::min<std::uint64_t>(
        1000 * MB, 300 * MB + static_cast<std::uint64_t>((t - start) * 10.0 * MB));
    if (done == 1000 * MB) {
      staged.close_fd(pid, 0);
      closed = true;
    } else {
      staged.set_pos(pid, 0, done);
    }
    staged.set_io(pid, done, 0);
  }
};

struct watched_run {
  std::string out, err;
  int code = -1;
  int sleeps = 0;
};

// The whole of `copyeta watch 4242 --jsonl`, with the system clock set `jump` seconds at
// `jump_after` seconds of watching.
watched_run watch_dd(double jump, double jump_after) {
  staged_clock clock;
  staged_dd dd(clock);
  bool jumped = false;
  clock.on_sleep = [&](double t) {
    if (!jumped && t - dd.start >= jump_after) {
      clock.jump_wall(jump);
      jumped = true;
    }
    dd.advance(t);
  };
  captured out, err;
  watch_args args;
  args.pids = {pid};
  args.jsonl = true;
  args.proc_root = dd.staged.root();
  watched_run run;
  run.code = run_watch(args, clock, out.out(), err.out());
  // Each run stages its tree in a directory of its own: compare the rest.
  const auto relative = [&](std::string text) {
    const std::string root = dd.staged.root();
    for (auto at = text.find(root); at != std::string::npos; at = text.find(root, at))
      text.replace(at, root.size(), "ROOT");
    return text;
  };
  run.out = relative(out.text());
  run.err = relative(err.text());
  run.sleeps = clock.sleeps();
  return run;
}

TEST(watch_session, a_jump_of_the_system_clock_while_it_sleeps_changes_nothing) {
  const watched_run steady = watch_dd(0.0, 1e9);
  ASSERT_EQ(steady.code, exit_finished) << steady.err;
  EXPECT_THAT(steady.out, HasSubstr("\"state\":\"finished\""));
  // 700 MB at 10 MB/s: about 70 s of sleeps, one a second or faster near the end.
  EXPECT_GE(steady.sleeps, 70);
  for (const double jump : {-3600.0, 3600.0, -1e6}) {
    const watched_run jumped = watch_dd(jump, 20.0);
    // Intervals, t, estimates, even `wall` (the start's clock time plus t) and the summary's
    // clock times: all as if the clock had never moved.
    EXPECT_EQ(jumped.sleeps, steady.sleeps) << jump;
    EXPECT_EQ(jumped.out, steady.out) << jump;
    EXPECT_EQ(jumped.err, steady.err) << jump;
    EXPECT_EQ(jumped.code, steady.code);
  }
}

// The final states were once printed twice: by the last look, and again after the loop.
TEST(watch_session, every_observation_is_printed_once) {
  const watched_run run = watch_dd(0.0, 1e9);
  ASSERT_EQ(run.code, exit_finished) << run.err;
  std::vector<std::string> lines;
  for (std::size_t at = 0, end; (end = run.out.find('\n', at)) != std::string::npos; at = end + 1)
    lines.push_back(run.out.substr(at, end - at));
  ASSERT_GE(lines.size(), 3u);
  EXPECT_THAT(lines.back(), HasSubstr("\"event\":\"summary\""));
  // Each look has its own t; the same line twice is the same look printed twice.
  for (std::size_t i = 1; i < lines.size(); ++i) EXPECT_NE(lines[i], lines[i - 1]) << i;
}

TEST(watch_session, a_closed_stdout_stops_the_watch_with_the_summary_on_stderr) {
  staged_clock clock;
  staged_dd dd(clock);
  closed_pipe out;
  captured err;
  watch_args args;
  args.pids = {pid};
  args.jsonl = true;
  args.proc_root = dd.staged.root();
  EXPECT_EQ(run_watch(args, clock, out.out(), err.out()), exit_output_closed);
  EXPECT_EQ(clock.sleeps(), 0);  // stopped at the first failed write, without waiting
  const std::string said = err.text();
  EXPECT_THAT(said, HasSubstr("standard output closed early (broken pipe); stopped watching"));
  EXPECT_THAT(said, HasSubstr("dd 4242 still running; last: 30%"));
}

TEST(watch_session, a_truncated_source_is_said_on_stderr) {
  staged_clock clock;
  staged_dd dd(clock);
  clock.on_sleep = [&](double t) {
    // Ten seconds in, someone truncates the source to 500 MB: 100 MB are left to read.
    if (t - dd.start >= 10.0 && t - dd.start < 11.0) dd.staged.resize_file(dd.in, 500 * MB);
    if (t - dd.start >= 10.0) {
      const auto done = std::min<std::uint64_t>(
          500 * MB, 300 * MB + static_cast<std::uint64_t>((t - dd.start) * 10.0 * MB));
      dd.staged.set_pos(pid, 0, done);
      if (done == 500 * MB) dd.staged.make_zombie(pid, "dd", 1000.0 - 30.0, 0);
      return;
    }
    dd.advance(t);
  };
  captured out, err;
  watch_args args;
  args.pids = {pid};
  args.jsonl = true;
  args.proc_root = dd.staged.root();
  EXPECT_EQ(run_watch(args, clock, out.out(), err.out()), exit_finished);
  EXPECT_THAT(err.text(), HasSubstr("copyeta: dd 4242: " + dd.in +
                                    " was truncated from 1000000000 to 500000000 bytes"));
  EXPECT_THAT(out.text(), HasSubstr("\"total\":500000000"));
}

// Attach mode: for any copy that leaves more than the threshold of dirty pages, `flushing`
// comes before `finished`; the states never go back; every estimate keeps the contract. Copies,
// rates, dirty amounts, flush speeds and exits are drawn from seeds.
TEST(watch_target, flushing_comes_before_finished_for_any_copy) {
  constexpr std::uint64_t threshold = std::uint64_t{32} << 20;
  int flushed_runs = 0;
  for (unsigned seed = 1; seed <= 60; ++seed) {
    std::mt19937_64 draw(seed);
    const auto uniform = [&](double lo, double hi) {
      return std::uniform_real_distribution<double>(lo, hi)(draw);
    };
    // Copies of 5 s to a minute, watched from anywhere in them, looked at every 0.3 to 2 s.
    const std::uint64_t size = static_cast<std::uint64_t>(uniform(50, 4000)) * MB;
    const double rate = static_cast<double>(size) / uniform(5, 60);
    const double attach = uniform(0.0, 0.95);
    // Dirty bytes the kernel holds when the copy is read through: none, a few MB (other
    // programs), or up to 2 GB, written back in 1 to 60 s after 0 to 30 s of dirty expiry.
    const int kind = static_cast<int>(seed % 3);
    const std::uint64_t dirty =
        kind == 0 ? 0 : kind == 1 ? static_cast<std::uint64_t>(uniform(0, 30)) * MB
                                  : std::min<std::uint64_t>(size, static_cast<std::uint64_t>(uniform(40, 2000)) * MB);
    const double flush_rate = static_cast<double>(std::max<std::uint64_t>(dirty, 1)) / uniform(1, 60);
    const double flush_delay = uniform(0, 30);
    const bool exits_at_once = seed % 2 == 0;  // cp returns; dd conv=fsync waits for the flush
    const double step = uniform(0.3, 2.0);

    fake_proc staged;
    const std::string in = staged.make_file("in.img", size);
    const std::string out = staged.make_file("out.img", 0);
    auto pos = static_cast<std::uint64_t>(attach * static_cast<double>(size));
    staged.add_process(pid, "dd", {"dd", "if=in.img", "of=out.img"}, 1.0 + static_cast<double>(pos) / rate);
    staged.open_fd(pid, 0, in, pos);
    staged.open_fd(pid, 1, out, pos, true);
    staged.set_io(pid, pos, pos);
    const procfs proc(staged.root());
    watch_target target(proc, pid, {}, 0.0);

    std::vector<state> states{target.last().state};
    double t = 0.0, read_through_at = -1.0;
    bool alive = true;
    for (int look = 0; look < 100000 && !target.ended(); ++look) {
      t += step;
      if (read_through_at < 0.0) {
        pos = std::min<std::uint64_t>(size, pos + static_cast<std::uint64_t>(rate * step));
        staged.set_pos(pid, 0, pos);
        staged.set_pos(pid, 1, pos, true);
        staged.resize_file(out, pos);
        staged.set_io(pid, pos, pos);
        if (pos == size) read_through_at = t;
      } else if (alive && (exits_at_once || t - read_through_at > 5.0)) {
        staged.remove_process(pid);
        alive = false;
      }
      // Dirty pages: up to `dirty` while copying, draining after the delay once read through.
      double unflushed = std::min(static_cast<double>(dirty), static_cast<double>(pos));
      if (read_through_at >= 0.0)
        unflushed = std::max(0.0, unflushed - std::max(0.0, t - read_through_at - flush_delay) * flush_rate);
      staged.set_unflushed(static_cast<std::uint64_t>(unflushed / 1024.0), 0);
      const estimate& e = target.observe(t);
      states.push_back(e.state);
      ASSERT_TRUE(std::isfinite(e.remaining) && std::isfinite(e.lo) && std::isfinite(e.hi));
      ASSERT_LE(0.0, e.lo);
      ASSERT_LE(e.lo, e.remaining);
      ASSERT_LE(e.remaining, e.hi) << "seed " << seed;
      if (e.state == state::flushing) {
        ASSERT_TRUE(e.has_remaining());
        ASSERT_GT(target.unflushed(), threshold) << "seed " << seed;
      }
    }
    ASSERT_TRUE(target.ended()) << "seed " << seed;
    EXPECT_TRUE(target.finished()) << "seed " << seed << ": " << target.end_reason();

    const auto first = [&](state s) { return std::find(states.begin(), states.end(), s) - states.begin(); };
    const auto first_flushing = first(state::flushing);
    const auto first_finished = first(state::finished);
    const auto n = static_cast<std::ptrdiff_t>(states.size());
    ASSERT_LT(first_finished, n) << "seed " << seed;
    if (dirty > threshold) {
      ++flushed_runs;
      EXPECT_LT(first_flushing, first_finished) << "seed " << seed;
      EXPECT_TRUE(target.flush_observed()) << "seed " << seed;
    } else {
      EXPECT_EQ(first_flushing, n) << "seed " << seed << ": no flush to wait for";
    }
    // copying ... flushing ... finished, never back.
    for (std::ptrdiff_t i = std::min(first_flushing, first_finished); i < n; ++i) {
      const state s = states[static_cast<std::size_t>(i)];
      EXPECT_TRUE(s == state::flushing || s == state::finished) << "seed " << seed << " look " << i;
      if (i > first_finished) EXPECT_EQ(s, state::finished) << "seed " << seed << " look " << i;
    }
  }
  EXPECT_GE(flushed_runs, 15);
}

}  // namespace
}  // namespace copyeta::cli
