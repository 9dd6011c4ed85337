#pragma once

#include <copyeta/detail/clamp.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/estimator.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace copyeta {

COPYETA_INLINE void estimator_options::validate() const {
  confidence_level{level};
  if (!(stall_after > 0.0 && std::isfinite(stall_after)))
    throw options_error(
        fmt::format("[copyeta.options] stall_after = {} must be a positive number of seconds",
                    stall_after));
  if (!(stall_gaps >= 1.0 && std::isfinite(stall_gaps)))
    throw options_error(
        fmt::format("[copyeta.options] stall_gaps = {} must be at least 1", stall_gaps));
}

COPYETA_INLINE estimator::estimator(const estimator_options& options) : options_(options) {
  options_.validate();
}

COPYETA_INLINE void estimator::add(const sample& s) {
  const auto check = check_sample(last_, s);
  throw_if_rejected(check, last_, s);
  try_add(s);
}

COPYETA_INLINE sample_check estimator::try_add(const sample& s) noexcept {
  const auto check = check_sample(last_, s);
  if (!check.accepted()) return check;

  sample accepted = s;
  if (!accepted.total && last_) accepted.total = last_->total;

  if (!last_ || check.restart) {
    if (check.restart) {
      ++restarts_;
      on_restart();
    }
    last_progress_t_ = accepted.t;
    usual_gap_ = 0.0;
  } else if (accepted.done > last_->done) {
    // Gaps between progress samples, smoothed over about five of them.
    const double gap = accepted.t - last_progress_t_;
    usual_gap_ = usual_gap_ == 0.0 ? gap : 0.8 * usual_gap_ + 0.2 * gap;
    last_progress_t_ = accepted.t;
  }
  last_ = accepted;
  on_sample(accepted);
  return check;
}

COPYETA_INLINE void estimator::reset() noexcept {
  last_.reset();
  last_progress_t_ = 0.0;
  usual_gap_ = 0.0;
  restarts_ = 0;
  on_restart();
}

COPYETA_INLINE double estimator::seconds_without_progress(double now) const noexcept {
  if (!last_) return 0.0;
  return std::max(0.0, now - last_progress_t_);
}

COPYETA_INLINE bool estimator::is_stalled(double now) const noexcept {
  const double threshold = std::max(options_.stall_after, options_.stall_gaps * usual_gap_);
  return last_ && seconds_without_progress(now) >= threshold;
}

COPYETA_INLINE std::optional<estimator::forecast> estimator::predict(double now,
                                                                     double left) const noexcept {
  const auto r = rate(now);
  if (!r) return std::nullopt;
  const double remaining = left / *r;
  return forecast{remaining, remaining, remaining};
}

COPYETA_INLINE estimator::outlook estimator::evaluate(double now, double left) const noexcept {
  outlook o;
  o.rate = rate(now);
  if (left > 0.0) o.prediction = predict(now, left);
  return o;
}

COPYETA_INLINE copyeta::estimate estimator::estimate(double now) const {
  if (!std::isfinite(now))
    throw options_error(fmt::format("[copyeta.options] now = {} is not a finite time", now));
  if (std::fabs(now) > max_abs_time)
    throw options_error(fmt::format("[copyeta.options] now = {} is beyond ±2^53 seconds", now));
  return estimate_at(now, true);
}

COPYETA_NOINLINE COPYETA_INLINE copyeta::estimate estimator::estimate_at(
    double now, bool with_shift) const noexcept {
  copyeta::estimate e;
  e.level = options_.level;
  e.t = now;
  if (!last_) return e;  // warming_up

  e.t = std::max(now, last_->t);
  e.done = last_->done;
  e.total = last_->total;
  // The forecast is asked for only when there is something left of a known total.
  const bool open = e.total && e.done < *e.total;
  const outlook o = evaluate(e.t, open ? static_cast<double>(*e.total - e.done) : 0.0);
  if (const auto& r = o.rate; r && std::isfinite(*r) && *r > 0.0) e.rate = *r;
  if (with_shift) e.shift = shift();

  if (!e.total) {
    e.state = state::unknown_total;
    return e;
  }
  if (e.done >= *e.total) {
    e.state = state::finished;
    return e;
  }

  const auto& f = o.prediction;
  if (!f || std::isnan(f->remaining)) return e;  // warming_up

  e.state = state::ok;
  if (is_stalled(e.t)) {
    e.state = state::stalled;
    e.stalled_for = detail::clamp_seconds(seconds_without_progress(e.t));
  }
  e.remaining = detail::clamp_seconds(f->remaining);
  e.lo = std::min(detail::clamp_seconds(f->lo), e.remaining);
  e.hi = std::max(detail::clamp_seconds(f->hi), e.remaining);
  return e;
}

}  // namespace copyeta
