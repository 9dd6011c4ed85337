// The lenient front end that the CLI and copy tools use: it never throws on data.
//
// A copy tool calls add() once per block and a display asks estimate() now and then. Samples
// that break the input policy (input_policy.hpp) are counted by reason and otherwise ignored, so
// a glitch in a tool's output can never take the copy down.
//
// The model works at a bounded rate, whatever the caller's: a sample closer than `min_gap` to the
// last one the model took is held, and only the latest held one is passed on, and a full
// forecast is made at most once per `refresh` seconds of sample time. An estimate in between is
// the latest forecast scaled to what is left now. So add() costs a comparison for a tool calling
// per block, and a replay of a dense trace costs one forecast per `refresh`, not one per row.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/estimate.hpp>
#include <copyeta/estimator.hpp>
#include <copyeta/input_policy.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace copyeta {

class calibration;

struct monitor_options {
  std::string model = "default";  // a name from model_names()
  estimator_options estimator;
  // The default model's calibration (calibration.hpp), e.g. one learned on a site's own jobs;
  // null means the one copyeta ships. Other models need none, and setting one for them is an
  // options_error.
  std::shared_ptr<const copyeta::calibration> calibration;
  // Samples closer than this (seconds) to the last one the model took are held, not fitted:
  // amounts are cumulative, so only the latest held one matters. A restart, a new total or a
  // finish is always passed on at once, after the one held. 0 passes every sample.
  double min_gap = 0.05;
  // Seconds of sample time between full forecasts. An estimate in between scales the latest
  // forecast (remaining, lo, hi) by what is left now against what was left then (the rate is
  // the forecast's); during a stall it keeps the forecast and makes the stall that much longer.
  // A restart, a new total, a finish, progress missing for `stall_after` seconds, or progress
  // after a stall asks for a full forecast at once. 0 makes every estimate a full forecast.
  double refresh = 1.0;

  void validate() const;  // throws options_error
};

class monitor {
 public:
  // Throws options_error for an unknown model or invalid options: that is a programming error,
  // not data.
  explicit monitor(const monitor_options& options = {});

  // Applies the input policy; returns what it decided. Never throws.
  sample_check add(const sample& s) noexcept;

  // The estimate at `now`. A non-finite `now` is taken as the latest sample's time, and one beyond
  // ±2^53 s (max_abs_time) as that bound. Never throws. It may pass a held sample to the model
  // and keeps the latest forecast: like every other call, use a monitor from one thread at a
  // time (shared_monitor serves a copy thread and display threads).
  copyeta::estimate estimate(double now) const noexcept;

  // The latest accepted sample (the model may not have taken it yet), its total filled in.
  const std::optional<sample>& last() const noexcept { return last_; }
  // How many accepted samples had `done` below the previous one (resumes, restarts).
  std::uint64_t restarts() const noexcept { return restarts_; }

  std::uint64_t accepted() const noexcept { return accepted_; }
  std::uint64_t rejected() const noexcept;
  std::uint64_t rejected(reject_reason reason) const noexcept;
  // The most recent rejection, for a message such as "12 samples rejected (time_backwards)".
  reject_reason last_rejection() const noexcept { return last_rejection_; }

  // The model, which has taken every accepted sample up to min_gap before the latest.
  const copyeta::estimator& model() const noexcept { return *estimator_; }

 private:
  // Passes the held sample, if any, to the model.
  void flush() const noexcept;
  // Whether the latest forecast can be scaled to `now` (see monitor_options::refresh).
  bool can_scale(double now) const noexcept;

  std::unique_ptr<copyeta::estimator> estimator_;
  double min_gap_;
  double refresh_;
  double stall_after_;
  std::optional<sample> last_;     // the latest accepted sample
  double last_progress_t_ = 0.0;   // when `done` last grew
  std::uint64_t restarts_ = 0;
  // Mutable: estimate() passes the held sample on and keeps its forecast.
  mutable std::optional<sample> held_;  // accepted, not yet taken by the model
  mutable copyeta::estimate forecast_;  // the latest full forecast, when `has_forecast_`
  mutable bool has_forecast_ = false;
  std::uint64_t accepted_ = 0;
  std::array<std::uint64_t, reject_reason_count> rejected_{};
  reject_reason last_rejection_ = reject_reason::none;
};

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/monitor-inl.hpp>
#endif
