// copyeta watch's work, apart from its command line: attach to processes through a procfs,
// observe them until they end, print an estimate per process per interval, then summaries. The
// /proc root, the clocks and the output streams are passed in, so tests run a whole session on
// a staged /proc tree and a staged clock.
#pragma once

#include "clock.hpp"
#include "output.hpp"
#include "procfs.hpp"
#include "report.hpp"
#include "watch_target.hpp"

#include <copyeta/format.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace copyeta::cli {

struct watch_args {
  std::vector<int> pids;
  bool automatic = false;
  std::string total;
  double interval = 1.0;
  bool jsonl = false;
  double level = 0.8;
  bool clock_24h = false;
  bool no_flush = false;
  std::string proc_root = "/proc";
};

class watch_session {
 public:
  // Throws options_error for invalid arguments. `out` is standard output, `err` standard error.
  watch_session(const watch_args& args, const clock_source& clocks, sink& out, sink& err);

  // Attaches to the PIDs, or finds the copies for --auto. Returns an exit code when nothing can
  // be watched, after saying why.
  std::optional<int> attach();
  // Observes until every target ended, SIGINT, or standard output is closed; prints the
  // summaries and returns the exit code.
  int run();

 private:
  struct watched {
    std::unique_ptr<watch_target> target;
    checkpoints said;
    std::optional<estimate> before;
  };

  wall_clock::time_point wall_at(double t) const;
  double now() const;
  void add(std::unique_ptr<watch_target> target);
  std::optional<int> attach_auto();
  nlohmann::ordered_json target_json(const watched& w) const;
  std::string target_text(const watched& w) const;
  void print_all();
  int finish(bool was_interrupted);
  void summary_text(const watched& w, std::optional<wall_clock::time_point> end_wall) const;
  void write_out(std::string_view text);

  watch_args args_;
  const clock_source* clocks_;
  sink* out_;
  sink* err_;
  procfs proc_;
  watch_options options_;
  format_options format_options_;
  line_style style_;
  bool live_ = false;
  std::size_t lines_shown_ = 0;
  monotonic_clock::time_point start_{};
  wall_clock::time_point start_wall_{};
  std::vector<watched> targets_;
};

// attach() then run(): the whole command, after its arguments were parsed.
int run_watch(const watch_args& args, const clock_source& clocks, sink& out, sink& err);

}  // namespace copyeta::cli
