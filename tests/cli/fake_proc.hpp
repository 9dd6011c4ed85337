// A /proc tree staged in a temporary directory, for procfs and watch_target tests: processes
// with their comm, cmdline, stat, status, io and open files (fd links to real files in the same
// directory, with fdinfo positions), plus uptime and meminfo. The tests change it between
// observations, which makes every case deterministic.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace copyeta::cli::testing {

class fake_proc {
 public:
  fake_proc() {
    std::string pattern = (std::filesystem::temp_directory_path() / "copyeta-proc-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    base_ = pattern;
    std::filesystem::create_directories(root() + "/files");
    set_uptime(1000.0);
    set_unflushed(0, 0);
  }
  ~fake_proc() {
    std::error_code ignored;
    std::filesystem::remove_all(base_, ignored);
  }
  fake_proc(const fake_proc&) = delete;
  fake_proc& operator=(const fake_proc&) = delete;

  std::string root() const { return base_ + "/proc"; }
  // Where the staged processes' files live (the cwd of every staged process).
  std::string files_dir() const { return root() + "/files"; }

  // A sparse file of `size` bytes in files_dir(); returns its path.
  std::string make_file(const std::string& name, std::uint64_t size) {
    const std::string path = files_dir() + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    { std::ofstream create(path); }
    resize_file(path, size);
    return path;
  }
  void resize_file(const std::string& path, std::uint64_t size) {
    std::filesystem::resize_file(path, size);
  }

  // A process that started `age` seconds before the current uptime (100 ticks a second, as
  // sysconf(_SC_CLK_TCK) gives on Linux).
  void add_process(int pid, const std::string& comm, const std::vector<std::string>& argv,
                   double age, unsigned uid = 0) {
    const std::string dir = pid_dir(pid);
    std::filesystem::create_directories(dir + "/fd");
    std::filesystem::create_directories(dir + "/fdinfo");
    write(dir + "/comm", comm + "\n");
    std::string cmdline;
    for (const std::string& arg : argv) cmdline += arg + '\0';
    write(dir + "/cmdline", cmdline);
    set_start(pid, comm, uptime_ - age);
    write(dir + "/status", fmt::format("Name:\t{}\nUid:\t{}\t{}\t{}\t{}\n", comm, uid, uid, uid, uid));
    std::filesystem::create_directory_symlink(files_dir(), dir + "/cwd");
    set_io(pid, 0, 0);
  }
  // Rewrites /proc/PID/stat with a start time `started` seconds after boot: a new value is a
  // PID reused by a new process.
  void set_start(int pid, const std::string& comm, double started, char state = 'S',
                 int exit_status = 0) {
    const auto ticks = static_cast<std::uint64_t>(started * 100.0);
    // Fields 4..21 and 23..51 are placeholders; the comm holds a space, as real ones can.
    std::string stat = fmt::format("{} ({} x) {}", pid, comm, state);
    for (int field = 4; field <= 21; ++field) stat += " 0";
    stat += fmt::format(" {}", ticks);
    for (int field = 23; field <= 51; ++field) stat += " 0";
    stat += fmt::format(" {}\n", exit_status);
    write(pid_dir(pid) + "/stat", stat);
  }
  void remove_process(int pid) { std::filesystem::remove_all(pid_dir(pid)); }
  // The process exited and its parent has not reaped it: the entry stays, its files are closed.
  // `exit_status` is the wait status: 0 a clean exit, 256 exit(1), 9 killed by SIGKILL.
  void make_zombie(int pid, const std::string& comm, double started, int exit_status) {
    set_start(pid, comm, started, 'Z', exit_status);
    std::filesystem::remove_all(pid_dir(pid) + "/fd");
    std::filesystem::remove_all(pid_dir(pid) + "/fdinfo");
    std::filesystem::create_directories(pid_dir(pid) + "/fd");
    std::filesystem::create_directories(pid_dir(pid) + "/fdinfo");
  }

  // Opens `path` as fd `fd` of the process: O_RDONLY (flags 0100000 as the kernel shows
  // O_LARGEFILE) or O_WRONLY.
  void open_fd(int pid, int fd, const std::string& path, std::uint64_t pos, bool write_mode = false) {
    const std::string link = fmt::format("{}/fd/{}", pid_dir(pid), fd);
    std::error_code ignored;
    std::filesystem::remove(link, ignored);
    std::filesystem::create_symlink(path, link);
    set_pos(pid, fd, pos, write_mode);
  }
  void set_pos(int pid, int fd, std::uint64_t pos, bool write_mode = false) {
    write(fmt::format("{}/fdinfo/{}", pid_dir(pid), fd),
          fmt::format("pos:\t{}\nflags:\t{}\nmnt_id:\t24\nino:\t3\n", pos,
                      write_mode ? "0100001" : "0100000"));
  }
  void close_fd(int pid, int fd) {
    std::filesystem::remove(fmt::format("{}/fd/{}", pid_dir(pid), fd));
    std::filesystem::remove(fmt::format("{}/fdinfo/{}", pid_dir(pid), fd));
  }
  void set_io(int pid, std::uint64_t rchar, std::uint64_t wchar) {
    write(pid_dir(pid) + "/io",
          fmt::format("rchar: {}\nwchar: {}\nsyscr: 1\nsyscw: 1\nread_bytes: 0\n"
                      "write_bytes: 0\ncancelled_write_bytes: 0\n",
                      rchar, wchar));
  }
  void set_uptime(double seconds) {
    uptime_ = seconds;
    write(root() + "/uptime", fmt::format("{:.2f} 1234.56\n", seconds));
  }
  // /proc/sys/vm/dirty_expire_centisecs: how long data may stay dirty.
  void set_dirty_expire(int centiseconds) {
    std::filesystem::create_directories(root() + "/sys/vm");
    write(root() + "/sys/vm/dirty_expire_centisecs", fmt::format("{}\n", centiseconds));
  }
  void set_unflushed(std::uint64_t dirty_kb, std::uint64_t writeback_kb) {
    write(root() + "/meminfo",
          fmt::format("MemTotal:       24000000 kB\nDirty:          {} kB\n"
                      "Writeback:      {} kB\nAnonPages:      1000 kB\n",
                      dirty_kb, writeback_kb));
  }

 private:
  std::string pid_dir(int pid) const { return fmt::format("{}/{}", root(), pid); }
  // In place, then cut to length: truncating a file to zero and writing it again makes ext4
  // write it back to disk on close (auto_da_alloc), which slows staged trees to disk speed.
  static void write(const std::string& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot write " + path);
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                         ::ftruncate(fd, static_cast<off_t>(text.size())) == 0;
    ::close(fd);
    if (!written) throw std::runtime_error("cannot write " + path);
  }

  std::string base_;
  double uptime_ = 1000.0;
};

}  // namespace copyeta::cli::testing
