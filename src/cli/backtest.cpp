// copyeta backtest DIR [--level 0.8] [--model NAME]... [--per-trace]
// copyeta calibrate DIR --output FILE
#include "commands.hpp"

#include <copyeta/backtest.hpp>
#include <copyeta/calibration.hpp>
#include <copyeta/models.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace copyeta::cli {
namespace {

std::vector<trace> read_folder(const std::string& folder) {
  std::vector<std::string> errors;
  auto traces = read_trace_folder(folder, &errors);
  for (const std::string& e : errors) fmt::print(stderr, "copyeta: {}; file skipped\n", e);
  return traces;
}

std::string cell(double v, int decimals = 3) {
  return std::isnan(v) ? std::string("-") : fmt::format("{:.{}f}", v, decimals);
}

struct backtest_args {
  std::string folder;
  double level = 0.8;
  std::vector<std::string> models;
  bool per_trace = false;
};

void print_summary(const backtest_result& r, std::optional<end_kind> kind, std::string_view title) {
  std::size_t n = 0;
  for (const auto& e : r.traces) n += !kind || e.kind == *kind;
  fmt::print("\n### {} ({} traces, level {})\n\n", title, n, r.level);
  fmt::print("| model | q-error | coverage | interval score | flip-flop | availability | "
             "coverage early | coverage mid | coverage late |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|\n");
  for (std::size_t m = 0; m < r.models.size(); ++m) {
    const metrics_summary s = r.summary(m, kind);
    fmt::print("| {}{} | {} | {} | {} | {} | {} | {} | {} | {} |\n", r.models[m],
               is_peer_model(r.models[m]) ? " (peer)" : "", cell(s.q_error), cell(s.coverage, 2),
               cell(s.interval_score, 2), cell(s.flip_flop, 3), cell(s.availability, 2),
               cell(s.bucket_coverage[0], 2), cell(s.bucket_coverage[1], 2),
               cell(s.bucket_coverage[2], 2));
  }
}

void print_per_trace(const backtest_result& r, std::string_view title,
                     double trace_metrics::*figure) {
  fmt::print("\n### {} per trace\n\n| trace | end | samples |", title);
  for (const auto& m : r.models) fmt::print(" {} |", m);
  fmt::print("\n|---|---|---|");
  for (std::size_t m = 0; m < r.models.size(); ++m) fmt::print("---|");
  fmt::print("\n");
  for (const auto& e : r.traces) {
    fmt::print("| {} | {} | {} |", e.name, to_string(e.kind), e.samples);
    for (const auto& m : e.metrics) fmt::print(" {} |", cell(m.*figure));
    fmt::print("\n");
  }
}

int run_backtest(const backtest_args& args) {
  backtest_options options;
  options.level = args.level;
  options.models = args.models;
  options.validate();
  const backtest_result r = backtest(read_folder(args.folder), options);

  fmt::print("## copyeta backtest {}\n\n", args.folder);
  fmt::print("Metrics of docs/METRICS.md; every figure is a mean over traces. The default model is "
             "calibrated leave-one-out; peers get intervals from fixed factors learned on the "
             "other traces.\n");
  print_summary(r, std::nullopt, "Real ends and milestones");
  print_summary(r, end_kind::real_end, "Real ends");
  print_summary(r, end_kind::milestone, "Milestones");
  if (args.per_trace) {
    print_per_trace(r, "Median q-error", &trace_metrics::q_error);
    print_per_trace(r, "Coverage", &trace_metrics::coverage);
    print_per_trace(r, "Flip-flop", &trace_metrics::flip_flop);
  }
  if (!r.skipped.empty()) {
    fmt::print("\nNot scored ({}):\n\n", r.skipped.size());
    for (const auto& [name, why] : r.skipped) fmt::print("- {}: {}\n", name, why);
  }
  std::fflush(stdout);
  return exit_finished;
}

struct calibrate_args {
  std::string folder;
  std::string output;
};

int run_calibrate(const calibrate_args& args) {
  const calibration c = calibration::fit(read_folder(args.folder));
  c.save(args.output);
  fmt::print(stderr, "copyeta: calibrated on {} jobs; weights {} = {}; written to {}\n", c.jobs(),
             fmt::join(calibration::components, "/"), fmt::join(c.weights(), "/"), args.output);
  return exit_finished;
}

}  // namespace

void register_backtest(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<backtest_args>();
  CLI::App* cmd = app.add_subcommand(
      "backtest", "Score copyeta and every peer on a folder of finished traces (leave-one-out)");
  cmd->add_option("folder", args->folder, "A folder of trace CSV files")->required();
  cmd->footer(
      "Examples:\n"
      "  copyeta backtest tests/data/traces\n"
      "  copyeta backtest my-jobs/ --per-trace --model default --model tqdm");
  cmd->add_option("--level", args->level, "Confidence level of the interval, in (0, 1)")
      ->capture_default_str();
  cmd->add_option("--model", args->models,
                  fmt::format("Models to score (repeatable; default all): {}",
                              fmt::join(model_names(), ", ")));
  cmd->add_flag("--per-trace", args->per_trace,
                "Also print each trace's median q-error, coverage and flip-flop");
  cmd->callback([args, &exit_code] { exit_code = run_backtest(*args); });
}

void register_calibrate(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<calibrate_args>();
  CLI::App* cmd = app.add_subcommand(
      "calibrate", "Learn the default model's weights and error quantiles from finished traces");
  cmd->add_option("folder", args->folder, "A folder of trace CSV files")->required();
  cmd->add_option("--output,-o", args->output, "Where to write the calibration JSON")->required();
  cmd->footer(
      "Examples:\n"
      "  copyeta calibrate my-finished-jobs/ -o site.json\n"
      "  copyeta replay trace.csv --calibration site.json");
  cmd->callback([args, &exit_code] { exit_code = run_calibrate(*args); });
}

}  // namespace copyeta::cli
