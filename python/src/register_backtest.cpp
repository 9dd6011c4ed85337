// _core.backtest: docs/metrics.md over copyeta.Trace objects, for every model (backtest.hpp).
// Results cross back as plain lists of dicts; copyeta/_backtest.py makes DataFrames of them.
#include "columns.hpp"
#include "register.hpp"

#include <copyeta/backtest.hpp>
#include <copyeta/models.hpp>

#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace copyeta::python {
namespace {

// The figures shared by per-trace and summary rows, under the column names of _backtest.py.
template <class Figures>
void put_figures(py::dict& row, const Figures& f) {
  row["q_error"] = f.q_error;
  row["coverage"] = f.coverage;
  row["interval_score"] = f.interval_score;
  row["flip_flop"] = f.flip_flop;
  row["availability"] = f.availability;
}

py::dict trace_row(const backtest_result& r, const backtest_result::entry& e, std::size_t m) {
  const trace_metrics& x = e.metrics.at(m);
  py::dict row;
  row["trace"] = e.name;
  row["kind"] = std::string(to_string(e.kind));
  row["samples"] = e.samples;
  row["model"] = r.models[m];
  row["peer"] = is_peer_model(r.models[m]);
  row["scored"] = x.scored;
  row["predicted"] = x.predicted;
  put_figures(row, x);
  for (std::size_t b = 0; b < bucket_count; ++b)
    row[py::str("coverage_" + std::string(bucket_name(b)))] = x.buckets[b].coverage;
  return row;
}

py::dict summary_row(const backtest_result& r, std::size_t m, std::optional<end_kind> kind) {
  const metrics_summary s = r.summary(m, kind);
  py::dict row;
  row["model"] = r.models[m];
  row["peer"] = is_peer_model(r.models[m]);
  row["subset"] = kind ? std::string(to_string(*kind)) : std::string("all");
  // How many traces the subset holds (a summary's own count leaves out nothing else).
  std::size_t n = 0;
  for (const auto& e : r.traces) n += !kind || e.kind == *kind;
  row["traces"] = n;
  put_figures(row, s);
  for (std::size_t b = 0; b < bucket_count; ++b)
    row[py::str("coverage_" + std::string(bucket_name(b)))] = s.bucket_coverage[b];
  return row;
}

}  // namespace

void register_backtest(py::module_& m) {
  m.def(
      "backtest",
      [](const py::iterable& traces, double level, const std::optional<std::vector<std::string>>& models) {
        backtest_options options;
        options.level = level;
        if (models) options.models = *models;
        options.validate();
        // Copies of the C++ traces, taken with the GIL held; the scoring then runs without it.
        std::vector<trace> inputs;
        for (const py::handle item : traces) inputs.push_back(as_trace(item));
        backtest_result r;
        {
          py::gil_scoped_release release;
          r = backtest(inputs, options);
        }
        py::list per_trace, summary, skipped;
        for (const auto& e : r.traces)
          for (std::size_t i = 0; i < r.models.size(); ++i) per_trace.append(trace_row(r, e, i));
        const std::optional<end_kind> subsets[] = {std::nullopt, end_kind::real_end,
                                                   end_kind::milestone};
        for (const auto& kind : subsets)
          for (std::size_t i = 0; i < r.models.size(); ++i) summary.append(summary_row(r, i, kind));
        for (const auto& [name, why] : r.skipped) skipped.append(py::make_tuple(name, why));
        py::dict out;
        out["level"] = r.level;
        out["models"] = r.models;
        out["per_trace"] = per_trace;
        out["summary"] = summary;
        out["skipped"] = skipped;
        return out;
      },
      py::arg("traces"), py::arg("level") = 0.8, py::arg("models") = py::none(),
      "Scores models on traces under docs/metrics.md (copyeta's default model leave-one-out, "
      "peers with intervals from the other traces). Returns a dict: level, models, per_trace "
      "(one dict per trace and model), summary (one dict per subset all/real_end/milestone and "
      "model: means over traces) and skipped ((name, why) pairs). Runs without the GIL.");
}

}  // namespace copyeta::python
