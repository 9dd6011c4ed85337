#include "fake_proc.hpp"

#include <watch_target.hpp>

#include <copyeta/errors.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace copyeta::cli {
namespace {

using testing::fake_proc;

constexpr std::uint64_t MB = 1000 * 1000;

// A dd reading in.img (1000 MB) into out.img, staged at `done` bytes after `age` seconds.
struct dd_copy {
  fake_proc staged;
  std::string in, out;
  static constexpr int pid = 100;

  dd_copy(std::uint64_t done, double age, std::uint64_t other_reads = 10000) {
    in = staged.make_file("in.img", 1000 * MB);
    out = staged.make_file("out.img", done);
    staged.add_process(pid, "dd", {"dd", "if=in.img", "of=out.img", "bs=1M"}, age);
    staged.open_fd(pid, 0, in, done);
    staged.open_fd(pid, 1, out, done, true);
    staged.set_io(pid, done + other_reads, done);
  }
  void at(std::uint64_t done) {
    staged.set_pos(pid, 0, done);
    staged.set_pos(pid, 1, done, true);
    staged.resize_file(out, done);
    staged.set_io(pid, done + 10000, done);
  }
  // One look a second for `seconds` seconds, copying `mb_per_second` from `from_mb` on.
  void run(watch_target& target, std::uint64_t from_mb, std::uint64_t mb_per_second, int seconds) {
    for (int second = 1; second <= seconds; ++second) {
      at((from_mb + mb_per_second * static_cast<std::uint64_t>(second)) * MB);
      target.observe(second);
    }
  }
};

TEST(watch_target, follows_the_source_file_and_starts_from_the_process_start) {
  // 300 MB read in 30 s, and nothing else read: the copy began with the process.
  dd_copy copy(300 * MB, 30.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  EXPECT_EQ(target.comm(), "dd");
  EXPECT_EQ(target.file(), copy.in);  // the source, not the growing target
  EXPECT_EQ(target.what_measured(), measure::position);
  EXPECT_FALSE(target.overall());
  const estimate& first = target.last();
  EXPECT_EQ(first.done, 300 * MB);
  ASSERT_TRUE(first.total);
  EXPECT_EQ(*first.total, 1000 * MB);
  // At once an estimate: 700 MB left at the 10 MB/s since the process started.
  EXPECT_EQ(first.state, state::ok);
  // Two samples only: the calibrated median may sit off the naive 70 s, the interval holds it.
  EXPECT_NEAR(first.remaining, 70.0, 17.5);
  EXPECT_LE(first.lo, 70.0);
  EXPECT_GE(first.hi, 70.0);
  copy.run(target, 300, 10, 10);
  // 600 MB left at 10 MB/s.
  const estimate& e = target.last();
  EXPECT_EQ(e.state, state::ok);
  EXPECT_NEAR(e.remaining, 60.0, 6.0);
  EXPECT_LE(e.lo, e.remaining);
  EXPECT_GE(e.hi, e.remaining);
  EXPECT_FALSE(target.ended());
}

TEST(watch_target, never_takes_the_attach_as_the_start) {
  // The process read 5 GB of something else first: its start says nothing about this copy.
  dd_copy copy(300 * MB, 30.0, 5000 * MB);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  EXPECT_EQ(target.last().state, state::warming_up);
  EXPECT_EQ(target.last().done, 300 * MB);
  // A rate comes from what copyeta sees, not from 300 MB in 0 s.
  copy.run(target, 300, 20, 10);
  EXPECT_EQ(target.last().state, state::ok);
  EXPECT_NEAR(target.last().remaining, 25.0, 3.0);  // 500 MB at 20 MB/s
}

TEST(watch_target, says_flushing_until_the_dirty_pages_are_written) {
  dd_copy copy(900 * MB, 90.0);
  const procfs proc(copy.staged.root());
  watch_options options;
  options.flush_threshold = 16 * MB;
  watch_target target(proc, dd_copy::pid, options, 0.0);
  for (int second = 1; second <= 10; ++second) {
    copy.at((900 + 10 * static_cast<std::uint64_t>(second)) * MB);
    if (second == 10) copy.staged.set_unflushed(400 * 1000, 0);  // 409.6 MB held by the kernel
    target.observe(second);
  }
  // All read, dd still alive in fsync: the estimate is for the flush. Before the flush shows a
  // rate, the disk is taken to write at the copy's 10 MB/s (41 s for 409.6 MB), after the
  // kernel's default 30 s of dirty expiry.
  EXPECT_EQ(target.last().state, state::flushing);
  EXPECT_EQ(target.last().done, 1000 * MB);
  EXPECT_EQ(target.unflushed(), 400u * 1000 * 1024);
  EXPECT_NEAR(target.last().remaining, 30.0 + 41.0, 2.0);
  EXPECT_NEAR(target.last().lo, 41.0 / 2.0, 1.0);
  EXPECT_NEAR(target.last().hi, 30.0 + 5.0 + 2.0 * 41.0, 2.0);
  // The disk writes 5 MB/s: the flush's own rate takes over.
  std::uint64_t dirty_kb = 400 * 1000;
  for (int second = 11; second <= 40; ++second) {
    dirty_kb -= 5 * 1000;
    copy.staged.set_unflushed(dirty_kb, 0);
    target.observe(second);
  }
  EXPECT_EQ(target.last().state, state::flushing);
  // 250 MB (of 1024-byte kB) left at 5.12 MB/s.
  EXPECT_NEAR(target.last().remaining, 50.0, 10.0);
  EXPECT_FALSE(target.ended());
  copy.staged.set_unflushed(1000, 0);
  target.observe(41);
  EXPECT_EQ(target.last().state, state::finished);
  EXPECT_FALSE(target.ended());  // dd has not returned yet
  copy.staged.remove_process(dd_copy::pid);
  target.observe(42);
  EXPECT_TRUE(target.ended());
  EXPECT_TRUE(target.finished());
  EXPECT_TRUE(target.finish_observed());
  EXPECT_TRUE(target.flush_observed());
  EXPECT_EQ(*target.end_t(), 42.0);
}

TEST(watch_target, the_kernels_dirty_expiry_sets_when_a_flush_begins) {
  dd_copy copy(990 * MB, 99.0);
  copy.staged.set_dirty_expire(1000);  // 10 s
  const procfs proc(copy.staged.root());
  watch_options options;
  options.flush_threshold = 16 * MB;
  watch_target target(proc, dd_copy::pid, options, 0.0);
  copy.at(1000 * MB);
  copy.staged.set_unflushed(100 * 1000, 0);
  target.observe(1);
  ASSERT_EQ(target.last().state, state::flushing);
  const double write = 102.4 / 10.0;  // at the copy's 10 MB/s
  EXPECT_NEAR(target.last().remaining, 10.0 + write, 1.0);
  target.observe(6);  // nothing written yet: the wait for the expiry shrinks
  EXPECT_NEAR(target.last().remaining, 5.0 + write, 1.0);
}

TEST(watch_target, follows_the_flush_after_the_process_exits) {
  dd_copy copy(990 * MB, 99.0);
  const procfs proc(copy.staged.root());
  watch_options options;
  options.flush_threshold = 16 * MB;
  watch_target target(proc, dd_copy::pid, options, 0.0);
  copy.at(1000 * MB);
  target.observe(1);
  EXPECT_EQ(target.last().state, state::finished);
  // cp returns with the data still in memory.
  copy.staged.remove_process(dd_copy::pid);
  copy.staged.set_unflushed(100 * 1000, 0);
  target.observe(2);
  EXPECT_EQ(target.last().state, state::flushing);
  EXPECT_FALSE(target.ended());
  copy.staged.set_unflushed(0, 0);
  target.observe(5);
  EXPECT_TRUE(target.ended());
  EXPECT_TRUE(target.finished());
  EXPECT_TRUE(target.flush_observed());
  EXPECT_EQ(*target.end_t(), 5.0);
}

TEST(watch_target, leaves_a_flush_that_stops_falling_after_the_process_is_gone) {
  dd_copy copy(990 * MB, 99.0);
  const procfs proc(copy.staged.root());
  watch_options options;
  options.flush_threshold = 16 * MB;
  options.flush_patience = 30.0;
  watch_target target(proc, dd_copy::pid, options, 0.0);
  copy.at(1000 * MB);
  copy.staged.remove_process(dd_copy::pid);
  copy.staged.set_unflushed(100 * 1000, 0);  // someone else keeps 100 MB dirty for good
  target.observe(1);
  target.observe(1);
  for (int second = 2; second <= 31; ++second) target.observe(second);
  EXPECT_FALSE(target.ended());
  target.observe(32);
  EXPECT_TRUE(target.ended());
  EXPECT_TRUE(target.finished());
  EXPECT_FALSE(target.flush_observed());
}

TEST(watch_target, a_process_writing_to_a_pipe_has_no_flush) {
  // dd if=in.img | ...: the dirty pages are someone else's.
  dd_copy copy(990 * MB, 99.0);
  copy.staged.open_fd(dd_copy::pid, 1, "pipe:[4242]", 0, true);
  const procfs proc(copy.staged.root());
  watch_options options;
  options.flush_threshold = 16 * MB;
  watch_target target(proc, dd_copy::pid, options, 0.0);
  copy.staged.set_pos(dd_copy::pid, 0, 1000 * MB);
  copy.staged.set_unflushed(400 * 1000, 0);
  target.observe(1);
  EXPECT_EQ(target.last().state, state::finished);
}

TEST(watch_target, process_gone_midway_is_not_a_finish) {
  dd_copy copy(300 * MB, 30.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.run(target, 300, 10, 5);
  copy.staged.remove_process(dd_copy::pid);
  target.observe(6);
  EXPECT_TRUE(target.ended());
  EXPECT_FALSE(target.finished());
  EXPECT_EQ(target.end_reason(), "the process exited");
  EXPECT_EQ(target.last().done, 350 * MB);
  EXPECT_EQ(target.last().state, state::ok);
  // Nothing changes after the end.
  target.observe(7);
  EXPECT_EQ(*target.end_t(), 6.0);
}

TEST(watch_target, a_source_closed_by_a_live_process_was_read_through) {
  // dd closes its input at the end of the input and writes its last blocks.
  dd_copy copy(990 * MB, 99.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.staged.close_fd(dd_copy::pid, 0);
  target.observe(1);
  EXPECT_EQ(target.last().state, state::finished);
  EXPECT_EQ(target.file(), copy.in);
  copy.staged.remove_process(dd_copy::pid);
  target.observe(2);
  EXPECT_TRUE(target.finished());
  EXPECT_TRUE(target.finish_observed());
}

TEST(watch_target, a_zombie_has_exited_even_with_its_entry_left) {
  // Killed midway: the kernel closes its files, but the exit shows first as state Z.
  dd_copy copy(300 * MB, 30.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.staged.make_zombie(dd_copy::pid, "dd", 1000.0 - 30.0, 9);
  target.observe(1);
  EXPECT_TRUE(target.ended());
  EXPECT_FALSE(target.finished());
  EXPECT_EQ(target.end_reason(), "killed by signal 9");
  EXPECT_EQ(target.last().done, 300 * MB);
}

TEST(watch_target, a_zombies_exit_status_tells_a_finish_from_a_failure) {
  {
    // Exit status 0 seen: the copy completed, though its end fell between two looks.
    dd_copy copy(900 * MB, 90.0);
    const procfs proc(copy.staged.root());
    watch_target target(proc, dd_copy::pid, {}, 0.0);
    copy.staged.make_zombie(dd_copy::pid, "dd", 1000.0 - 90.0, 0);
    target.observe(0.1);
    EXPECT_TRUE(target.finished());
    EXPECT_TRUE(target.finish_observed());
    EXPECT_EQ(target.last().done, 1000 * MB);
    EXPECT_EQ(target.last().state, state::finished);
  }
  {
    // exit(1) when the finish was due: a failure, not a presumed finish.
    dd_copy copy(999 * MB, 99.9);
    const procfs proc(copy.staged.root());
    watch_target target(proc, dd_copy::pid, {}, 0.0);
    copy.staged.make_zombie(dd_copy::pid, "dd", 1000.0 - 99.9, 256);
    target.observe(5);
    EXPECT_FALSE(target.finished());
    EXPECT_EQ(target.end_reason(), "exited with status 1");
  }
}

TEST(watch_target, a_reused_pid_ends_the_target) {
  dd_copy copy(300 * MB, 30.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.staged.set_start(dd_copy::pid, "bash", 990.0);  // same PID, a process started later
  target.observe(1);
  EXPECT_TRUE(target.ended());
  EXPECT_FALSE(target.finished());
  EXPECT_THAT(target.end_reason(), ::testing::HasSubstr("another process"));
}

TEST(watch_target, an_exit_when_the_finish_was_due_is_a_presumed_finish) {
  dd_copy copy(900 * MB, 90.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.run(target, 900, 10, 9);
  ASSERT_LT(target.last().lo, 2.0);  // 10 MB left at 10 MB/s
  copy.staged.remove_process(dd_copy::pid);
  target.observe(11);
  EXPECT_TRUE(target.ended());
  EXPECT_TRUE(target.finished());
  EXPECT_FALSE(target.finish_observed());
  EXPECT_EQ(target.last().state, state::finished);
}

TEST(watch_target, an_exit_right_after_a_quick_look_near_the_end_is_a_presumed_finish) {
  // Looks come every 50 ms near the end, so the exit is seen sooner than the interval's low end.
  dd_copy copy(900 * MB, 90.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.run(target, 900, 10, 9);
  copy.at(999 * MB);
  target.observe(9.9);
  copy.staged.remove_process(dd_copy::pid);
  target.observe(9.95);
  EXPECT_TRUE(target.finished());
  EXPECT_FALSE(target.finish_observed());
}

TEST(watch_target, an_exit_long_before_the_finish_is_never_presumed_one) {
  dd_copy copy(900 * MB, 90.0);
  const procfs proc(copy.staged.root());
  watch_options options;
  options.finish_window = 1.0;
  watch_target target(proc, dd_copy::pid, options, 0.0);
  copy.run(target, 900, 10, 5);
  ASSERT_GT(target.last().lo, 2.0);  // 50 MB left at 10 MB/s
  copy.staged.remove_process(dd_copy::pid);
  target.observe(6);
  EXPECT_FALSE(target.finished());
}

TEST(watch_target, preads_are_followed_through_the_read_counter) {
  // qemu-img convert: pos stays 0, rchar grows.
  fake_proc staged;
  const std::string in = staged.make_file("disk.qcow2", 1000 * MB);
  const std::string out = staged.make_file("disk.raw", 1000 * MB);
  staged.add_process(7, "qemu-img", {"qemu-img", "convert", "disk.qcow2", "disk.raw"}, 20.0);
  staged.open_fd(7, 9, in, 0);
  staged.open_fd(7, 10, out, 0, true);
  staged.set_io(7, 200 * MB, 200 * MB);
  const procfs proc(staged.root());
  watch_target target(proc, 7, {}, 0.0);
  EXPECT_EQ(target.what_measured(), measure::read_counter);
  EXPECT_EQ(target.last().done, 200 * MB);
  for (int second = 1; second <= 5; ++second) {
    staged.set_io(7, (200 + 10 * static_cast<std::uint64_t>(second)) * MB, 0);
    target.observe(second);
  }
  EXPECT_EQ(target.last().done, 250 * MB);
  EXPECT_EQ(target.last().state, state::ok);
  EXPECT_NEAR(target.last().remaining, 75.0, 10.0);  // 750 MB at 10 MB/s
}

TEST(watch_target, a_copy_inside_the_kernel_is_followed_by_the_written_size) {
  // cp with copy_file_range: the source's pos moves only when the whole file is done.
  fake_proc staged;
  const std::string in = staged.make_file("a.iso", 1000 * MB);
  const std::string out = staged.make_file("b.iso", 100 * MB);
  staged.add_process(8, "cp", {"cp", "a.iso", "b.iso"}, 10.0);
  staged.open_fd(8, 3, in, 0);
  staged.open_fd(8, 4, out, 0, true);
  staged.set_io(8, 4096, 0);
  const procfs proc(staged.root());
  watch_target target(proc, 8, {}, 0.0);
  EXPECT_EQ(target.what_measured(), measure::written_size);
  EXPECT_EQ(target.last().done, 100 * MB);
  for (int second = 1; second <= 5; ++second) {
    staged.resize_file(out, (100 + 50 * static_cast<std::uint64_t>(second)) * MB);
    target.observe(second);
  }
  EXPECT_EQ(target.last().done, 350 * MB);
}

TEST(watch_target, a_tool_that_moves_to_the_next_file_is_followed_there) {
  fake_proc staged;
  const std::string a = staged.make_file("src/a", 100 * MB);
  const std::string b = staged.make_file("src/b", 200 * MB);
  staged.add_process(9, "tar", {"tar", "-cf", "-", "src/a", "src/b"}, 1.0);
  staged.open_fd(9, 3, a, 90 * MB);
  staged.set_io(9, 90 * MB, 0);
  const procfs proc(staged.root());
  // Two files on the command line: overall progress over their 300 MB.
  watch_target target(proc, 9, {}, 0.0);
  EXPECT_TRUE(target.overall());
  EXPECT_EQ(*target.last().total, 300 * MB);
  staged.close_fd(9, 3);
  staged.open_fd(9, 4, b, 10 * MB);
  staged.set_io(9, 110 * MB, 0);
  target.observe(1);
  EXPECT_EQ(target.file(), b);
  EXPECT_EQ(target.last().done, 110 * MB);
}

TEST(watch_target, per_file_progress_starts_afresh_on_each_file) {
  fake_proc staged;
  const std::string a = staged.make_file("a", 100 * MB);
  const std::string b = staged.make_file("b", 200 * MB);
  staged.add_process(9, "rsync", {"rsync", "-a", "host:src/", "dst/"}, 1.0);
  staged.open_fd(9, 3, a, 90 * MB);
  const procfs proc(staged.root());
  watch_target target(proc, 9, {}, 0.0);
  EXPECT_FALSE(target.overall());  // a remote source: its size is unknown
  EXPECT_EQ(target.file(), a);
  staged.close_fd(9, 3);
  staged.open_fd(9, 3, b, 10 * MB);
  target.observe(1);
  EXPECT_EQ(target.file(), b);
  EXPECT_EQ(target.last().done, 10 * MB);
  EXPECT_EQ(*target.last().total, 200 * MB);
}

TEST(watch_target, total_given_means_overall_progress_from_the_read_counter) {
  dd_copy copy(300 * MB, 30.0);
  const procfs proc(copy.staged.root());
  watch_options options;
  options.total = 2000 * MB;
  watch_target target(proc, dd_copy::pid, options, 0.0);
  EXPECT_TRUE(target.overall());
  EXPECT_EQ(*target.last().total, 2000 * MB);
  EXPECT_EQ(target.last().done, 300 * MB + 10000);
}

TEST(watch_target, a_missing_process_or_bad_options_fail_at_attach) {
  fake_proc staged;
  const procfs proc(staged.root());
  try {
    watch_target target(proc, 4242, {}, 0.0);
    FAIL();
  } catch (const process_error& e) {
    EXPECT_EQ(e.what_kind(), process_error::kind::gone);
  }
  staged.add_process(5, "dd", {"dd"}, 1.0);
  watch_options bad;
  bad.level = 1.5;
  EXPECT_THROW(watch_target(proc, 5, bad, 0.0), options_error);
}

TEST(watch_target, without_io_accounting_positions_still_work) {
  dd_copy copy(300 * MB, 30.0);
  std::filesystem::remove(copy.staged.root() + "/100/io");
  std::filesystem::remove(copy.staged.root() + "/meminfo");
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.at(1000 * MB);
  target.observe(1);
  EXPECT_EQ(target.last().state, state::finished);  // no meminfo: no flush to wait for
}

// The followed file changes under the tool: truncated, rewound, replaced, renamed. Each is
// said (take_notes) and handled so that no progress is counted twice or against another file.

TEST(watch_target, a_source_truncated_below_what_was_read_starts_afresh) {
  dd_copy copy(300 * MB, 30.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.run(target, 300, 10, 10);  // 400 MB read
  ASSERT_EQ(target.last().state, state::ok);
  EXPECT_TRUE(target.take_notes().empty());
  copy.staged.resize_file(copy.in, 250 * MB);
  target.observe(11);
  const auto notes = target.take_notes();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_THAT(notes[0], ::testing::HasSubstr(copy.in + " was truncated from 1000000000 to "
                                             "250000000 bytes, below the 400000000 already read"));
  // All there is has been read: dd reads the end of its input next.
  EXPECT_EQ(target.last().done, 250 * MB);
  EXPECT_EQ(*target.last().total, 250 * MB);
  EXPECT_EQ(target.last().state, state::finished);
  EXPECT_TRUE(target.take_notes().empty());  // said once
}

TEST(watch_target, a_source_truncated_ahead_of_the_tool_leaves_less_to_read) {
  dd_copy copy(300 * MB, 30.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.run(target, 300, 10, 10);  // 400 MB read
  copy.staged.resize_file(copy.in, 600 * MB);
  copy.run(target, 400, 10, 1);
  const auto notes = target.take_notes();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_THAT(notes[0], ::testing::EndsWith("was truncated from 1000000000 to 600000000 bytes"));
  // 190 MB left at 10 MB/s: the rate carries on, the total is the new size.
  EXPECT_EQ(*target.last().total, 600 * MB);
  EXPECT_EQ(target.last().state, state::ok);
  EXPECT_NEAR(target.last().remaining, 19.0, 3.0);
}

TEST(watch_target, a_position_that_goes_back_restarts_the_estimate_on_the_same_measure) {
  // The tool seeks back to 100 MB (a retry, a rewritten source): the read counter still grows,
  // but the position is the truth.
  dd_copy copy(300 * MB, 30.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.run(target, 300, 10, 10);  // 400 MB read
  std::uint64_t rchar = 400 * MB;
  for (int second = 11; second <= 20; ++second) {
    const std::uint64_t pos = (100 + 20 * static_cast<std::uint64_t>(second - 11)) * MB;
    rchar += 20 * MB;
    copy.staged.set_pos(dd_copy::pid, 0, pos);
    copy.staged.set_io(dd_copy::pid, rchar, rchar);
    target.observe(second);
    if (second == 11) {
      EXPECT_EQ(target.last().done, 100 * MB);
      EXPECT_EQ(target.last().state, state::warming_up);  // nothing carried over
      const auto notes = target.take_notes();
      ASSERT_EQ(notes.size(), 1u);
      EXPECT_THAT(notes[0], ::testing::HasSubstr("went back from 400000000 to 100000000 bytes"));
    }
  }
  EXPECT_EQ(target.what_measured(), measure::position);
  EXPECT_EQ(target.last().done, 280 * MB);
  // 720 MB left at the new 20 MB/s.
  EXPECT_EQ(target.last().state, state::ok);
  EXPECT_NEAR(target.last().remaining, 36.0, 5.0);
}

TEST(watch_target, a_replaced_file_is_a_new_file) {
  // The same fd and name, another inode: the tool reopened the name after someone replaced
  // the file with a 400 MB one.
  dd_copy copy(300 * MB, 30.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.run(target, 300, 10, 10);
  const std::string other = copy.staged.make_file("other.img", 400 * MB);
  std::filesystem::rename(other, copy.in);
  copy.staged.set_pos(dd_copy::pid, 0, 10 * MB);
  copy.staged.set_io(dd_copy::pid, 410 * MB, 0);
  target.observe(11);
  const auto notes = target.take_notes();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_THAT(notes[0], ::testing::HasSubstr(copy.in + " was replaced by another file"));
  EXPECT_EQ(target.file(), copy.in);
  EXPECT_EQ(target.last().done, 10 * MB);
  EXPECT_EQ(*target.last().total, 400 * MB);
  EXPECT_EQ(target.last().state, state::warming_up);
  EXPECT_EQ(target.what_measured(), measure::position);
}

TEST(watch_target, a_file_renamed_while_open_is_still_the_same_file) {
  dd_copy copy(300 * MB, 30.0);
  const procfs proc(copy.staged.root());
  watch_target target(proc, dd_copy::pid, {}, 0.0);
  copy.run(target, 300, 10, 10);
  const double before = target.last().remaining;
  // mv in.img moved.img: the kernel's link now reads the new name; the inode is the same.
  const std::string moved = copy.staged.files_dir() + "/moved.img";
  std::filesystem::rename(copy.in, moved);
  copy.staged.open_fd(dd_copy::pid, 0, moved, 410 * MB);
  target.observe(11);
  const auto notes = target.take_notes();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_THAT(notes[0], ::testing::HasSubstr("was renamed to " + moved + ": still followed"));
  EXPECT_EQ(target.file(), moved);
  // The estimate goes on: 590 MB left at 10 MB/s.
  EXPECT_EQ(target.last().state, state::ok);
  EXPECT_NEAR(target.last().remaining, before - 1.0, 1.0);
}

TEST(source_total, sums_the_named_sources_but_not_the_destination) {
  fake_proc staged;
  staged.make_file("src/a", 100);
  staged.make_file("src/sub/b", 250);
  staged.make_file("one", 7);
  staged.make_file("dst/old", 1000);
  const std::string cwd = staged.files_dir();
  EXPECT_EQ(source_total("cp", {"cp", "-r", "src", "dst"}, cwd, {}), 350u);
  EXPECT_EQ(source_total("cp", {"cp", "-r", "src", "one", cwd + "/dst"}, cwd, {}), 357u);
  // One file is followed per file anyway; a remote source cannot be sized.
  EXPECT_EQ(source_total("cp", {"cp", "one", "two"}, cwd, {}), std::nullopt);
  EXPECT_EQ(source_total("rsync", {"rsync", "-a", "host:src", "dst"}, cwd, {}), std::nullopt);
  // tar's archive is written, not read: excluded by the caller's list of written files.
  staged.make_file("out.tar", 5000);
  EXPECT_EQ(source_total("tar", {"tar", "cf", "out.tar", "src"}, cwd, {cwd + "/out.tar"}), 350u);
}

}  // namespace
}  // namespace copyeta::cli
