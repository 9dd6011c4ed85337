// copyeta watch PID... | --auto  [--total SIZE] [--interval 1] [--jsonl] [--level 0.8] [--24h]
//                                [--proc-root DIR]
//
// Attaches to running copy processes through /proc (watch_target.hpp says what is followed and
// how) and prints an estimate per process every --interval seconds until they end, then a
// summary: the actual end, and what copyeta had predicted at 25%, 50% and 75%.
#include "watch_session.hpp"

#include "commands.hpp"
#include "interrupt.hpp"
#include "jsonl.hpp"
#include "procfs.hpp"
#include "report.hpp"
#include "watch_target.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/units.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <pwd.h>
#include <unistd.h>

namespace copyeta::cli {
namespace {

// The programs --auto looks for: copiers, archivers and compressors that read a file through.
constexpr std::array<std::string_view, 22> copy_programs{
    "cp",    "mv",    "dd",   "rsync", "tar",   "bsdtar", "cat",  "pv",
    "qemu-img", "ddrescue", "gzip", "gunzip", "zstd", "xz",  "bzip2", "lz4",
    "pigz",  "scp",   "sftp", "dcfldd", "dc3dd", "rclone"};

std::string user_name(unsigned uid) {
  if (const passwd* pw = ::getpwuid(uid)) return pw->pw_name;
  return fmt::format("uid {}", uid);
}

// A message for a process that cannot be watched, naming it and saying what to do.
std::string attach_error(const procfs& proc, int pid, const process_error& e) {
  switch (e.what_kind()) {
    case process_error::kind::gone:
      return fmt::format("no process {} ({})", pid, e.what());
    case process_error::kind::permission_denied: {
      std::string owner = "another user";
      try {
        owner = user_name(proc.uid(pid));
      } catch (const process_error&) {
      }
      return fmt::format(
          "process {} belongs to {}, and the kernel does not let copyeta read its open files "
          "({}); run copyeta as that user or as root",
          pid, owner, e.what());
    }
    case process_error::kind::unreadable:
      break;
  }
  return fmt::format("cannot read process {}: {}", pid, e.what());
}

}  // namespace

watch_session::watch_session(const watch_args& args, const clock_source& clocks, sink& out,
                             sink& err)
    : args_(args), clocks_(&clocks), out_(&out), err_(&err), proc_(args.proc_root) {
  if (!(args.interval > 0.0) || !std::isfinite(args.interval))
    throw options_error(fmt::format(
        "[copyeta.options] --interval {} is not a time in seconds above 0", args.interval));
  options_.level = args.level;
  options_.finish_window = args.interval;
  if (!args.total.empty()) {
    options_.total = parse_size(args.total);
    if (!options_.total)
      throw options_error(fmt::format(
          "[copyeta.options] --total '{}' is not a size (e.g. 32G, 1.5TiB, 700MB)", args.total));
  }
  if (args.no_flush) options_.flush_threshold = std::numeric_limits<std::uint64_t>::max();
  options_.validate();
  format_options_.clock_24h = args.clock_24h;
  live_ = !args.jsonl && isatty(fileno(out.file()));
  style_.color = use_color(out.file());
  style_.bar = live_;
}

std::optional<int> watch_session::attach() {
  start_ = clocks_->monotonic();
  start_wall_ = clocks_->wall();
  if (args_.automatic) return attach_auto();
  for (const int pid : args_.pids) {
    try {
      add(std::make_unique<watch_target>(proc_, pid, options_, 0.0));
    } catch (const process_error& e) {
      err_->write(fmt::format("copyeta: {}\n", attach_error(proc_, pid, e)));
      return exit_input_error;
    }
  }
  return std::nullopt;
}

int watch_session::run() {
  // Observations come faster than the interval near a finish, so the last position before
  // the process closes its file is seen; lines are still printed once per interval.
  const auto stopped = [this] { return interrupted() || out_->failed(); };
  double next_print = 0.0;
  bool unprinted = false;  // observations made since the last lines printed
  while (!stopped()) {
    const double t = now();
    const bool print_now = t >= next_print;
    unprinted = true;
    for (watched& w : targets_) {
      if (w.target->ended()) continue;
      const estimate& e = w.target->observe(t);
      w.said.record(w.before, e, wall_at(e.t));
      w.before = e;
      for (const std::string& note : w.target->take_notes())
        err_->write(fmt::format("copyeta: {} {}: {}\n", w.target->comm(), w.target->pid(), note));
    }
    if (print_now) {
      print_all();
      unprinted = false;
      next_print = t + args_.interval;
    }
    if (std::all_of(targets_.begin(), targets_.end(),
                    [](const watched& w) { return w.target->ended(); }))
      break;
    double wait = next_print - now();
    for (const watched& w : targets_) {
      const estimate& e = w.target->last();
      if (!w.target->ended() && e.has_remaining() && e.state != state::finished)
        wait = std::min(wait, std::max(0.05, e.remaining / 2.0));
    }
    if (!stopped()) clocks_->sleep(wait);
  }
  if (!stopped() && unprinted) print_all();  // the final states, once
  return finish(interrupted());
}

// The Unix time of an observation at `t`: t runs on the monotonic clock from the start, so a
// jump of the system clock while watching moves no estimate.
wall_clock::time_point watch_session::wall_at(double t) const {
  return start_wall_ +
         std::chrono::duration_cast<wall_clock::duration>(std::chrono::duration<double>(t));
}

double watch_session::now() const { return seconds_between(start_, clocks_->monotonic()); }

void watch_session::add(std::unique_ptr<watch_target> target) {
  watched w;
  w.before = target->last();
  w.target = std::move(target);
  targets_.push_back(std::move(w));
}

std::optional<int> watch_session::attach_auto() {
  const int self = static_cast<int>(::getpid());
  std::vector<int> pids;
  try {
    pids = proc_.pids();
  } catch (const process_error& e) {
    err_->write(fmt::format("copyeta: cannot list processes: {}\n", e.what()));
    return exit_input_error;
  }
  std::size_t denied = 0;
  std::vector<std::pair<int, std::string>> copiers;  // pid, comm
  for (const int pid : pids) {
    if (pid == self) continue;
    try {
      std::string comm = proc_.comm(pid);
      if (std::find(copy_programs.begin(), copy_programs.end(), comm) != copy_programs.end())
        copiers.emplace_back(pid, std::move(comm));
    } catch (const process_error&) {
      // Gone since the listing.
    }
  }
  for (const auto& [pid, comm] : copiers) {
    try {
      // One copy, one line: rsync's receiver and generator are children of the same name.
      const int parent = proc_.parent(pid);
      const bool helper = std::any_of(copiers.begin(), copiers.end(), [&](const auto& other) {
        return other.first == parent && other.second == comm;
      });
      if (helper) continue;
      auto target = std::make_unique<watch_target>(proc_, pid, options_, 0.0);
      // A copier with no file to follow (cat at a terminal, an idle rsync daemon) is no copy.
      if (target->file().empty() && !target->overall()) continue;
      add(std::move(target));
    } catch (const process_error& e) {
      if (e.what_kind() == process_error::kind::permission_denied) ++denied;
    }
  }
  if (!targets_.empty()) return std::nullopt;
  err_->write(fmt::format(
      "copyeta: no copy found among the running processes (looked for {}){}\n",
      fmt::join(copy_programs, ", "),
      denied ? fmt::format("; {} other users' processes could not be read", denied)
             : std::string()));
  return exit_input_error;
}

nlohmann::ordered_json watch_session::target_json(const watched& w) const {
  const watch_target& target = *w.target;
  auto j = estimate_json(target.last());
  j["wall"] = unix_seconds(wall_at(target.last().t));
  j["pid"] = target.pid();
  j["file"] = target.file().empty() ? nlohmann::ordered_json(nullptr)
                                    : nlohmann::ordered_json(target.file());
  j["comm"] = target.comm();
  j["measure"] = to_string(target.what_measured());
  j["overall"] = target.overall();
  if (target.last().state == state::flushing) j["unflushed"] = target.unflushed();
  return j;
}

std::string watch_session::target_text(const watched& w) const {
  const watch_target& target = *w.target;
  std::string file = target.file();
  if (file.size() > 40) file = "…" + file.substr(file.size() - 39);
  return fmt::format("{} {}{}{}  {}", target.comm(), target.pid(), file.empty() ? "" : "  ",
                     file,
                     status_line(target.last(), wall_at(target.last().t), format_options_, style_));
}

void watch_session::write_out(std::string_view text) {
  if (out_->write(text)) return;
  // The summaries still go to stderr; run() stops at the next look.
  mark_write_error_reported();
}

void watch_session::print_all() {
  std::string text;
  if (args_.jsonl) {
    for (const watched& w : targets_) text += json_line(target_json(w));
    write_out(text);
    return;
  }
  if (live_ && lines_shown_ > 1) text += fmt::format("\033[{}A", lines_shown_ - 1);
  for (std::size_t i = 0; i < targets_.size(); ++i) {
    if (live_) {
      text += fmt::format("{}\r{}\033[K", i > 0 ? "\n" : "", target_text(targets_[i]));
    } else {
      text += target_text(targets_[i]) + "\n";
    }
  }
  lines_shown_ = targets_.size();
  write_out(text);
}

// Prints the summaries; returns the exit code.
int watch_session::finish(bool was_interrupted) {
  if (out_->failed())
    err_->write(fmt::format("copyeta: {}; stopped watching\n",
                            write_error_message("standard output", out_->error())));
  if (live_ && lines_shown_ > 0) write_out("\n");
  bool all_finished = true;
  for (const watched& w : targets_) {
    const watch_target& target = *w.target;
    all_finished = all_finished && target.finished();
    const auto end_wall = target.end_t()
                              ? std::optional<wall_clock::time_point>(wall_at(*target.end_t()))
                              : std::nullopt;
    if (args_.jsonl) {
      nlohmann::ordered_json j;
      j["event"] = "summary";
      j["wall"] = end_wall ? nlohmann::ordered_json(unix_seconds(*end_wall))
                           : nlohmann::ordered_json(nullptr);
      j["pid"] = target.pid();
      j["comm"] = target.comm();
      j["file"] = target.file().empty() ? nlohmann::ordered_json(nullptr)
                                        : nlohmann::ordered_json(target.file());
      j["state"] = to_string(target.last().state);
      j["finished"] = target.finished();
      j["finish_observed"] = target.finish_observed();
      j["flush_observed"] = target.flush_observed();
      j["reason"] = target.end_reason().empty() ? nlohmann::ordered_json(nullptr)
                                                : nlohmann::ordered_json(target.end_reason());
      j["estimates"] = w.said.json();
      write_out(json_line(j));
    }
    summary_text(w, end_wall);
  }
  if (was_interrupted) return exit_interrupted;
  if (out_->failed()) return write_error_exit_code(out_->error());
  return all_finished ? exit_finished : exit_target_gone;
}

void watch_session::summary_text(const watched& w,
                                 std::optional<wall_clock::time_point> end_wall) const {
  const watch_target& target = *w.target;
  const std::string who = fmt::format("{} {}", target.comm(), target.pid());
  if (!end_wall) {
    err_->write(fmt::format("copyeta: {} still running; last: {}\n", who,
                            format_status(target.last(), wall_at(target.last().t),
                                          format_options_)));
  } else if (target.finished()) {
    err_->write(fmt::format("copyeta: {} finished at {}{}{}\n", who,
                            format_clock(*end_wall, format_options_),
                            target.flush_observed() ? ", its data flushed to disk" : "",
                            target.finish_observed()
                                ? ""
                                : " (it exited between two looks, when it was due to finish)"));
  } else {
    err_->write(fmt::format("copyeta: {} ended at {} before it finished ({}); last: {}\n", who,
                            format_clock(*end_wall, format_options_), target.end_reason(),
                            format_status(target.last(), wall_at(target.last().t),
                                          format_options_)));
  }
  err_->write(w.said.text(format_options_));
}

int run_watch(const watch_args& args, const clock_source& clocks, sink& out, sink& err) {
  if (args.pids.empty() == !args.automatic)
    throw options_error("[copyeta.options] give the PIDs to watch, or --auto (not both)");
  watch_session session(args, clocks, out, err);
  if (const auto failed = session.attach()) return *failed;
  return session.run();
}

namespace {

int run_watch_command(const watch_args& args) {
  sink out(stdout), err(stderr);
  catch_sigint();
  return run_watch(args, system_clocks(), out, err);
}

}  // namespace

void register_watch(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<watch_args>();
  CLI::App* cmd = app.add_subcommand(
      "watch",
      "Attach to running copies (dd, cp, rsync, tar, pv, qemu-img, ...) by PID and print a live "
      "ETA with its interval");
  cmd->add_option("pids", args->pids, "Processes to watch");
  cmd->add_flag("--auto", args->automatic,
                fmt::format("Watch every running copy program ({})", fmt::join(copy_programs, ", ")));
  cmd->add_option("--total", args->total,
                  "The whole copy's size, for overall progress across files (K M G T and KiB.. "
                  "are 1024-based, KB MB GB TB 1000-based)");
  cmd->add_option("--interval", args->interval, "Seconds between updates")->capture_default_str();
  cmd->add_flag("--jsonl", args->jsonl, "One JSON object per process per update (contracts.md)");
  cmd->add_option("--level", args->level, "Confidence level of the interval, in (0, 1)")
      ->capture_default_str();
  cmd->add_flag("--24h", args->clock_24h, "Clock times as 15:30 instead of 3:30pm");
  cmd->add_flag("--no-flush", args->no_flush,
                "End with the copy: do not follow the kernel writing its data back to disk");
  cmd->add_option("--proc-root", args->proc_root,
                  "Where /proc is (tests stage processes in a directory of their own)")
      ->capture_default_str();
  cmd->footer(
      "Examples:\n"
      "  copyeta watch $(pidof dd)\n"
      "  copyeta watch --auto --interval 5\n"
      "  copyeta watch 4242 --total 1.2T        # cp -r of 1.2 TB: overall, not per file\n"
      "  copyeta watch 4242 --jsonl >eta.jsonl");
  cmd->callback([args, &exit_code] { exit_code = run_watch_command(*args); });
}

}  // namespace copyeta::cli
