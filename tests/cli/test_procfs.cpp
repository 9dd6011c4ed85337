#include "fake_proc.hpp"

#include <procfs.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include <sys/wait.h>
#include <unistd.h>

namespace copyeta::cli {
namespace {

using testing::fake_proc;

TEST(procfs, lists_numeric_entries_only_in_order) {
  fake_proc staged;
  staged.add_process(42, "dd", {"dd", "if=a"}, 10.0);
  staged.add_process(7, "cp", {"cp", "a", "b"}, 10.0);
  const procfs proc(staged.root());
  EXPECT_THAT(proc.pids(), ::testing::ElementsAre(7, 42));  // "files", "uptime" are skipped
}

TEST(procfs, reads_comm_cmdline_uid_and_start_time) {
  fake_proc staged;
  staged.set_uptime(500.0);
  staged.add_process(42, "dd", {"dd", "if=disk image.img", "of=/dev/null", ""}, 120.0, 1000);
  const procfs proc(staged.root());
  EXPECT_EQ(proc.comm(42), "dd");
  EXPECT_THAT(proc.cmdline(42),
              ::testing::ElementsAre("dd", "if=disk image.img", "of=/dev/null", ""));
  EXPECT_EQ(proc.uid(42), 1000u);
  // The comm in stat is "(dd x)", with a space: fields count from the last ')'.
  EXPECT_EQ(proc.start_ticks(42), 38000u);
  EXPECT_NEAR(proc.uptime(), 500.0, 1e-9);
  EXPECT_NEAR(process_age(proc, 42), 120.0, 0.02);
  EXPECT_EQ(proc.cwd(42), staged.files_dir());
}

TEST(procfs, open_files_carry_position_access_type_and_size) {
  fake_proc staged;
  staged.add_process(42, "dd", {"dd"}, 10.0);
  const std::string in = staged.make_file("in.img", 1 << 20);
  const std::string out = staged.make_file("out.img", 4096);
  staged.open_fd(42, 0, in, 65536);
  staged.open_fd(42, 1, out, 4096, true);
  staged.open_fd(42, 2, "/dev/null", 0, true);
  const procfs proc(staged.root());
  const auto files = proc.files(42);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].fd, 0);
  EXPECT_EQ(files[0].path, in);
  EXPECT_EQ(files[0].pos, 65536u);
  EXPECT_EQ(files[0].access, access_mode::read);
  EXPECT_TRUE(files[0].regular);
  EXPECT_EQ(files[0].size, 1u << 20);
  EXPECT_EQ(files[1].access, access_mode::write);
  EXPECT_EQ(files[1].size, 4096u);
  EXPECT_FALSE(files[2].regular);  // a character device has no size to follow
  EXPECT_FALSE(files[2].block_device);
}

TEST(procfs, a_file_closed_while_listing_is_skipped) {
  fake_proc staged;
  staged.add_process(42, "cp", {"cp"}, 10.0);
  const std::string in = staged.make_file("in", 100);
  staged.open_fd(42, 3, in, 10);
  // The link is there, its fdinfo is not: the fd closed between the two reads.
  std::filesystem::remove(staged.root() + "/42/fdinfo/3");
  const procfs proc(staged.root());
  EXPECT_TRUE(proc.files(42).empty());
}

TEST(procfs, io_and_unflushed_bytes) {
  fake_proc staged;
  staged.add_process(42, "qemu-img", {"qemu-img"}, 10.0);
  staged.set_io(42, 123456789, 42);
  staged.set_unflushed(1000, 24);
  const procfs proc(staged.root());
  EXPECT_EQ(proc.io(42).rchar, 123456789u);
  EXPECT_EQ(proc.io(42).wchar, 42u);
  EXPECT_EQ(proc.unflushed_bytes(), 1024u * 1024u);
}

TEST(procfs, errors_say_which_process_and_why) {
  fake_proc staged;
  const procfs proc(staged.root());
  try {
    proc.comm(99999);
    FAIL() << "no process 99999 was staged";
  } catch (const process_error& e) {
    EXPECT_EQ(e.what_kind(), process_error::kind::gone);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("/99999/comm"));
  }
  // A broken stat (no ')') and a missing field are unreadable, not gone.
  staged.add_process(5, "dd", {"dd"}, 1.0);
  std::ofstream(staged.root() + "/5/stat") << "5 dd S 1 2 3\n";
  std::ofstream(staged.root() + "/5/io") << "rchar: x\n";
  try {
    proc.start_ticks(5);
    FAIL();
  } catch (const process_error& e) {
    EXPECT_EQ(e.what_kind(), process_error::kind::unreadable);
  }
  try {
    proc.io(5);
    FAIL();
  } catch (const process_error& e) {
    EXPECT_EQ(e.what_kind(), process_error::kind::unreadable);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("rchar"));
  }
  // A root that is not there at all.
  const procfs nowhere(staged.root() + "/nowhere");
  EXPECT_THROW(nowhere.pids(), process_error);
  EXPECT_THROW(nowhere.unflushed_bytes(), process_error);
}

TEST(procfs, reads_this_process_from_the_real_proc) {
  const procfs proc;
  const int self = static_cast<int>(::getpid());
  EXPECT_FALSE(proc.comm(self).empty());
  EXPECT_GT(proc.start_ticks(self), 0u);
  EXPECT_GT(proc.uptime(), 0.0);
  EXPECT_FALSE(proc.files(self).empty());
  EXPECT_GT(proc.io(self).rchar, 0u);
}

TEST(procfs, a_real_zombie_shows_its_exit_status_until_reaped) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(3);
  const procfs proc;
  // Wait for the exit without reaping it (WNOWAIT keeps the zombie).
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT), 0);
  EXPECT_TRUE(proc.exited(child));
  EXPECT_EQ(proc.exit_status(child), 3 << 8);
  EXPECT_EQ(proc.parent(child), static_cast<int>(::getpid()));
  EXPECT_TRUE(proc.files(child).empty());  // the kernel closed its files
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_THROW(proc.exited(child), process_error);
}

}  // namespace
}  // namespace copyeta::cli
