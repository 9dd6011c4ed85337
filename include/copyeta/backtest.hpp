// Backtests: replay finished traces through models and score them with docs/METRICS.md.
//
// Nothing is scored by what learned from it. The default model is scored with a calibration fit
// on the other traces (leave-one-out), and a model that gives no interval (a peer) gets the
// simplest honest one: its point estimate scaled by the (1-c)/2 and (1+c)/2 quantiles of R/P
// over the other traces, every trace weighing the same.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/scoring.hpp>
#include <copyeta/trace.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace copyeta {

struct backtest_options {
  double level = 0.8;
  // Model names of contracts.md; empty means every model, copyeta's first.
  std::vector<std::string> models;

  void validate() const;  // throws options_error
};

struct backtest_result {
  struct entry {
    std::string name;
    end_kind kind = end_kind::real_end;
    std::size_t samples = 0;             // samples fed to the models
    std::vector<trace_metrics> metrics;  // one per model, in `models` order
  };

  double level = 0.8;
  std::vector<std::string> models;
  std::vector<entry> traces;                                 // the scored traces
  std::vector<std::pair<std::string, std::string>> skipped;  // trace name, why

  // The means over traces of one model: over every trace, or over one kind of end.
  metrics_summary summary(std::size_t model, std::optional<end_kind> kind = std::nullopt) const;
};

backtest_result backtest(const std::vector<trace>& traces, const backtest_options& options = {});

// Every `*.csv` file in a folder, in name order. Throws input_error when the folder cannot be
// read; a file that cannot be read as a trace is reported in `errors` and skipped.
std::vector<trace> read_trace_folder(const std::string& folder,
                                     std::vector<std::string>* errors = nullptr);

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/backtest-inl.hpp>
#endif
