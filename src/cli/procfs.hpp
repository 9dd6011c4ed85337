// What /proc says about another process's copy: its open files with their read positions, its
// I/O counters, and the kernel's dirty pages.
//
// The root is injectable ("/proc" by default) so tests can stage what a root-run test cannot
// meet for real: a vanished process, a PID reused, an unreadable /proc. Everything here is
// Linux-only; the watch command is the only user.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace copyeta::cli {

// A process that cannot be read: why, and a message naming the PID and the path.
class process_error : public std::runtime_error {
 public:
  enum class kind { gone, permission_denied, unreadable };
  process_error(kind k, const std::string& message) : std::runtime_error(message), kind_(k) {}
  kind what_kind() const noexcept { return kind_; }

 private:
  kind kind_;
};

enum class access_mode { read, write, read_write };

struct open_file {
  int fd = -1;
  std::string path;        // the link target: "/data/a.img", "/dev/sdb", "pipe:[1234]"
  std::uint64_t pos = 0;   // the `pos:` line of fdinfo
  access_mode access = access_mode::read;
  bool regular = false;
  bool block_device = false;
  std::uint64_t size = 0;  // st_size, or BLKGETSIZE64 for a block device
  // The open file's identity (st_dev, st_ino through the fd link): the same across a rename
  // or an unlink of its name, new when another file took the name and was opened.
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
};

struct process_io {
  std::uint64_t rchar = 0;  // bytes read by read(2) and friends, over the process's life
  std::uint64_t wchar = 0;
};

class procfs {
 public:
  explicit procfs(std::string root = "/proc");
  const std::string& root() const noexcept { return root_; }

  // The numeric entries of the root, in increasing order.
  std::vector<int> pids() const;

  // Each throws process_error: `gone` when the process does not exist (any more),
  // `permission_denied` when the kernel refuses (another user's process), `unreadable` for
  // anything else, the message naming the path.
  std::string comm(int pid) const;
  std::vector<std::string> cmdline(int pid) const;
  std::string cwd(int pid) const;
  // Field 22 of /proc/PID/stat: the start time in clock ticks after boot. A PID reused by a
  // new process has a new start time.
  std::uint64_t start_ticks(int pid) const;
  // True when the process has exited and only its entry remains (state Z or X in field 3): its
  // files are already closed.
  bool exited(int pid) const;
  // For an exited process not yet reaped by its parent: its wait status (field 52 of stat, as
  // waitpid(2) gives it), when the kernel shows it (Linux 3.5 and later).
  std::optional<int> exit_status(int pid) const;
  // Field 4 of /proc/PID/stat. rsync, tar | gzip and the like fork helpers of the same name.
  int parent(int pid) const;
  unsigned uid(int pid) const;  // the real user id, from /proc/PID/status
  std::vector<open_file> files(int pid) const;
  process_io io(int pid) const;

  // Seconds since boot (/proc/uptime).
  double uptime() const;
  // Dirty + Writeback of /proc/meminfo, in bytes: data written but not yet on disk.
  std::uint64_t unflushed_bytes() const;
  // How long the kernel lets data stay dirty before writing it back, and how often its flusher
  // wakes, in seconds (/proc/sys/vm/dirty_expire_centisecs and dirty_writeback_centisecs; the
  // kernel's defaults, 30 and 5, when they cannot be read).
  double dirty_expire_seconds() const;
  double writeback_interval_seconds() const;

 private:
  std::string path(int pid, const char* entry) const;
  std::string root_;
};

// How long the process has run, in seconds: uptime() - start_ticks / CLK_TCK.
double process_age(const procfs& proc, int pid);

}  // namespace copyeta::cli
