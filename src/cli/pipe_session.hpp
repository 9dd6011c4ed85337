// copyeta pipe's work, apart from its command line: a session reads a copy tool's output line
// by line and prints an estimate per progress line, then a summary. The clocks and the output
// streams are passed in, so tests drive a session line by line on a staged clock.
#pragma once

#include "clock.hpp"
#include "output.hpp"
#include "report.hpp"

#include <copyeta/estimate.hpp>
#include <copyeta/format.hpp>
#include <copyeta/monitor.hpp>
#include <copyeta/progress_line.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace copyeta::cli {

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
  // Throws options_error for invalid arguments. `out` is standard output, `err` standard error.
  pipe_session(const pipe_args& args, const clock_source& clocks, sink& out, sink& err);

  // The tool's bytes as they came, for --tee.
  void pass_through(std::string_view bytes);
  // One line of the tool's output, without its line end.
  void line(std::string_view text);
  // Prints the summary; returns the exit code. `dropped` is the count of bytes of over-long
  // lines the splitter skipped.
  int finish(bool was_interrupted, std::size_t dropped = 0);

  // The latest estimate, and when (on the monotonic clock, from the session's start) and at
  // what wall-clock time it was observed.
  const std::optional<estimate>& last() const noexcept { return last_; }
  wall_clock::time_point last_wall() const noexcept { return last_wall_; }

 private:
  void print(const estimate& e, wall_clock::time_point wall);
  void print_text(const estimate& e, wall_clock::time_point wall);
  void note_unparsed(std::string_view text);
  void summary_text(bool finished);
  void write_out(std::string_view text);
  void write_status(std::string_view text);

  pipe_args args_;
  const clock_source* clocks_;
  sink* out_;
  sink* err_;
  sink* status_;  // where status lines go: stdout, or stderr with --tee
  progress_detector detector_;
  monotonic_clock::time_point start_;
  std::optional<amount> total_;
  std::unique_ptr<monitor> monitor_;
  format_options format_options_;
  bool live_ = false;
  line_style style_;
  std::size_t line_number_ = 0;
  std::size_t unparsed_ = 0;
  std::size_t readings_ = 0;
  std::optional<estimate> last_;
  wall_clock::time_point last_wall_{};
  checkpoints checkpoints_;
  monotonic_clock::time_point last_print_{};
  bool printed_any_ = false;
  bool pending_ = false;  // an update the interval held back
  bool out_failure_said_ = false;
};

// Reads `input_fd` to its end (or to SIGINT, when catch_sigint() was called), then prints the
// summary. Returns the exit code.
int run_pipe(const pipe_args& args, int input_fd, const clock_source& clocks, sink& out,
             sink& err);

}  // namespace copyeta::cli
