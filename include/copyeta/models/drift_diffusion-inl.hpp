#pragma once

#include <copyeta/detail/first_passage.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/models/drift_diffusion.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace copyeta::models {

COPYETA_INLINE void drift_diffusion_options::validate() const {
  const auto require = [](bool ok, const char* field, double value, const char* rule) {
    if (!ok) throw options_error(fmt::format("[copyeta.options] {} = {} must be {}", field, value, rule));
  };
  require(block_seconds > 0.0 && std::isfinite(block_seconds), "block_seconds", block_seconds,
          "positive");
  require(max_blocks >= 2.0 && std::isfinite(max_blocks), "max_blocks", max_blocks,
          "at least 2");
  require(min_memory > 0.0 && std::isfinite(min_memory), "min_memory", min_memory, "positive");
  require(memory_share > 0.0 && std::isfinite(memory_share), "memory_share", memory_share,
          "positive");
  require(change_z > 0.0, "change_z", change_z, "positive (infinity disables the change test)");
  require(min_regime > 0.0 && std::isfinite(min_regime), "min_regime", min_regime, "positive");
  require(min_coarse_blocks >= 2.0 && std::isfinite(min_coarse_blocks), "min_coarse_blocks",
          min_coarse_blocks, "at least 2");
  require(prior_diffusion > 0.0 && std::isfinite(prior_diffusion), "prior_diffusion",
          prior_diffusion, "positive");
  require(prior_blocks > 0.0 && std::isfinite(prior_blocks), "prior_blocks", prior_blocks,
          "positive");
}

COPYETA_INLINE drift_diffusion::drift_diffusion(const estimator_options& options,
                                                const drift_diffusion_options& model)
    : estimator(options),
      model_(model),
      p_lo_(0.5 * (1.0 - options.level)),
      p_mid_(0.5),
      p_hi_(0.5 * (1.0 + options.level)),
      z_(confidence_level{options.level}.two_sided_z()) {
  model_.validate();
}

COPYETA_INLINE void drift_diffusion::on_sample(const sample& s) noexcept {
  history_.push(s.t, s.done);
  ++samples_;
}

COPYETA_INLINE void drift_diffusion::on_restart() noexcept {
  history_.clear();
  samples_ = 0;
}

namespace detail_drift_diffusion {

// Sums over blocks of increments taken around a reference rate, so that the quadratic
// variation is a difference of small numbers even for enormous amounts.
struct sums {
  double n = 0.0;
  double dt = 0.0;
  double dx = 0.0;  // of dx - ref * dt
  double xx = 0.0;
  double xt = 0.0;
  double tt = 0.0;

  template <class Block>
  void add(const Block& b, double ref) noexcept {
    const double x = b.dx - ref * b.dt;
    n += 1.0;
    dt += b.dt;
    dx += x;
    xx += x * x;
    xt += x * b.dt;
    tt += b.dt * b.dt;
  }
  sums minus(const sums& o) const noexcept {
    return {n - o.n, dt - o.dt, dx - o.dx, xx - o.xx, xt - o.xt, tt - o.tt};
  }
  // The rate above ref, sum (dx - m dt)^2 around it, and its expectation over sigma^2.
  double excess() const noexcept { return dx / dt; }
  double q() const noexcept {
    const double m = excess();
    return std::max(0.0, xx - 2.0 * m * xt + m * m * tt);
  }
  double norm() const noexcept { return dt - tt / dt; }
};

}  // namespace detail_drift_diffusion

COPYETA_INLINE std::size_t drift_diffusion::regime_start(const block* blocks,
                                                         std::size_t n) const noexcept {
  using detail_drift_diffusion::sums;
  // Only blocks that made progress take part: a stretch without progress is a stall, which the
  // stalled state and the forgetting handle. Cutting the run where a stall began would leave a
  // regime with almost no rate, and the stall would hide the rate change it interrupts.
  std::size_t begin = 0;
  for (int round = 0; round < 3; ++round) {
    sums all;
    for (std::size_t i = begin; i < n; ++i)
      if (blocks[i].dx > 0.0) all.add(blocks[i], 0.0);
    if (all.n < 4.0) break;
    const double ref = all.dx / all.dt;
    sums total;
    for (std::size_t i = begin; i < n; ++i)
      if (blocks[i].dx > 0.0) total.add(blocks[i], ref);

    // The split with the largest two-sample z of the rates before and after it, against the
    // noise pooled within the two sides.
    double best = 0.0;
    std::size_t best_k = begin;
    sums before;
    for (std::size_t k = begin; k < n; ++k) {
      if (!(blocks[k].dx > 0.0)) continue;
      if (before.n >= 2.0) {
        const sums after = total.minus(before);
        if (after.n < 2.0 || after.dt < model_.min_regime) break;
        const double norm = before.norm() + after.norm();
        const double gap = after.excess() - before.excess();
        const double z2 = gap * gap * norm /
                          ((before.q() + after.q()) * (1.0 / before.dt + 1.0 / after.dt));
        if (z2 > best) {
          best = z2;
          best_k = k;
        }
      }
      before.add(blocks[k], ref);
    }
    if (!(best > model_.change_z * model_.change_z)) break;
    begin = best_k;
  }
  return begin;
}

COPYETA_INLINE std::optional<drift_diffusion::fit> drift_diffusion::fit_at(
    double now) const noexcept {
  if (history_.size() < 2) return std::nullopt;
  const detail::point& first = history_.front();
  const detail::point& last = history_.back();
  if (!(last.t > first.t) || last.done == first.done) return std::nullopt;

  // Silence beyond twice the mean spacing between samples counts as no progress.
  const double spacing = (last.t - first.t) / static_cast<double>(samples_ - 1);
  const double silence = std::max(0.0, now - last.t - 2.0 * spacing);
  const double end = last.t + silence;
  const double elapsed = end - first.t;
  const double block_seconds = std::max(model_.block_seconds, elapsed / model_.max_blocks);

  std::array<block, capacity + 1> blocks;
  std::size_t n = 0;
  // Each block ends at the first point at least a block after its start (the tolerance keeps
  // block boundaries where they are when the time origin moves), or at the newest point. Times
  // never decrease, so that point is found by a search from an estimate instead of a scan.
  const double span = block_seconds * (1.0 - 1e-9);
  const std::size_t newest = history_.size() - 1;
  for (std::size_t start = 0; start < newest;) {
    const detail::point& a = history_[start];
    const auto short_of = [&](std::size_t i) { return history_[i].t - a.t < span; };
    // The first i in (start, newest) that is not short of a block, else newest: gallop from
    // start + 1 to bracket it, then bisect.
    std::size_t lo = start + 1;  // every index below lo is short
    std::size_t step = 1;
    std::size_t hi = lo;
    while (hi < newest && short_of(hi)) {
      lo = hi + 1;
      hi = std::min(newest, hi + step);
      step *= 2;
    }
    while (lo < hi) {  // short_of(i) for i < lo; not short (or newest) at hi
      const std::size_t mid = lo + (hi - lo) / 2;
      if (short_of(mid))
        lo = mid + 1;
      else
        hi = mid;
    }
    const detail::point& b = history_[hi];
    blocks[n++] = {b.t - a.t, static_cast<double>(b.done - a.done), 0.5 * (a.t + b.t)};
    start = hi;
  }
  if (silence > 0.0) blocks[n++] = {silence, 0.0, last.t + 0.5 * silence};

  // Only the regime since the latest lasting change of rate, weighted by age within it.
  const std::size_t first_block = regime_start(blocks.data(), n);
  const double regime = end - (blocks[first_block].mid - 0.5 * blocks[first_block].dt);
  const double memory = std::max(model_.min_memory, model_.memory_share * regime);
  // The weighted fit with blocks merged `group` at a time (from the newest backwards).
  struct scale_fit {
    double drift = 0.0;
    double diffusion = 0.0;
    double drift_share = 0.0;  // drift variance / diffusion
    double blocks = 0.0;       // effective number of merged blocks
  };
  // The merged blocks and their weights, newest first: computed once, read twice.
  struct weighted {
    double dt;
    double dx;
    double w;
  };
  std::array<weighted, capacity + 1> merged_blocks;
  const auto fit_scale = [&](std::size_t group) {
    std::size_t m = 0;
    for (std::size_t hi = n; hi > first_block;) {
      const std::size_t lo = hi - std::min(group, hi - first_block);
      block merged{0.0, 0.0, 0.0};
      for (std::size_t i = lo; i < hi; ++i) {
        merged.dt += blocks[i].dt;
        merged.dx += blocks[i].dx;
      }
      merged.mid = blocks[hi - 1].mid + 0.5 * blocks[hi - 1].dt - 0.5 * merged.dt;
      merged_blocks[m++] = {merged.dt, merged.dx, std::exp(-(end - merged.mid) / memory)};
      hi = lo;
    }
    double w_dt = 0.0;
    double w_dx = 0.0;
    double w2_dt = 0.0;
    double w_dt2 = 0.0;
    double w2_dt2 = 0.0;
    for (std::size_t j = 0; j < m; ++j) {
      const weighted& b = merged_blocks[j];
      const double w = b.w;
      w_dt += w * b.dt;
      w_dx += w * b.dx;
      w2_dt += w * w * b.dt;
      w_dt2 += w * b.dt * b.dt;
      w2_dt2 += w * w * b.dt * b.dt;
    }
    scale_fit f;
    f.drift = w_dx / w_dt;
    double q = 0.0;
    for (std::size_t j = 0; j < m; ++j) {
      const weighted& b = merged_blocks[j];
      const double e = b.dx - f.drift * b.dt;
      q += b.w * e * e;
    }
    // E[q] = sigma^2 * norm under the model, with the fitted drift taken into account.
    const double norm = w_dt - 2.0 * w2_dt2 / w_dt + w_dt2 * w2_dt / (w_dt * w_dt);
    f.diffusion = norm > 1e-6 * w_dt ? q / norm : 0.0;
    f.drift_share = w2_dt / (w_dt * w_dt);
    f.blocks = w_dt * w_dt / w2_dt2;
    return f;
  };

  const scale_fit base = fit_scale(1);
  // A rate beyond 1e150 per second (all of a uint64 in under 1e-130 s) is no rate: its square,
  // the scale of the noise, would overflow.
  if (!(base.drift > 0.0) || !(base.drift < 1e150)) return std::nullopt;
  // Noise correlated over longer than a block (bursts, periodic flushes) shows as a larger
  // variance per second at coarser scales; take the largest that enough blocks support.
  double diffusion = base.diffusion;
  for (std::size_t group = 2; group <= 4; group *= 2) {
    const scale_fit coarse = fit_scale(group);
    if (coarse.blocks < model_.min_coarse_blocks) break;
    diffusion = std::max(diffusion, coarse.diffusion);
  }
  // The noise is itself estimated from few blocks early on: widen as a Student t with
  // blocks - 1 degrees of freedom would (Cornish-Fisher: t_p ~ z (1 + (z^2 + 1) / 4 nu)).
  const double dof = std::max(base.blocks - 1.0, 0.0);
  const double nu = std::max(dof, 0.5);
  const double widen = 1.0 + (z_ * z_ + 1.0) / (4.0 * nu);
  diffusion *= widen * widen;
  // A floor far below any real noise keeps a perfectly steady copy well defined.
  diffusion = std::max(diffusion, 1e-12 * base.drift * base.drift * block_seconds);
  // While few blocks stand behind the noise, the prior's relative diffusion blended in logs
  // with the measured one; what the blend has beyond the measured noise, over the span seen, is
  // an uncertain factor on the rate. All relative to the rate, so no unit of amounts matters.
  double rate_log_variance = 0.0;
  if (dof < model_.prior_blocks) {
    const double measured = diffusion / base.drift / base.drift;  // seconds
    const double prior = model_.prior_diffusion;
    const double blended = prior * std::pow(measured / prior, dof / model_.prior_blocks);
    rate_log_variance = std::max(0.0, std::log1p(blended * base.drift_share) -
                                          std::log1p(measured * base.drift_share));
  }
  return fit{base.drift, diffusion, diffusion * base.drift_share, rate_log_variance};
}

COPYETA_INLINE std::optional<double> drift_diffusion::rate(double now) const noexcept {
  const auto f = fit_at(now);
  if (!f) return std::nullopt;
  return f->drift;
}

COPYETA_INLINE std::optional<estimator::forecast> drift_diffusion::predict(
    double now, double left) const noexcept {
  const auto f = fit_at(now);
  if (!f) return std::nullopt;
  return predict_from(*f, now, left);
}

COPYETA_INLINE estimator::outlook drift_diffusion::evaluate(double now,
                                                            double left) const noexcept {
  outlook o;
  const auto f = fit_at(now);
  if (!f) return o;
  o.rate = f->drift;
  if (left > 0.0) o.prediction = predict_from(*f, now, left);
  return o;
}

COPYETA_INLINE estimator::forecast drift_diffusion::predict_from(const fit& f, double now,
                                                                 double left) const noexcept {
  const detail::first_passage passage(left, f.drift, f.diffusion, f.drift_variance);
  forecast out{passage.quantile(p_mid_), passage.quantile(p_lo_), passage.quantile(p_hi_)};
  if (f.rate_log_variance > 0.0 && out.remaining > 0.0 && std::isfinite(out.remaining)) {
    // Each side of log T, in standard deviations, widened by the prior's log-normal rate factor.
    const double below = std::log(out.remaining / out.lo) / z_;
    const double above = std::log(out.hi / out.remaining) / z_;
    out.lo = out.remaining * std::exp(-z_ * std::sqrt(below * below + f.rate_log_variance));
    out.hi = out.remaining * std::exp(z_ * std::sqrt(above * above + f.rate_log_variance));
  }
  if (is_stalled(now)) out.hi += seconds_without_progress(now);
  return out;
}

}  // namespace copyeta::models
