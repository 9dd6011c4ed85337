// Following one running process's copy through /proc, one observation at a time.
//
// Time is passed in (seconds on a monotonic clock), so tests drive a staged /proc tick by tick.
//
// What is followed:
// - per file (the default): the file the process reads, at its `pos`, against its size. When
//   the process moves on to another file (cp -r, rsync, tar), the new file is followed from
//   there, with a fresh estimate.
// - overall, when the copy's total is known: from --total, or from the sizes of the source
//   files and directories on the command line (cp, mv, rsync, tar, ...). done is the larger of
//   the process's read counter (rchar) and the bytes of the files it was seen finishing plus
//   the current one's position; both only ever undercount.
//
// How far a file is, by the first of these that moves:
// - `position`: the `pos:` of /proc/PID/fdinfo/FD, for tools that read(2) in order;
// - `read_counter`: rchar of /proc/PID/io, for tools that pread(2) and never move `pos`
//   (qemu-img) when the process reads nothing else;
// - `written_size`: the size of the file being written, for tools that copy inside the kernel
//   (cp's copy_file_range moves `pos` only when the whole file is done).
//
// The position at attach time is taken as it is: copyeta never assumes the copy started when it
// attached. When the process's read counter shows that it has read nothing but this file, the
// process's start (from /proc/PID/stat) is taken as the copy's start, which gives an estimate at
// once.
//
// When everything is read, the process writes to a file or a block device, and the kernel still
// holds data in dirty pages (Dirty + Writeback of /proc/meminfo), the state is `flushing` and the estimate is for the flush: dd
// returning half an hour after printing 100% is a real case. The flush is followed after the
// process exits too, until the unflushed amount falls under a threshold or stops falling.
#pragma once

#include "procfs.hpp"

#include <copyeta/estimate.hpp>
#include <copyeta/monitor.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace copyeta::cli {

struct watch_options {
  std::optional<amount> total;  // the whole copy's size (--total); nullopt: found or per file
  double level = 0.8;
  // Unflushed bytes (Dirty + Writeback) at or under this count as on disk. Other programs
  // keep some pages dirty all the time, so this is not 0.
  std::uint64_t flush_threshold = std::uint64_t{32} << 20;
  // A flush that has not fallen for this many seconds is left: someone else is writing.
  double flush_patience = 60.0;
  // A process seen gone, unseen exiting, is presumed to have finished when its finish was due
  // by then, or was due within this many seconds (the watch interval): looks come faster near
  // the end, faster than the interval's low end can promise the finish.
  double finish_window = 1.0;

  void validate() const;  // throws options_error
};

enum class measure { none, position, read_counter, written_size };
std::string_view to_string(measure m) noexcept;

// The sizes of the existing source files and directories that `argv` names, resolved against
// `cwd`: every argument that is not an option, except the destination (the last one) for
// cp/mv/rsync/scp-like tools, and except `exclude` (the files the process writes). nullopt
// unless at least one directory or two files are named: one file is followed per file anyway.
std::optional<amount> source_total(std::string_view comm, const std::vector<std::string>& argv,
                                   const std::string& cwd,
                                   const std::vector<std::string>& exclude);

class watch_target {
 public:
  // Attaches at time t. Throws process_error when the process does not exist or cannot be
  // read; options_error for invalid options.
  watch_target(const procfs& proc, int pid, const watch_options& options, double t);

  // Observes the process at t (not before the previous observation) and returns the estimate.
  // Never throws: a process that ends or becomes unreadable ends the target.
  const estimate& observe(double t);

  int pid() const noexcept { return pid_; }
  const std::string& comm() const noexcept { return comm_; }
  // The file followed (its path as the process opened it), or the last one after the process
  // closed it; empty when none was found.
  const std::string& file() const noexcept { return file_; }
  measure what_measured() const noexcept { return measure_; }
  bool overall() const noexcept { return overall_; }
  // Dirty + Writeback at the latest observation while flushing; 0 otherwise.
  std::uint64_t unflushed() const noexcept { return unflushed_; }

  const estimate& last() const noexcept { return last_; }
  // The process ended (and any flush after it is over); nothing more will change.
  bool ended() const noexcept { return phase_ == phase::ended; }
  // The copy completed: all read (and flushed), or the process seen exiting with status 0.
  // `finish_observed` is false when the process exited between two observations, unseen, so
  // close to its predicted finish that it is presumed done.
  bool finished() const noexcept { return finished_; }
  bool finish_observed() const noexcept { return finish_observed_; }
  // A flush followed the copy and was seen to end (rather than given up on).
  bool flush_observed() const noexcept { return flush_observed_; }
  // When the process was last seen alive, and when it ended (after the flush, if one followed).
  std::optional<double> end_t() const noexcept { return end_t_; }
  // Why the target ended, when not by finishing: "process exited", "PID reused", ...
  const std::string& end_reason() const noexcept { return end_reason_; }
  // What happened to the followed file since the last call, for a message: truncated, its
  // position gone back, replaced by another file, renamed or deleted while open.
  std::vector<std::string> take_notes();

 private:
  enum class phase { copying, flushing, ended };

  std::unique_ptr<monitor> fresh_monitor() const;
  void follow(const std::vector<open_file>& files, const process_io* io);
  std::uint64_t unflushed_now() const;
  // `status` is the wait status, when the exit was seen before the parent reaped the process.
  void process_ended(double t, std::string reason, std::optional<int> status = std::nullopt);
  void end(double t, std::string reason);
  void start_flush(double t, std::uint64_t unflushed);
  void observe_flush(double t, bool alive);

  const procfs* proc_;
  int pid_;
  watch_options options_;
  std::string comm_;
  std::uint64_t start_ticks_ = 0;
  bool overall_ = false;
  std::optional<amount> overall_total_;

  // The followed file: fd and inode identify it across observations (fd and path when the
  // inode is unknown); file_serial_ counts the files followed.
  int fd_ = -1;
  std::string file_;
  std::uint64_t device_ = 0, inode_ = 0;
  std::uint64_t file_serial_ = 0;
  std::vector<std::string> notes_;
  measure measure_ = measure::none;
  std::uint64_t file_size_ = 0;
  bool file_closed_ = false;  // the process closed it: read through
  std::uint64_t rchar_base_ = 0;  // rchar when the file was first followed (0 for the first)
  std::uint64_t last_pos_ = 0, last_rchar_ = 0, last_written_ = 0;
  amount completed_files_ = 0;  // overall mode: bytes of files seen finished
  amount file_done_ = 0;        // the followed file's progress at the latest observation

  std::unique_ptr<monitor> monitor_;
  estimate last_;
  std::optional<double> copy_rate_;
  double last_t_ = 0.0;
  double last_alive_t_ = 0.0;
  bool warm_start_pending_ = true;
  phase phase_ = phase::copying;
  bool process_alive_ = true;
  // The process was seen writing a regular file or a block device: only then is the kernel's
  // writeback (which Dirty and Writeback count for the whole system) its flush.
  bool writes_to_disk_ = false;

  // The flush: the copy's final estimate, the amount unflushed when the flush began, and when
  // that amount last fell.
  std::unique_ptr<monitor> flush_monitor_;
  estimate copy_end_;
  double flush_start_t_ = 0.0;
  double dirty_expire_ = 30.0;
  double writeback_interval_ = 5.0;
  std::uint64_t flush_start_bytes_ = 0;
  std::uint64_t unflushed_ = 0;
  std::uint64_t lowest_unflushed_ = 0;
  double last_fall_t_ = 0.0;
  bool flush_observed_ = false;

  bool finished_ = false;
  bool finish_observed_ = false;
  std::optional<double> end_t_;
  std::string end_reason_;
};

}  // namespace copyeta::cli
