// Mergeable calibration state: what finished jobs say about the default model's components,
// kept per job so that workers' states combine exactly.
//
// Fitting a calibration costs one replay of the components per job (detail::gather_evidence);
// the fit itself is cheap. A calibration_evidence holds that per-job evidence, keyed by job
// name, so a fleet of workers can each gather the evidence of their own traces and a
// coordinator can merge the states and fit once. Floating-point sums depend on their order, so
// nothing is summed before the fit: merge() is a union of jobs, and fit() adds the jobs up in
// name order. Whatever the partition of the jobs and the shape of the merge tree, the result is
// the same calibration, bit for bit: calibration::fit() on the same jobs in name order
// (read_trace_folder and copyeta.read_traces read a folder in file-name order, which is name
// order unless a name continues another with a character that sorts before '.').
//
// This per-job evidence is also the estimator's summary of a finished job: the components'
// forecasts at every scored sample, and the truth. Live monitors' states are not serialized.
//
// One name, one job. Merging or adding a job that is already held with the very same evidence
// (a retried task, a state merged twice) keeps it once; a different job under a name already
// held is refused with input_error, and nothing is changed. Traces that cannot be scored are
// kept by name with the reason, under the same rule.
#pragma once

#include <copyeta/calibration.hpp>
#include <copyeta/config.hpp>
#include <copyeta/scoring.hpp>
#include <copyeta/trace.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace copyeta {

class calibration_evidence {
 public:
  static constexpr int format_version = 1;

  calibration_evidence() = default;

  // Scores the trace (docs/METRICS.md) and adds its evidence under trace.name. Returns false
  // when it cannot be scored; it is then kept in skipped() with the reason.
  bool add(const trace& job);
  // Replays the components through a scored trace and adds the evidence under job.name.
  void add(const scoring_trace& job);
  // Made-up evidence is checked: a number beyond what a replay gives (+-1e6 for logs of
  // seconds) throws input_error.
  void add(detail::job_evidence job);
  // Adds every job of `other`. Exact: the order of merges never changes what fit() gives.
  calibration_evidence& merge(const calibration_evidence& other);

  // Jobs held (scored traces, including those with no sample the components could forecast).
  std::size_t size() const noexcept { return jobs_.size(); }
  // Jobs a fit learns from: those with at least one forecast sample (calibration::jobs()).
  std::size_t jobs() const noexcept;
  std::vector<std::string> names() const;  // in name order
  bool contains(std::string_view name) const;
  // Traces that could not be scored: name and why, in name order.
  const std::map<std::string, std::string, std::less<>>& skipped() const noexcept {
    return skipped_;
  }
  // The evidence of one job, or nullptr.
  const detail::job_evidence* find(std::string_view name) const;

  // calibration::fit() over every job, in name order.
  calibration fit() const;
  // The same without one job, as a backtest scores the default model (leave-one-out). Throws
  // options_error for a name not held.
  calibration fit_without(std::string_view name) const;
  // fit_without() for each name, equal to it bit for bit, but sharing the per-job work: n
  // folds cost about one fit plus n passes over the histograms, instead of n fits.
  std::vector<calibration> fit_without_each(const std::vector<std::string>& names) const;

  // Versioned JSON: {"format": "copyeta.evidence", "version": 1, "components": [...],
  // "jobs": [{"name": ..., "points": [[bucket, ln R, then per component ln median and
  // log-sd, or null, null where it gave no forecast], ...]}, ...], "skipped": [{"name": ...,
  // "why": ...}, ...]}. Jobs in name order and every number in its shortest exact form, so
  // equal states give the same text and from_json(to_json()) == *this. Names that are not
  // UTF-8 are written with U+FFFD in place of the bad bytes.
  std::string to_json() const;
  // Throws input_error naming `source`, and the job and point where something is wrong.
  static calibration_evidence from_json(std::string_view text,
                                        std::string_view source = "evidence");

  friend bool operator==(const calibration_evidence& a, const calibration_evidence& b) noexcept;
  friend bool operator!=(const calibration_evidence& a, const calibration_evidence& b) noexcept {
    return !(a == b);
  }

 private:
  std::vector<const detail::job_evidence*> in_order() const;

  std::map<std::string, detail::job_evidence, std::less<>> jobs_;
  std::map<std::string, std::string, std::less<>> skipped_;
};

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/calibration_evidence-inl.hpp>
#endif
