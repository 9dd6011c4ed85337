#pragma once

#include <copyeta/calibration.hpp>
#include <copyeta/detail/clamp.hpp>
#include <copyeta/models.hpp>
#include <copyeta/models/default_model.hpp>
#include <copyeta/monitor.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace copyeta {

COPYETA_INLINE void monitor_options::validate() const {
  estimator.validate();
  const auto& names = model_names();
  if (std::find(names.begin(), names.end(), model) == names.end())
    throw options_error(fmt::format("[copyeta.options] unknown model '{}'; known models: {}", model,
                                    fmt::join(names, ", ")));
  if (!(min_gap >= 0.0 && std::isfinite(min_gap)))
    throw options_error(fmt::format(
        "[copyeta.options] min_gap = {} must be a non-negative number of seconds", min_gap));
  if (!(refresh >= 0.0 && std::isfinite(refresh)))
    throw options_error(fmt::format(
        "[copyeta.options] refresh = {} must be a non-negative number of seconds", refresh));
  if (calibration && model != "default")
    throw options_error(fmt::format(
        "[copyeta.options] a calibration is for the default model, not for '{}'", model));
}

namespace detail {

inline std::unique_ptr<estimator> monitored_model(const monitor_options& options) {
  options.validate();
  if (options.calibration)
    return std::make_unique<models::default_model>(options.estimator, *options.calibration);
  return make_estimator(options.model, options.estimator);
}

}  // namespace detail

COPYETA_INLINE monitor::monitor(const monitor_options& options)
    : estimator_(detail::monitored_model(options)),
      min_gap_(options.min_gap),
      refresh_(options.refresh),
      stall_after_(options.estimator.stall_after) {}

COPYETA_INLINE sample_check monitor::add(const sample& s) noexcept {
  const sample_check check = check_sample(last_, s);
  if (!check.accepted()) {
    ++rejected_[static_cast<std::size_t>(check.reason)];
    last_rejection_ = check.reason;
    return check;
  }
  ++accepted_;
  sample accepted = s;
  if (!accepted.total && last_) accepted.total = last_->total;
  const bool new_total = !last_ || accepted.total != last_->total;
  if (!last_ || check.restart || accepted.done > last_->done) last_progress_t_ = accepted.t;
  if (check.restart) ++restarts_;
  last_ = accepted;

  const std::optional<sample>& taken = estimator_->last();
  const bool finished = accepted.total && accepted.done >= *accepted.total;
  if (taken && !check.restart && !new_total && !finished && accepted.t - taken->t < min_gap_) {
    held_ = accepted;
    return check;
  }
  // What the model must see at once. The held sample goes first, so that the model sees a
  // restart or a new total against the sample just before it.
  if (check.restart || new_total) has_forecast_ = false;
  flush();
  estimator_->try_add(accepted);  // already checked: the model accepts it
  return check;
}

COPYETA_INLINE void monitor::flush() const noexcept {
  if (!held_) return;
  estimator_->try_add(*held_);
  held_.reset();
}

COPYETA_INLINE bool monitor::can_scale(double now) const noexcept {
  // The forecast must be recent and for this run and total.
  if (!has_forecast_ || !(now >= forecast_.t && now - forecast_.t < refresh_) ||
      forecast_.total != last_->total)
    return false;
  switch (forecast_.state) {
    case state::unknown_total:  // nothing to scale but the state and rate to keep
      return true;
    case state::ok:
      // Still moving: a stall can only begin after stall_after seconds without progress.
      return now - last_progress_t_ < stall_after_ && forecast_.remaining > 0.0 &&
             last_->done < *last_->total && forecast_.done < *forecast_.total;
    case state::stalled:  // still stalled: no progress since
      return last_->done == forecast_.done;
    default:
      return false;
  }
}

COPYETA_INLINE copyeta::estimate monitor::estimate(double now) const noexcept {
  if (!std::isfinite(now)) now = last_ ? last_->t : 0.0;
  now = std::clamp(now, -max_abs_time, max_abs_time);
  if (last_) now = std::max(now, last_->t);
  if (last_ && can_scale(now)) {
    copyeta::estimate e = forecast_;
    e.t = now;
    e.done = last_->done;
    if (e.state == state::unknown_total) return e;
    if (e.state == state::stalled) {
      // Nothing left has changed; only the stall is older.
      e.stalled_for = detail::clamp_seconds(forecast_.stalled_for + (now - forecast_.t));
      return e;
    }
    // Remaining, lo and hi in proportion to what is left: the forecast's rate and spread, now.
    const double k = static_cast<double>(*last_->total - last_->done) /
                     static_cast<double>(*forecast_.total - forecast_.done);
    e.remaining = detail::clamp_seconds(forecast_.remaining * k);
    e.lo = std::min(detail::clamp_seconds(forecast_.lo * k), e.remaining);
    e.hi = std::max(detail::clamp_seconds(forecast_.hi * k), e.remaining);
    return e;
  }
  flush();
  // With a finite `now` within range the estimator has nothing left to throw for.
  forecast_ = estimator_->estimate(now);
  has_forecast_ = true;
  return forecast_;
}

COPYETA_INLINE std::uint64_t monitor::rejected() const noexcept {
  return std::accumulate(rejected_.begin(), rejected_.end(), std::uint64_t{0});
}

COPYETA_INLINE std::uint64_t monitor::rejected(reject_reason reason) const noexcept {
  return rejected_[static_cast<std::size_t>(reason)];
}

}  // namespace copyeta
