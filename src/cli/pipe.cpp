// copyeta pipe [--total SIZE] [--format NAME] [--tee] [--jsonl] [--level 0.8] [--interval 1]
//              [--24h] [--verbose]
//
// Reads a copy tool's progress output on stdin (`dd ... status=progress 2>&1 | copyeta pipe`),
// detects its format line by line, and prints copyeta's estimate at every progress line. At the
// end of the input it prints a summary: the actual end, and what copyeta had predicted at 25%,
// 50% and 75% of the way.
#include "pipe_session.hpp"

#include "commands.hpp"
#include "interrupt.hpp"
#include "jsonl.hpp"
#include "report.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/format.hpp>
#include <copyeta/monitor.hpp>
#include <copyeta/progress_line.hpp>
#include <copyeta/units.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <unistd.h>

namespace copyeta::cli {

pipe_session::pipe_session(const pipe_args& args, const clock_source& clocks, sink& out, sink& err)
    : args_(args),
      clocks_(&clocks),
      out_(&out),
      err_(&err),
      status_(args.tee ? &err : &out),
      detector_(args.format),
      start_(clocks.monotonic()) {
  if (!args.total.empty()) {
    total_ = parse_size(args.total);
    if (!total_)
      throw options_error(fmt::format(
          "[copyeta.options] --total '{}' is not a size (e.g. 32G, 1.5TiB, 700MB)", args.total));
  }
  monitor_options options;
  options.estimator.level = args.level;
  options.validate();
  monitor_ = std::make_unique<monitor>(options);
  format_options_.clock_24h = args.clock_24h;
  if (!(args.interval >= 0.0) || !std::isfinite(args.interval))
    throw options_error(fmt::format(
        "[copyeta.options] --interval {} is not a time in seconds (0 or more)", args.interval));
  live_ = !args.jsonl && isatty(fileno(status_->file()));
  style_.color = use_color(status_->file());
  style_.bar = live_;
}

void pipe_session::pass_through(std::string_view bytes) { write_out(bytes); }

void pipe_session::line(std::string_view text) {
  ++line_number_;
  const auto reading = detector_.feed(text);
  if (!reading || !reading->done) {
    if (!reading) note_unparsed(text);
    return;
  }
  style_.rate = !reading->percent_only && detector_.format() != std::string_view("ghost");
  // The wall clock only dates the observation; t and the intervals run on the monotonic clock.
  const auto wall = clocks_->wall();
  const double t = reading->t ? *reading->t : seconds_between(start_, clocks_->monotonic());
  sample s{t, *reading->done, reading->total};
  if (total_) {
    // The user's total wins; a percent-only reading is scaled to it.
    if (reading->percent_only)
      s.done = static_cast<amount>(static_cast<double>(*reading->done) / 1e8 *
                                   static_cast<double>(*total_));
    s.total = total_;
  }
  const auto check = monitor_->add(s);
  if (!check.accepted()) {
    err_->write(fmt::format("copyeta: line {}: progress line skipped ({}): {}\n", line_number_,
                            to_string(check.reason), text.substr(0, 200)));
    return;
  }
  ++readings_;
  const auto before = last_;
  last_ = monitor_->estimate(s.t);
  last_wall_ = wall;
  checkpoints_.record(before, *last_, wall);
  print(*last_, wall);
}

int pipe_session::finish(bool was_interrupted, std::size_t dropped) {
  if (dropped > 0)
    err_->write(fmt::format("copyeta: {} bytes of over-long lines were skipped\n", dropped));
  // The last update, when the interval held it back.
  if (pending_ && !args_.jsonl) print_text(*last_, last_wall_);
  if (live_) write_status("\n");
  if (unparsed_ > 0)
    err_->write(fmt::format("copyeta: {} of {} lines were not progress lines{}\n", unparsed_,
                            line_number_, args_.verbose ? "" : " (--verbose lists them)"));
  const bool finished = last_ && last_->state == state::finished;
  if (args_.jsonl) {
    nlohmann::ordered_json j;
    j["event"] = "summary";
    j["wall"] = readings_ ? nlohmann::ordered_json(unix_seconds(last_wall_))
                          : nlohmann::ordered_json(nullptr);
    j["state"] = last_ ? to_string(last_->state) : "warming_up";
    j["finished"] = finished;
    j["format"] = detector_.format() ? nlohmann::ordered_json(*detector_.format())
                                     : nlohmann::ordered_json(nullptr);
    j["estimates"] = checkpoints_.json();
    write_out(json_line(j));
  }
  // On stderr, so that it survives a closed stdout.
  summary_text(finished);
  if (was_interrupted) return exit_interrupted;
  if (out_->failed()) return write_error_exit_code(out_->error());
  if (readings_ == 0) {
    err_->write(fmt::format("copyeta: no progress line recognised on stdin (formats: {})\n",
                            fmt::join(progress_formats(), ", ")));
    return exit_input_error;
  }
  return finished ? exit_finished : exit_target_gone;
}

void pipe_session::write_out(std::string_view text) {
  if (out_->write(text) || out_failure_said_) return;
  // Said once. The input is still read to its end: a copy tool writing its progress into
  // copyeta would die of SIGPIPE if copyeta stopped reading.
  out_failure_said_ = true;
  mark_write_error_reported();
  err_->write(fmt::format(
      "copyeta: {}; reading the input to its end so the tool is not cut off, then the summary "
      "(here)\n",
      write_error_message("standard output", out_->error())));
}

void pipe_session::write_status(std::string_view text) {
  if (status_ == out_) {
    write_out(text);
  } else {
    status_->write(text);
  }
}

void pipe_session::print(const estimate& e, wall_clock::time_point wall) {
  if (args_.jsonl) {
    auto j = estimate_json(e);
    j["wall"] = unix_seconds(wall);
    j["format"] = detector_.format() ? nlohmann::ordered_json(*detector_.format())
                                     : nlohmann::ordered_json(nullptr);
    write_out(json_line(j));
    return;
  }
  // Text goes out at most once per interval, on the monotonic clock; the latest update
  // waits for the next line or the end.
  const auto now = clocks_->monotonic();
  if (printed_any_ && now - last_print_ < std::chrono::duration<double>(args_.interval)) {
    pending_ = true;
    return;
  }
  last_print_ = now;
  printed_any_ = true;
  print_text(e, wall);
}

void pipe_session::print_text(const estimate& e, wall_clock::time_point wall) {
  pending_ = false;
  const std::string text = status_line(e, wall, format_options_, style_);
  write_status(live_ ? fmt::format("\r{}\033[K", text) : text + "\n");
}

void pipe_session::note_unparsed(std::string_view text) {
  ++unparsed_;
  if (!args_.verbose) return;
  if (live_) write_status("\n");
  err_->write(fmt::format("copyeta: line {}: not a progress line: {}\n", line_number_,
                          text.substr(0, 200)));
}

void pipe_session::summary_text(bool finished) {
  if (!last_) return;
  // The actual end as a clock time: an estimate with nothing left, observed then.
  err_->write(fmt::format("copyeta: {} {}; last: {}\n",
                          finished ? "finished at" : "input ended, not finished, at",
                          format_clock(last_wall_, format_options_),
                          format_status(*last_, last_wall_, format_options_)));
  err_->write(checkpoints_.text(format_options_));
}

int run_pipe(const pipe_args& args, int input_fd, const clock_source& clocks, sink& out,
             sink& err) {
  pipe_session session(args, clocks, out, err);
  line_splitter splitter;
  std::array<char, 64 * 1024> buffer{};
  while (!interrupted()) {
    const ssize_t n = ::read(input_fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    const std::string_view bytes(buffer.data(), static_cast<std::size_t>(n));
    if (args.tee) session.pass_through(bytes);
    splitter.append(bytes);
    while (auto line = splitter.next()) session.line(*line);
  }
  if (!interrupted())
    if (auto last = splitter.finish()) session.line(*last);
  return session.finish(interrupted(), splitter.dropped());
}

namespace {

int run_pipe_command(const pipe_args& args) {
  sink out(stdout), err(stderr);
  catch_sigint();
  return run_pipe(args, STDIN_FILENO, system_clocks(), out, err);
}

}  // namespace

void register_pipe(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<pipe_args>();
  CLI::App* cmd = app.add_subcommand(
      "pipe",
      "Read a copy tool's progress output on stdin and print a live ETA with its interval\n"
      "  e.g. dd if=a of=b status=progress 2>&1 | copyeta pipe --total 32G");
  cmd->add_option("--total", args->total,
                  "The copy's size (K M G T and KiB.. are 1024-based, KB MB GB TB 1000-based)");
  cmd->add_option("--format", args->format,
                  fmt::format("The tool's format (default: detect): {}",
                              fmt::join(progress_formats(), ", ")));
  cmd->add_flag("--tee", args->tee,
                "Pass the tool's output through to stdout unchanged; copyeta's lines go to stderr");
  cmd->add_flag("--jsonl", args->jsonl, "One JSON object per progress line (contracts.md)");
  cmd->add_option("--level", args->level, "Confidence level of the interval, in (0, 1)")
      ->capture_default_str();
  cmd->add_option("--interval", args->interval,
                  "Seconds between status lines when not --jsonl (--jsonl: one per progress line)")
      ->capture_default_str();
  cmd->add_flag("--24h", args->clock_24h, "Clock times as 15:30 instead of 3:30pm");
  cmd->add_flag("-v,--verbose", args->verbose,
                "List the lines that are not progress lines, with their line numbers");
  cmd->footer(
      "Examples:\n"
      "  dd if=disk.img of=/dev/sdb bs=4M status=progress 2>&1 | copyeta pipe --total 32G\n"
      "  rsync -a --info=progress2 src/ dst/ | copyeta pipe --tee\n"
      "  pv -n big.iso 2>&1 >/mnt/big.iso | copyeta pipe --jsonl\n"
      "  qemu-img convert -p a.qcow2 b.raw | copyeta pipe --interval 10 >eta.log");
  cmd->callback([args, &exit_code] { exit_code = run_pipe_command(*args); });
}

}  // namespace copyeta::cli
