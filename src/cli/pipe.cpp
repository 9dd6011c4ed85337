// copyeta pipe [--total SIZE] [--format NAME] [--tee] [--jsonl] [--level 0.8] [--interval 1]
//              [--24h] [--verbose]
//
// Reads a copy tool's progress output on stdin (`dd ... status=progress 2>&1 | copyeta pipe`),
// detects its format line by line, and prints copyeta's estimate at every progress line. At the
// end of the input it prints a summary: the actual end, and what copyeta had predicted at 25%,
// 50% and 75% of the way.
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
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

namespace copyeta::cli {
namespace {

struct pipe_args {
  std::string total;   // a size, e.g. 32G; empty: the tool's own total, if it prints one
  std::string format;  // a name of progress_formats(); empty: detect
  bool tee = false;
  bool jsonl = false;
  double level = 0.8;
  double interval = 1.0;  // seconds between plain-text lines (not --jsonl, not a terminal)
  bool clock_24h = false;
  bool verbose = false;  // report each line that is not a progress line, with its number
};

class pipe_session {
 public:
  explicit pipe_session(const pipe_args& args)
      : args_(args), detector_(args.format), start_(std::chrono::steady_clock::now()) {
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
    status_to_ = args.tee ? stderr : stdout;
    live_ = !args.jsonl && isatty(fileno(status_to_));
    style_.color = use_color(status_to_);
    style_.bar = live_;
  }

  void line(std::string_view text) {
    ++line_number_;
    const auto reading = detector_.feed(text);
    if (!reading || !reading->done) {
      if (!reading) note_unparsed(text);
      return;
    }
    style_.rate = !reading->percent_only && detector_.format() != std::string_view("ghost");
    const auto wall = wall_clock::now();
    const double t = reading->t ? *reading->t
                                : std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                                start_)
                                      .count();
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
      fmt::print(stderr, "copyeta: line {}: progress line skipped ({}): {}\n", line_number_,
                 to_string(check.reason), text.substr(0, 200));
      return;
    }
    ++readings_;
    const auto before = last_;
    last_ = monitor_->estimate(s.t);
    last_wall_ = wall;
    checkpoints_.record(before, *last_, wall);
    print(*last_, wall);
  }

  // Prints the summary; returns the exit code.
  int finish(bool was_interrupted) {
    // The last update, when the interval held it back.
    if (pending_ && !args_.jsonl) print_text(*last_, last_wall_);
    if (live_) fmt::print(status_to_, "\n");
    if (unparsed_ > 0)
      fmt::print(stderr, "copyeta: {} of {} lines were not progress lines{}\n", unparsed_,
                 line_number_, args_.verbose ? "" : " (--verbose lists them)");
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
      fmt::print(stdout, "{}\n", j.dump());
    }
    summary_text(finished);
    if (was_interrupted) return exit_interrupted;
    if (readings_ == 0) {
      fmt::print(stderr, "copyeta: no progress line recognised on stdin (formats: {})\n",
                 fmt::join(progress_formats(), ", "));
      return exit_input_error;
    }
    return finished ? exit_finished : exit_target_gone;
  }

 private:
  void print(const estimate& e, wall_clock::time_point wall) {
    if (args_.jsonl) {
      auto j = estimate_json(e);
      j["wall"] = unix_seconds(wall);
      j["format"] = detector_.format() ? nlohmann::ordered_json(*detector_.format())
                                       : nlohmann::ordered_json(nullptr);
      fmt::print(stdout, "{}\n", j.dump());
      std::fflush(stdout);
      return;
    }
    // Text goes out at most once per interval, on the monotonic clock; the latest update
    // waits for the next line or the end.
    const auto now = std::chrono::steady_clock::now();
    if (printed_any_ && now - last_print_ < std::chrono::duration<double>(args_.interval)) {
      pending_ = true;
      return;
    }
    last_print_ = now;
    printed_any_ = true;
    print_text(e, wall);
  }

  void print_text(const estimate& e, wall_clock::time_point wall) {
    pending_ = false;
    const std::string text = status_line(e, wall, format_options_, style_);
    if (live_) {
      fmt::print(status_to_, "\r{}\033[K", text);
    } else {
      fmt::print(status_to_, "{}\n", text);
    }
    std::fflush(status_to_);
  }

  void note_unparsed(std::string_view text) {
    ++unparsed_;
    if (!args_.verbose) return;
    if (live_) fmt::print(status_to_, "\n");
    fmt::print(stderr, "copyeta: line {}: not a progress line: {}\n", line_number_,
               text.substr(0, 200));
  }

  void summary_text(bool finished) {
    if (!last_) return;
    // The actual end as a clock time: an estimate with nothing left, observed then.
    fmt::print(stderr, "copyeta: {} {}; last: {}\n",
               finished ? "finished at" : "input ended, not finished, at",
               format_clock(last_wall_, format_options_),
               format_status(*last_, last_wall_, format_options_));
    checkpoints_.print(stderr, format_options_);
  }

  pipe_args args_;
  progress_detector detector_;
  std::chrono::steady_clock::time_point start_;
  std::optional<amount> total_;
  std::unique_ptr<monitor> monitor_;
  format_options format_options_;
  std::FILE* status_to_ = stdout;
  bool live_ = false;
  line_style style_;
  std::size_t line_number_ = 0;
  std::size_t unparsed_ = 0;
  std::size_t readings_ = 0;
  std::optional<estimate> last_;
  wall_clock::time_point last_wall_{};
  checkpoints checkpoints_;
  std::chrono::steady_clock::time_point last_print_{};
  bool printed_any_ = false;
  bool pending_ = false;  // an update the interval held back
};

int run_pipe(const pipe_args& args) {
  pipe_session session(args);

  catch_sigint();

  line_splitter splitter;
  std::array<char, 64 * 1024> buffer{};
  while (!interrupted()) {
    const ssize_t n = ::read(STDIN_FILENO, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    const std::string_view bytes(buffer.data(), static_cast<std::size_t>(n));
    if (args.tee) {
      std::fwrite(bytes.data(), 1, bytes.size(), stdout);
      std::fflush(stdout);
    }
    splitter.append(bytes);
    while (auto line = splitter.next()) session.line(*line);
  }
  if (!interrupted())
    if (auto last = splitter.finish()) session.line(*last);
  if (splitter.dropped() > 0)
    fmt::print(stderr, "copyeta: {} bytes of over-long lines were skipped\n", splitter.dropped());
  return session.finish(interrupted());
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
  cmd->callback([args, &exit_code] { exit_code = run_pipe(*args); });
}

}  // namespace copyeta::cli
