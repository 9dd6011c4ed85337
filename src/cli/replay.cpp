// copyeta replay TRACE.csv [--jsonl] [--level 0.8] [--model NAME] [--calibration FILE]
#include "commands.hpp"
#include "jsonl.hpp"

#include <copyeta/calibration.hpp>
#include <copyeta/format.hpp>
#include <copyeta/models.hpp>
#include <copyeta/replay.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace copyeta::cli {
namespace {

struct replay_args {
  std::string path;
  bool jsonl = false;
  double level = 0.8;
  std::string model = "default";
  std::string calibration;  // a file from `copyeta calibrate`; empty: the shipped one
};

int run_replay(const replay_args& args) {
  monitor_options options;
  options.model = args.model;
  options.estimator.level = args.level;
  if (!args.calibration.empty())
    options.calibration = std::make_shared<const calibration>(calibration::load(args.calibration));
  options.validate();

  const trace input =
      args.path == "-" ? read_trace_csv(std::cin, "<stdin>") : read_trace_csv_file(args.path);
  const auto results = replay(input, options);

  std::size_t rejected = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const replay_row& r = results[i];
    if (r.estimate.state == state::rejected) {
      ++rejected;
      fmt::print(stderr, "copyeta: {}; row kept as rejected\n", r.error);
    }
    if (args.jsonl) {
      const auto j = r.estimate.state == state::rejected
                         ? rejected_json(input.rows[i], args.level, r.reason, r.error)
                         : estimate_json(r.estimate);
      fmt::print("{}", json_line(j));
    } else {
      const auto fraction = r.estimate.fraction();
      fmt::print("{:>12.3f}  {:>7}  {:<13}  {}\n", r.estimate.t,
                 fraction ? fmt::format("{:.1f}%", *fraction * 100.0) : std::string("-"),
                 to_string(r.estimate.state), format_remaining(r.estimate));
    }
  }
  if (rejected > 0)
    fmt::print(stderr, "copyeta: {} of {} rows rejected in {}\n", rejected, results.size(),
               input.name);
  std::fflush(stdout);
  return exit_finished;
}

}  // namespace

void register_replay(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<replay_args>();
  CLI::App* cmd = app.add_subcommand(
      "replay", "Replay a recorded trace (CSV: t_seconds,bytes_done,bytes_total) through a model");
  cmd->add_option("trace", args->path, "The trace CSV file, or - for standard input")->required();
  cmd->footer(
      "Examples:\n"
      "  copyeta replay tests/data/traces/dd_progress_psbbn87_120GB_fsync_tail.csv\n"
      "  copyeta replay trace.csv --jsonl --model tqdm --level 0.9 >estimates.jsonl\n"
      "  copyeta replay trace.csv --calibration site.json");
  cmd->add_flag("--jsonl", args->jsonl, "One JSON object per input row (contracts.md)");
  cmd->add_option("--level", args->level, "Confidence level of the interval, in (0, 1)")
      ->capture_default_str();
  cmd->add_option("--model", args->model,
                  fmt::format("Model: {}", fmt::join(model_names(), ", ")))
      ->capture_default_str();
  cmd->add_option("--calibration", args->calibration,
                  "The default model's calibration, from `copyeta calibrate` (default: shipped)");
  cmd->callback([args, &exit_code] { exit_code = run_replay(*args); });
}

}  // namespace copyeta::cli
