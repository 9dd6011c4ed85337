#include "watch_target.hpp"

#include <copyeta/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include <ftw.h>
#include <sys/wait.h>
#include <sys/stat.h>

namespace copyeta::cli {
namespace {

// Tools whose last argument is the destination.
bool last_is_destination(std::string_view comm) {
  constexpr std::array<std::string_view, 6> tools{"cp", "mv", "rsync", "scp", "install", "rclone"};
  return std::find(tools.begin(), tools.end(), comm) != tools.end();
}

// A file the process reads that can be a copy's source: a regular file or a block device with
// a size, outside the kernel's virtual file systems.
bool is_source(const open_file& f) {
  if (f.access != access_mode::read || f.size == 0) return false;
  if (f.block_device) return true;
  if (!f.regular) return false;
  return f.path.rfind("/proc/", 0) != 0 && f.path.rfind("/sys/", 0) != 0;
}

// A file the process writes its copy to: a regular file or a block device, but not its stderr
// (messages, often redirected to a log file).
bool is_written(const open_file& f) {
  return f.access != access_mode::read && f.fd != 2 && (f.regular || f.block_device);
}

// How far the process is in writing: the largest written regular file's size, or a written
// block device's position.
std::uint64_t written_amount(const std::vector<open_file>& files) {
  std::uint64_t most = 0;
  for (const open_file& f : files) {
    if (!is_written(f)) continue;
    if (f.regular) most = std::max(most, f.size);
    if (f.block_device) most = std::max(most, f.pos);
  }
  return most;
}

amount tree_bytes = 0;  // nftw takes a plain function; source_total() is not re-entered
int add_tree_file(const char*, const struct stat* st, int type, struct FTW*) {
  if (type == FTW_F && S_ISREG(st->st_mode)) tree_bytes += static_cast<amount>(st->st_size);
  return 0;
}

}  // namespace

void watch_options::validate() const {
  if (!(level > 0.0 && level < 1.0))
    throw options_error(fmt::format("[copyeta.options] level = {} is not in (0, 1)", level));
  if (!(flush_patience > 0.0) || !std::isfinite(flush_patience))
    throw options_error(
        fmt::format("[copyeta.options] flush_patience = {} is not a positive time", flush_patience));
  if (!(finish_window >= 0.0) || !std::isfinite(finish_window))
    throw options_error(
        fmt::format("[copyeta.options] finish_window = {} is not a time", finish_window));
}

std::string_view to_string(measure m) noexcept {
  switch (m) {
    case measure::none: return "none";
    case measure::position: return "position";
    case measure::read_counter: return "read_counter";
    case measure::written_size: return "written_size";
  }
  return "none";
}

std::optional<amount> source_total(std::string_view comm, const std::vector<std::string>& argv,
                                   const std::string& cwd,
                                   const std::vector<std::string>& exclude) {
  std::vector<std::string> names;
  for (std::size_t i = 1; i < argv.size(); ++i)
    if (!argv[i].empty() && argv[i][0] != '-') names.push_back(argv[i]);
  if (last_is_destination(comm) && !names.empty()) names.pop_back();

  std::size_t directories = 0, files = 0;
  amount bytes = 0;
  for (const std::string& name : names) {
    const std::string path = name[0] == '/' ? name : cwd + "/" + name;
    if (std::find(exclude.begin(), exclude.end(), path) != exclude.end()) continue;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;  // an option's value, a remote path, ...
    if (S_ISDIR(st.st_mode)) {
      ++directories;
      tree_bytes = 0;
      ::nftw(path.c_str(), add_tree_file, 64, FTW_PHYS);
      bytes += tree_bytes;
    } else if (S_ISREG(st.st_mode)) {
      ++files;
      bytes += static_cast<amount>(st.st_size);
    }
  }
  if (directories == 0 && files < 2) return std::nullopt;
  return bytes;
}

watch_target::watch_target(const procfs& proc, int pid, const watch_options& options, double t)
    : proc_(&proc), pid_(pid), options_(options) {
  options_.validate();
  comm_ = proc.comm(pid);
  start_ticks_ = proc.start_ticks(pid);
  // Another user's process fails here, with permission denied, before anything is printed.
  const std::vector<open_file> files = proc.files(pid);

  if (options.total) {
    overall_ = true;
    overall_total_ = options.total;
  } else {
    std::vector<std::string> written;
    for (const open_file& f : files)
      if (f.access != access_mode::read) written.push_back(f.path);
    std::string cwd;
    try {
      cwd = proc.cwd(pid);
    } catch (const process_error&) {
      // Relative source paths cannot be resolved; absolute ones still can.
    }
    overall_total_ = source_total(comm_, proc.cmdline(pid), cwd, written);
    overall_ = overall_total_.has_value();
  }
  monitor_ = fresh_monitor();
  last_t_ = t;
  observe(t);
}

std::unique_ptr<monitor> watch_target::fresh_monitor() const {
  monitor_options mo;
  mo.estimator.level = options_.level;
  return std::make_unique<monitor>(mo);
}

void watch_target::follow(const std::vector<open_file>& files, const process_io* io) {
  // The followed file is the same open file: the same fd and inode (a rename or an unlink of
  // its name changes the link's text, not the file). Truncated to nothing it is still the
  // followed file, though no longer a source worth attaching to.
  const auto is_followed = [&](const open_file& f) {
    if (f.fd != fd_) return false;
    if (inode_ != 0 || f.inode != 0) return f.inode == inode_ && f.device == device_;
    return f.path == file_;
  };
  const open_file* current = nullptr;
  for (const open_file& f : files)
    if (is_followed(f) && (is_source(f) || (f.regular && f.access == access_mode::read)))
      current = &f;
  if (!current)
    for (const open_file& f : files)
      if (is_source(f) && (!current || f.pos > current->pos)) current = &f;

  const std::uint64_t rchar = io ? io->rchar : 0;
  const std::uint64_t written = written_amount(files);
  for (const open_file& f : files)
    if (is_written(f)) writes_to_disk_ = true;
  if (!current) {
    // The followed file was closed by a live process: tools close a source once they have read
    // it through (dd at end of input, cp, rsync, tar between files). A process that dies closes
    // its files too, but then it is gone (or a zombie) before this is reached.
    if (fd_ >= 0 && !file_closed_) {
      file_closed_ = true;
      file_done_ = file_size_;
    }
    return;
  }
  const bool switched = !is_followed(*current);
  if (switched && fd_ >= 0 && current->fd == fd_ && current->path == file_) {
    // The same fd and name, another inode: the file was replaced and the tool opened the new
    // one. Its progress starts from its own position; nothing carries over.
    notes_.push_back(fmt::format(
        "{} was replaced by another file (inode {}, was {}): following the new one", file_,
        current->inode, inode_));
  } else if (!switched && current->path != file_) {
    notes_.push_back(
        current->path.size() > 10 && current->path.compare(current->path.size() - 10, 10,
                                                           " (deleted)") == 0
            ? fmt::format("{} was deleted while open: still followed", file_)
            : fmt::format("{} was renamed to {}: still followed", file_, current->path));
    file_ = current->path;
  }
  if (switched) {
    const bool had_file = fd_ >= 0;
    if (overall_) completed_files_ += file_done_;
    file_done_ = 0;
    file_closed_ = false;
    fd_ = current->fd;
    file_ = current->path;
    device_ = current->device;
    inode_ = current->inode;
    file_size_ = current->size;
    ++file_serial_;
    // The read counter counts every file the process read: from the second file on, only what
    // it read since this one was opened is this file's.
    rchar_base_ = had_file ? rchar : 0;
    if (!overall_ && had_file) {
      monitor_ = fresh_monitor();
      finished_ = finish_observed_ = false;
    }
  }
  const std::uint64_t size_before = file_size_;
  file_size_ = current->size;
  const std::uint64_t by_pos = current->pos;
  const std::uint64_t by_reads = std::min<std::uint64_t>(rchar - std::min(rchar, rchar_base_), file_size_);
  const std::uint64_t by_written = std::min<std::uint64_t>(written, file_size_);

  measure chosen = measure_;
  // The measure followed fell: the file was truncated under the tool, or the tool went back
  // in it. That is no reason to change measures.
  const bool went_back = !switched && ((measure_ == measure::position && by_pos < last_pos_) ||
                                       (measure_ == measure::read_counter && by_reads < last_rchar_) ||
                                       (measure_ == measure::written_size && by_written < last_written_));
  if (switched || measure_ == measure::none) {
    // The first look: pos is the rule; a tool that has read much with pos still at 0 preads,
    // and one that has read nothing while its output grows copies inside the kernel.
    chosen = by_pos > 0                                         ? measure::position
             : by_reads > (std::uint64_t{1} << 20) && io        ? measure::read_counter
             : by_written > 0                                   ? measure::written_size
                                                                : measure::position;
  } else if (!went_back) {
    const auto moved = [&](measure m) {
      switch (m) {
        case measure::position: return by_pos > last_pos_;
        case measure::read_counter: return io && by_reads > last_rchar_;
        case measure::written_size: return by_written > last_written_;
        case measure::none: return false;
      }
      return false;
    };
    if (!moved(measure_)) {
      if (moved(measure::position)) chosen = measure::position;
      else if (moved(measure::read_counter)) chosen = measure::read_counter;
      else if (moved(measure::written_size)) chosen = measure::written_size;
    }
  }
  if (chosen != measure_ && !switched && measure_ != measure::none && !overall_) {
    // Another measure's amounts are not comparable with the old one's: start the estimate
    // afresh rather than read the jump as a burst.
    monitor_ = fresh_monitor();
    warm_start_pending_ = chosen == measure::read_counter && rchar_base_ == 0;
  }
  measure_ = chosen;
  last_pos_ = by_pos;
  last_rchar_ = by_reads;
  last_written_ = by_written;
  const amount done_before = file_done_;
  file_done_ = measure_ == measure::position       ? std::min<std::uint64_t>(by_pos, file_size_)
               : measure_ == measure::read_counter ? by_reads
                                                   : by_written;
  if (switched) return;
  if (file_size_ < size_before) {
    notes_.push_back(fmt::format("{} was truncated from {} to {} bytes{}", file_, size_before,
                                 file_size_,
                                 file_done_ < done_before
                                     ? fmt::format(", below the {} already read: its estimate "
                                                   "starts afresh",
                                                   done_before)
                                     : std::string()));
  } else if (went_back) {
    notes_.push_back(fmt::format("the progress on {} went back from {} to {} bytes (the tool went "
                                 "back, or its output was truncated): its estimate starts afresh",
                                 file_, done_before, file_done_));
  }
  if (file_done_ < done_before && !overall_) {
    // What was read before no longer counts for this file, nor does its rate: a clean start
    // (the process's start is no longer this run's start either).
    monitor_ = fresh_monitor();
    finished_ = finish_observed_ = false;
    warm_start_pending_ = false;
  }
}

std::vector<std::string> watch_target::take_notes() {
  std::vector<std::string> taken;
  taken.swap(notes_);
  return taken;
}

const estimate& watch_target::observe(double t) {
  if (phase_ == phase::ended) return last_;
  t = std::max(t, last_t_);
  last_t_ = t;

  std::vector<open_file> files;
  std::optional<process_io> io;
  try {
    if (proc_->start_ticks(pid_) != start_ticks_) {
      process_ended(t, "its PID now belongs to another process");
      return last_;
    }
    if (proc_->exited(pid_)) {
      process_ended(t, "the process exited", proc_->exit_status(pid_));
      return last_;
    }
    files = proc_->files(pid_);
  } catch (const process_error& e) {
    process_ended(t, e.what_kind() == process_error::kind::gone ? "the process exited" : e.what());
    return last_;
  }
  last_alive_t_ = t;
  try {
    io = proc_->io(pid_);
  } catch (const process_error&) {
    // Kernels without I/O accounting have no /proc/PID/io: positions and sizes still work.
  }

  const std::uint64_t serial_before = file_serial_;
  follow(files, io ? &*io : nullptr);
  if (phase_ == phase::flushing) {
    // Flushing is left as soon as the process moves on to another file.
    if (file_serial_ == serial_before) {
      observe_flush(t, true);
      return last_;
    }
    phase_ = phase::copying;
  }

  std::optional<amount> total = overall_ ? overall_total_ : std::optional<amount>(file_size_);
  amount done = file_done_;
  if (overall_) done = std::max<amount>(io ? io->rchar : 0, completed_files_ + file_done_);
  const bool measured = overall_ || measure_ != measure::none;
  if (measured && warm_start_pending_) {
    warm_start_pending_ = false;
    // The process has read nothing but this copy (rchar holds no more than done, give or take
    // its libraries): then the copy began when the process did.
    const std::uint64_t rchar = io ? io->rchar : 0;
    const bool only_this =
        overall_ || measure_ == measure::read_counter ||
        (measure_ == measure::position && rchar <= done + done / 100 + (std::uint64_t{1} << 20));
    if (done > 0 && only_this) {
      try {
        const double age = process_age(*proc_, pid_);
        if (age > 0.0) monitor_->add({t - age, 0, total});
      } catch (const process_error&) {
        // No start time: the estimate starts from the attach, as for any other copy.
      }
    }
  }
  if (measured) monitor_->add({t, done, total});
  last_ = monitor_->estimate(t);
  if (!measured) last_.state = state::warming_up;
  if (last_.rate) copy_rate_ = last_.rate;

  if (last_.state == state::finished) {
    if (!finished_) finished_ = finish_observed_ = true;
    const std::uint64_t unflushed = writes_to_disk_ ? unflushed_now() : 0;
    if (unflushed > options_.flush_threshold) start_flush(t, unflushed);
  }
  return last_;
}

std::uint64_t watch_target::unflushed_now() const {
  try {
    return proc_->unflushed_bytes();
  } catch (const process_error&) {
    return 0;  // no meminfo: the flush cannot be seen, so it is not waited for
  }
}

void watch_target::process_ended(double t, std::string reason, std::optional<int> status) {
  process_alive_ = false;
  if (phase_ == phase::flushing) {
    observe_flush(t, false);
    return;
  }
  const bool succeeded = status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0;
  if (status && !succeeded) {
    reason = WIFSIGNALED(*status) ? fmt::format("killed by signal {}", WTERMSIG(*status))
                                  : fmt::format("exited with status {}", WEXITSTATUS(*status));
  }
  if (!finished_ && succeeded && (measure_ != measure::none || overall_)) {
    // Seen exiting with status 0 (not yet reaped by its parent): the copy is complete.
    finished_ = finish_observed_ = true;
    if (last_.total) last_.done = std::max(last_.done, *last_.total);
  } else if (!finished_ && !status && last_.has_remaining() && last_.state != state::finished &&
             last_.lo <= std::max(t - last_alive_t_, options_.finish_window)) {
    // It exited between two looks, when it was due to finish: presumed done, and said so.
    finished_ = true;
    finish_observed_ = false;
    if (last_.total) last_.done = std::max(last_.done, *last_.total);
    last_.state = state::finished;
    last_.remaining = last_.lo = last_.hi = 0.0;
  }
  if (finished_) {
    const std::uint64_t unflushed = writes_to_disk_ ? unflushed_now() : 0;
    if (unflushed > options_.flush_threshold) {
      start_flush(t, unflushed);
      return;
    }
  }
  end(t, finished_ ? std::string() : std::move(reason));
}

void watch_target::end(double t, std::string reason) {
  phase_ = phase::ended;
  end_t_ = t;
  end_reason_ = std::move(reason);
  if (finished_) {
    last_.state = state::finished;
    last_.remaining = last_.lo = last_.hi = 0.0;
    last_.t = t;
  }
}

void watch_target::start_flush(double t, std::uint64_t unflushed) {
  phase_ = phase::flushing;
  copy_end_ = last_;
  flush_start_t_ = t;
  flush_start_bytes_ = unflushed;
  lowest_unflushed_ = unflushed;
  last_fall_t_ = t;
  dirty_expire_ = proc_->dirty_expire_seconds();
  writeback_interval_ = proc_->writeback_interval_seconds();
  flush_monitor_ = fresh_monitor();
  observe_flush(t, process_alive_);
}

void watch_target::observe_flush(double t, bool alive) {
  const std::uint64_t unflushed = unflushed_now();
  unflushed_ = unflushed;
  if (unflushed < lowest_unflushed_) {
    lowest_unflushed_ = unflushed;
    last_fall_t_ = t;
  }
  const amount flushed = flush_start_bytes_ - std::min(unflushed, flush_start_bytes_);
  flush_monitor_->add({t, flushed, flush_start_bytes_});

  const bool flushed_out = unflushed <= options_.flush_threshold;
  const bool given_up = t - last_fall_t_ > options_.flush_patience;
  if (flushed_out || (given_up && !alive)) {
    unflushed_ = 0;
    if (flushed_out) flush_observed_ = true;
    if (!alive) {
      end(t, {});
      return;
    }
    // Written out while the process lives on (closing, or between files): finished, and the
    // next observation decides what comes after.
    phase_ = phase::copying;
    last_ = copy_end_;
    last_.t = t;
    return;
  }

  // The copy's amounts, with the flush's remaining time.
  estimate e = copy_end_;
  e.t = t;
  e.state = state::flushing;
  const estimate f = flush_monitor_->estimate(t);
  // The flush's own estimate counts once a tenth of it is written; before that, small ups and
  // downs of other programs' dirty pages would pass for a rate.
  const bool under_way = flush_start_bytes_ - lowest_unflushed_ >= flush_start_bytes_ / 10;
  if (under_way && f.has_remaining() && f.state != state::finished) {
    e.remaining = f.remaining;
    e.lo = f.lo;
    e.hi = f.hi;
    e.rate = f.rate;
  } else if (copy_rate_ && *copy_rate_ > 0.0) {
    // Before that, the disk is taken to write at the copy's rate, within a factor of 2. Below
    // the kernel's background threshold, writeback starts only once the data has been dirty
    // for dirty_expire seconds, at the flusher's next wake-up: the usual case after a copy
    // smaller than a tenth of the memory.
    const double write = static_cast<double>(unflushed) / *copy_rate_;
    const double expiry = std::max(0.0, flush_start_t_ + dirty_expire_ - t);
    e.lo = write / 2.0;
    e.remaining = expiry + write;
    e.hi = expiry + writeback_interval_ + 2.0 * write;
  } else {
    e.remaining = e.lo = e.hi = 0.0;
  }
  last_ = e;
}

}  // namespace copyeta::cli
