// _core._CalibrationEvidence: mergeable calibration state (calibration_evidence.hpp), and the
// default model's leave-one-out scoring from it, which copyeta.dask runs on workers. Also adds
// Calibration.merge (calibration::merge) to the class register_calibration.cpp made.
#include "columns.hpp"
#include "register.hpp"

#include <copyeta/backtest.hpp>
#include <copyeta/calibration.hpp>
#include <copyeta/calibration_evidence.hpp>
#include <copyeta/models.hpp>
#include <copyeta/models/default_model.hpp>
#include <copyeta/scoring.hpp>

#include <fmt/format.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace copyeta::python {
namespace {

using evidence_ptr = std::shared_ptr<calibration_evidence>;

// Copies of the C++ traces, taken with the GIL held.
std::vector<trace> copy_traces(const py::iterable& items) {
  std::vector<trace> out;
  for (const py::handle item : items) out.push_back(as_trace(item));
  return out;
}

// One per-trace row of _core.backtest (register_backtest.cpp's trace_row), for the default
// model: the same keys in the same order, so that the DataFrames compare equal.
py::dict default_row(const scoring_trace& job, const trace_metrics& x) {
  py::dict row;
  row["trace"] = job.name;
  row["kind"] = std::string(to_string(job.kind));
  row["samples"] = job.samples.size();
  row["model"] = std::string("default");
  row["peer"] = is_peer_model("default");
  row["scored"] = x.scored;
  row["predicted"] = x.predicted;
  row["q_error"] = x.q_error;
  row["coverage"] = x.coverage;
  row["interval_score"] = x.interval_score;
  row["flip_flop"] = x.flip_flop;
  row["availability"] = x.availability;
  for (std::size_t b = 0; b < bucket_count; ++b)
    row[py::str("coverage_" + std::string(bucket_name(b)))] = x.buckets[b].coverage;
  return row;
}

}  // namespace

void register_evidence(py::module_& m) {
  py::class_<calibration_evidence, evidence_ptr>(
      m, "_CalibrationEvidence",
      "What finished traces say about calibration, per job and keyed by name, so that "
      "workers' states merge exactly (copyeta.CalibrationEvidence wraps it).")
      .def(py::init<>())
      .def(
          "add",
          [](calibration_evidence& self, const py::handle& item) {
            const trace job = as_trace(item);
            std::string why;
            std::optional<scoring_trace> scored;
            std::optional<detail::job_evidence> evidence;
            {
              // The replay runs without the GIL; the state changes with it held, so that
              // another thread never sees it half changed.
              py::gil_scoped_release release;
              scored = prepare_scoring(job, &why);
              if (scored) evidence = detail::gather_evidence(*scored);
            }
            if (!evidence) {
              calibration_evidence one;
              one.add(job);  // records it as skipped, with the reason
              self.merge(one);
              return false;
            }
            self.add(std::move(*evidence));
            return true;
          },
          py::arg("trace"),
          "Scores a copyeta.Trace and adds its evidence under its name. Returns False when it "
          "cannot be scored (it is then listed in `skipped`). A different job under a name "
          "already held raises ValueError; the same job again is kept once.")
      .def(
          "add_all",
          [](calibration_evidence& self, const py::iterable& items) {
            const std::vector<trace> jobs = copy_traces(items);
            calibration_evidence batch;
            {
              py::gil_scoped_release release;
              for (const trace& job : jobs) batch.add(job);
            }
            self.merge(batch);
            return batch.size();
          },
          py::arg("traces"),
          "add() for every trace, without the GIL; all or nothing. Returns how many were "
          "scored.")
      .def(
          "merge",
          [](const evidence_ptr& self, const calibration_evidence& other) {
            self->merge(other);
            return self;
          },
          py::arg("other"), "Adds every job of `other` (exact, in any order); returns self.")
      .def(
          "fit",
          [](const calibration_evidence& self) {
            const calibration_evidence copy = self;  // fitted without the GIL
            py::gil_scoped_release release;
            return std::make_shared<calibration>(copy.fit());
          },
          "Calibration.fit over every job, in name order.")
      .def(
          "fit_without_each",
          [](const calibration_evidence& self, const std::vector<std::string>& names) {
            const calibration_evidence copy = self;
            std::vector<calibration> folds;
            {
              py::gil_scoped_release release;
              folds = copy.fit_without_each(names);
            }
            std::vector<std::shared_ptr<calibration>> out;
            for (auto& fold : folds) out.push_back(std::make_shared<calibration>(std::move(fold)));
            return out;
          },
          py::arg("names"), "The fit without each named job (leave-one-out).")
      .def_property_readonly("names", &calibration_evidence::names)
      .def_property_readonly("jobs", &calibration_evidence::jobs,
                             "Jobs a fit learns from (with at least one forecast sample).")
      .def_property_readonly(
          "skipped",
          [](const calibration_evidence& self) {
            std::vector<std::pair<std::string, std::string>> out(self.skipped().begin(),
                                                                 self.skipped().end());
            return out;
          },
          "(name, why) of each trace that could not be scored, in name order.")
      .def("__len__", &calibration_evidence::size)
      .def("__contains__", &calibration_evidence::contains, py::arg("name"))
      .def("to_json", &calibration_evidence::to_json,
           "Versioned JSON ({\"format\": \"copyeta.evidence\", \"version\": 1, ...}), exact.")
      .def_static(
          "from_json",
          [](const std::string& text, const std::string& source) {
            return std::make_shared<calibration_evidence>(
                calibration_evidence::from_json(text, source));
          },
          py::arg("text"), py::arg("source") = "from_json")
      .def("__eq__", [](const calibration_evidence& a, const calibration_evidence& b) {
        return a == b;
      })
      .def("__repr__",
           [](const calibration_evidence& e) {
             return fmt::format("_CalibrationEvidence(traces={}, jobs={}, skipped={})", e.size(),
                                e.jobs(), e.skipped().size());
           })
      .def(py::pickle([](const calibration_evidence& e) { return e.to_json(); },
                      [](const std::string& text) {
                        return std::make_shared<calibration_evidence>(
                            calibration_evidence::from_json(text, "pickle"));
                      }));

  m.def(
      "_backtest_default",
      [](const py::iterable& traces, const calibration_evidence& evidence, double level) {
        backtest_options options;
        options.level = level;
        options.validate();
        const std::vector<trace> inputs = copy_traces(traces);
        const calibration_evidence all = evidence;
        // As backtest() scores the default model: each trace with a calibration fit on the
        // others (here: every other job of `evidence`, in name order).
        std::vector<scoring_trace> jobs;
        std::vector<std::pair<std::string, std::string>> skipped;
        std::vector<trace_metrics> metrics;
        {
          py::gil_scoped_release release;
          std::vector<std::string> names;
          for (const trace& t : inputs) {
            std::string why;
            if (auto job = prepare_scoring(t, &why)) {
              names.push_back(job->name);
              jobs.push_back(std::move(*job));
            } else {
              skipped.emplace_back(t.name, why);
            }
          }
          const std::vector<calibration> folds = all.fit_without_each(names);
          const estimator_options estimator{level};
          for (std::size_t i = 0; i < jobs.size(); ++i) {
            models::default_model model(estimator, folds[i]);
            metrics.push_back(score_forecasts(forecast_trace(jobs[i], model), level, jobs[i].end));
          }
        }
        py::list per_trace, out_skipped;
        for (std::size_t i = 0; i < jobs.size(); ++i)
          per_trace.append(default_row(jobs[i], metrics[i]));
        for (const auto& [name, why] : skipped) out_skipped.append(py::make_tuple(name, why));
        py::dict out;
        out["per_trace"] = per_trace;
        out["skipped"] = out_skipped;
        return out;
      },
      py::arg("traces"), py::arg("evidence"), py::arg("level") = 0.8,
      "The default model's per-trace rows of _core.backtest for these traces, each scored with "
      "evidence.fit_without(its name). Used by copyeta.dask; runs without the GIL.");

  // Calibration.merge, on the class register_calibration() made.
  py::object cls = py::type::of<calibration>();
  cls.attr("merge") = py::cpp_function(
      [](const std::shared_ptr<calibration>& self, const calibration& other) {
        self->merge(other);
        return self;
      },
      py::name("merge"), py::is_method(cls), py::arg("other"),
      "Adds another calibration's jobs, loss table and error histograms; returns self. Only "
      "for calibrations with the same weights (learned by update() from one start), else "
      "ValueError. Exact up to the rounding of the sums; CalibrationEvidence merges exactly.");
}

}  // namespace copyeta::python
