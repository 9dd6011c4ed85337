#pragma once

#include <copyeta/errors.hpp>
#include <copyeta/models/kalman.hpp>

#include <Eigen/Core>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace copyeta::models {

namespace kalman_detail {

using mat3 = Eigen::Matrix<double, 3, 3>;
using vec3 = Eigen::Vector3d;

// Integrals over s in [0, x] (x = dt / tau, e = e^-s) that the exact discretization of the OU
// rate and the random-walk mean is made of. Below x = 1 they are summed as series: the closed
// forms cancel catastrophically there (d is x^5 / 20 while its closed form's terms are ~ x).
struct ou_terms {
  double e1 = 0.0;  // 1 - e^-x
  double rm = 0.0;  // integral of (1 - e)            = x - (1 - e^-x)
  double h = 0.0;   // integral of (s - 1 + e)
  double a = 0.0;   // integral of (1 - e)^2
  double b = 0.0;   // integral of (1 - e) e
  double c = 0.0;   // integral of e^2
  double d = 0.0;   // integral of (s - 1 + e)^2
  double g = 0.0;   // integral of (s - 1 + e)(1 - e)
};

// From here on e^-x is below 2e-22: 1 - e^-x and 1 - e^-2x round to 1 (glibc's and fdlibm's
// expm1 return exactly -1 below -56 ln 2), and x e^-x is far below half an ulp of the sums it
// enters (about x^3 / 3 and x^2 / 2), so skipping the three calls gives the same bits. A
// forecast over hours asks for horizons of hundreds of tau some 25 times.
inline constexpr double ou_saturated = 50.0;

// The series of ou() below x = 1. Term n is (-1)^n c_n x^(n+1) / (n+1)! (x^n / n! for rm); 30
// terms reach double precision. From n = 5 on every sum's terms shrink by a factor of 0.75 or
// more per step, so once a term is below 2^-55 of its sum (less than half the spacing of
// doubles there) it and all later ones round away: a sum stopped there has the same bits as
// with all 30 terms, whenever the other sums stop. Without `with_mean` only rm and a are summed
// (all a time update needs while the mean has no noise), and d, g, h stay 0.
template <bool with_mean>
inline void ou_series(double x, ou_terms& o) noexcept {
  constexpr double negligible = 0x1p-55;
  const auto small = [](double term, double sum) {
    return std::abs(term) < negligible * std::abs(sum);
  };
  double tn = 0.5 * x * x;  // x^n / n!
  double p2 = 4.0;          // 2^n
  double sign = 1.0;        // (-1)^n
  for (int n = 2; n < 32; ++n) {
    const double dn = static_cast<double>(n);
    const double tn1 = tn * x / (dn + 1.0);
    const double rm = sign * tn;
    const double a = sign * (p2 - 2.0) * tn1;
    if constexpr (with_mean) {
      const double h = sign * tn1;
      const double g = sign * (2.0 + dn - p2) * tn1;
      const double d = sign * (p2 - 2.0 * dn - 2.0) * tn1;
      if (n >= 5 && small(rm, o.rm) && small(h, o.h) && small(a, o.a) && small(g, o.g) &&
          small(d, o.d))
        break;
      o.h += h;
      o.g += g;
      if (n >= 3) o.d += d;
    } else {
      if (n >= 5 && small(rm, o.rm) && small(a, o.a)) break;
    }
    o.rm += rm;
    o.a += a;
    tn = tn1;
    p2 *= 2.0;
    sign = -sign;
  }
}

// `with_mean` false leaves d, g and h at 0 below x = 1, where they cost the most: for callers
// that multiply them by a mean noise of 0.
inline ou_terms ou(double x, bool with_mean = true) noexcept {
  ou_terms o;
  const bool saturated = x >= ou_saturated;
  o.e1 = saturated ? 1.0 : -std::expm1(-x);
  o.c = saturated ? 0.5 : -0.5 * std::expm1(-2.0 * x);
  o.b = 0.5 * o.e1 * o.e1;
  if (x < 1.0) {
    if (with_mean)
      ou_series<true>(x, o);
    else
      ou_series<false>(x, o);
  } else {
    // Saturated, e^-x changes no bit (see ou_saturated); beyond x = 708 it would also take
    // libm's slow underflow path, which sets errno.
    const double ex = saturated ? 0.0 : std::exp(-x);
    o.rm = x - o.e1;
    o.h = 0.5 * x * x - o.rm;
    o.a = x - 2.0 * o.e1 + o.c;
    o.d = x * x * x / 3.0 - x * x + x - 2.0 * x * ex + o.c;
    o.g = 0.5 * x * x - x + o.e1 + x * ex - o.c;
  }
  return o;
}

// The measurement update of `done` (the first state) with innovation nu and innovation variance
// S, in Joseph form, which stays symmetric and positive for any gain. With keep_mean the mean's
// gain is zero: the sample informs bytes and rate only.
inline void correct(std::array<double, 3>& state, std::array<double, 9>& cov, double nu, double S,
                    bool keep_mean) noexcept {
  Eigen::Map<vec3> x(state.data());
  Eigen::Map<mat3> P(cov.data());
  vec3 gain = P.col(0) / S;
  if (keep_mean) gain(2) = 0.0;
  const double R = S - P(0, 0);
  mat3 A = mat3::Identity();
  A.col(0) -= gain;
  x += gain * nu;
  const mat3 next = A * P * A.transpose() + (R * gain) * gain.transpose();
  P = 0.5 * (next + next.transpose());
}

// Internal constants; the options are the knobs worth turning.
inline constexpr double prior_blocks = 4.0;     // weight of the fast estimate, in block pairs
inline constexpr double fast_prior = 2.0;       // weight of prior_diffusion, in sample pairs
inline constexpr double fast_clip = 9.0;        // a sample pair counts at most 9x the estimate
inline constexpr double long_blocks = 4.0;      // long blocks are this many blocks
inline constexpr double innovation_cap = 4.0;   // one innovation adds at most this to a CUSUM
inline constexpr double mean_cap = 3.0;         // nor one rate - mean, in OU spreads
inline constexpr double mean_allowance = 1.0;   // OU spreads of rate - mean the CUSUM ignores
inline constexpr double min_mean_share = 0.01;  // the mean never falls below 1% of the level
inline constexpr double min_ou_share = 0.05;    // of the diffusion, always mean-reverting
inline constexpr double jump_credit = 0.05;     // one jump adds to the rate <= 5% of done
inline constexpr double jump_spread = 0.2;      // and to the variance <= 20% of done
inline constexpr double stall_belief = 1.0;     // the stall share counts n / (n + this)
inline constexpr double min_diffusion = 0.1;    // learned diffusion >= this share of the prior

}  // namespace kalman_detail

COPYETA_INLINE void kalman_options::validate() const {
  const auto require = [](bool ok, const char* field, double value, const char* rule) {
    if (!ok)
      throw options_error(fmt::format("[copyeta.options] {} = {} must be {}", field, value, rule));
  };
  require(tau > 0.0 && std::isfinite(tau), "tau", tau, "a positive number of seconds");
  require(huber_k > 0.0 && std::isfinite(huber_k), "huber_k", huber_k, "positive");
  require(display_precision >= 0.0 && display_precision < 1.0, "display_precision",
          display_precision, "in [0, 1)");
  require(block > 0.0 && std::isfinite(block), "block", block, "a positive number of seconds");
  require(prior_diffusion > 0.0 && std::isfinite(prior_diffusion), "prior_diffusion",
          prior_diffusion, "positive");
  require(mean_drift >= 0.0 && std::isfinite(mean_drift), "mean_drift", mean_drift,
          "non-negative");
  require(shift_threshold > 0.0 && std::isfinite(shift_threshold), "shift_threshold",
          shift_threshold, "positive");
}

COPYETA_INLINE kalman::kalman(const estimator_options& options, const kalman_options& model)
    : estimator(options), model_(model), z_(confidence_level{options.level}.two_sided_z()) {
  model_.validate();
  mean_noise_ = relative_mean_noise();
}

COPYETA_INLINE void kalman::on_restart() noexcept {
  started_ = ready_ = stalled_ = false;
  t0_ = init_t_ = last_t_ = last_y_ = gap_ = last_progress_t_ = 0.0;
  done0_ = last_done_ = 0;
  f_ = filter{};
  samples_ = blocks_ = long_blocks_ = pair_variance{};
  jumps_ = jump_credit_ = jump_squares_ = 0.0;
  rate_up_ = rate_down_ = mean_up_ = mean_down_ = 0.0;
  up_ = down_ = run{};
  shifts_ = stalls_ = 0;
  mean_noise_ = relative_mean_noise();
  step_ = 0.0;
  repeated_ = repeat_pending_ = false;
  stall_start_ = stall_time_ = 0.0;
}

COPYETA_INLINE double kalman::level() const noexcept { return last_y_ / last_t_; }

COPYETA_INLINE double kalman::jump_rate() const noexcept { return jump_credit_ / last_t_; }

COPYETA_INLINE double kalman::fast_diffusion() const noexcept {
  using namespace kalman_detail;
  // The pair statistics have the display's noise taken out, so their mean may fall near zero
  // (or below) where the display's steps dominate: a floor keeps the filter moving.
  const double learned =
      (fast_prior * model_.prior_diffusion + samples_.sum) / (fast_prior + samples_.n);
  return std::max(learned, min_diffusion * model_.prior_diffusion);
}

COPYETA_INLINE double kalman::block_diffusion() const noexcept {
  using namespace kalman_detail;
  // Until blocks have been seen, the fast estimate stands in for them.
  const double fast = fast_diffusion();
  return std::max(fast, (prior_blocks * fast + blocks_.sum) / (prior_blocks + blocks_.n));
}

COPYETA_INLINE double kalman::relative_mean_noise() const noexcept {
  using namespace kalman_detail;
  // A random walk of the mean with intensity q adds q L^2 / 3 to the pair statistic at scale L:
  // what long blocks have beyond blocks, less twice its own noise, is that. Without the largest
  // long pair, because one stall or step is not a drift.
  double mean = model_.mean_drift * model_.mean_drift;
  if (long_blocks_.n >= 3.0 && blocks_.n >= 2.0) {
    const double long_n = long_blocks_.n - 1.0;
    const double long_mean = (long_blocks_.sum - long_blocks_.max) / long_n;
    const double short_mean = std::max(blocks_.sum / blocks_.n, 0.0);
    const double excess = long_mean - short_mean * (1.0 + 2.0 * std::sqrt(2.0 / long_n));
    const double l = model_.block;
    mean += 3.0 * std::max(excess, 0.0) / ((long_blocks * long_blocks - 1.0) * l * l);
  }
  return mean;
}

COPYETA_INLINE kalman::noise kalman::noise_levels() const noexcept {
  using namespace kalman_detail;
  const double rho = level();
  const double rho2 = rho * rho;
  const double total = block_diffusion();
  const double white = fast_diffusion();
  const double ou = std::max(total - white, min_ou_share * total);
  return {white * rho2, ou * rho2 / (model_.tau * model_.tau), mean_noise_ * rho2};
}

COPYETA_INLINE void kalman::time_update(filter& f, double t, const noise& n) const noexcept {
  using namespace kalman_detail;
  const double dt = t - f.t;
  if (!(dt > 0.0)) return;
  const double tau = model_.tau;
  // Without a random walk of the mean (the usual case), Q has no use for d, g and h: 0 times
  // any of them is the 0 they would add.
  const ou_terms o = ou(dt / tau, !(n.mean == 0.0));
  mat3 F;
  F << 1.0, tau * o.e1, tau * o.rm,  //
      0.0, 1.0 - o.e1, o.e1,         //
      0.0, 0.0, 1.0;
  // Q integrates the transition applied to the noise over the interval: OU rate noise reaches
  // bytes through tau (1 - e), the mean's through tau (s - 1 + e), the white part directly.
  const double t2 = tau * tau;
  const double t3 = t2 * tau;
  mat3 Q;
  Q(0, 0) = n.white * dt + n.rate * t3 * o.a + n.mean * t3 * o.d;
  Q(0, 1) = n.rate * t2 * o.b + n.mean * t2 * o.g;
  Q(0, 2) = n.mean * t2 * o.h;
  Q(1, 1) = n.rate * tau * o.c + n.mean * tau * o.a;
  Q(1, 2) = n.mean * tau * o.rm;
  Q(2, 2) = n.mean * dt;
  Q(1, 0) = Q(0, 1);
  Q(2, 0) = Q(0, 2);
  Q(2, 1) = Q(1, 2);
  Eigen::Map<vec3> x(f.x.data());
  Eigen::Map<mat3> P(f.p.data());
  x = F * x;
  const mat3 next = F * P * F.transpose() + Q;
  P = 0.5 * (next + next.transpose());
  f.t = t;
}

COPYETA_INLINE double kalman::measurement_variance(double done, bool repeat) const noexcept {
  // Tools print 3-4 significant digits (display_precision), or coarser steps (whole percents,
  // 0.1 GiB): a step q rounds with variance q^2 / 12. A repeated reading may itself be the
  // first sign of such a step, so it is read with the finest change seen as its step.
  const double precision = model_.display_precision * done;
  const double step = repeated_ || repeat ? step_ : 0.0;
  return precision * precision + step * step / 12.0;
}

COPYETA_INLINE void kalman::measure(const filter& before, double y, double dt, bool progress,
                                    const noise& n) noexcept {
  using namespace kalman_detail;
  Eigen::Map<mat3> P(f_.p.data());
  const double R = measurement_variance(static_cast<double>(last_done_), !progress);
  double S = P(0, 0) + R;
  double nu = y - f_.x[0];
  if (!(S > 0.0) || !std::isfinite(S) || !std::isfinite(nu)) return;
  const double r = nu / std::sqrt(S);
  const double k = model_.huber_k;
  const double capped = std::clamp(r, -innovation_cap, innovation_cap);
  // CUSUMs over runs of consecutive innovations beyond k on one side: one within k ends the run.
  // (Isolated outliers, even two in a few samples, are jumps; a change of rate keeps the
  // innovations on its side until the filter has followed.) A run begins with the interval that
  // first moves its CUSUM off zero.
  if (rate_up_ == 0.0) up_ = run{last_t_ - dt};
  if (rate_down_ == 0.0) down_ = run{last_t_ - dt};
  rate_up_ = capped > k ? rate_up_ + capped - k : 0.0;
  rate_down_ = -capped > k ? rate_down_ - capped - k : 0.0;

  if (progress && stalled_) {
    stall_time_ += std::max(0.0, last_t_ - dt - stall_start_);
    stalled_ = false;
  }
  if (stalled_) {
    // A recognized stall: no progress is what the rate is now, not an outlier.
    rate_down_ = 0.0;
  } else if ((rate_up_ > model_.shift_threshold || rate_down_ > model_.shift_threshold) &&
             dt > 0.0 && !progress) {
    // Samples without progress, persistently below the path: a stall. Widen the rate's variance
    // by the apparent change, so that the rate follows it down; the mean stays.
    const double change = nu / dt;
    P(1, 1) += change * change;
    S = P(0, 0) + R;
    rate_up_ = rate_down_ = 0.0;
    stalled_ = true;
    ++stalls_;
    stall_start_ = last_progress_t_;
  } else if ((rate_up_ > model_.shift_threshold || rate_down_ > model_.shift_threshold) &&
             dt > 0.0) {
    // A run of one-sided innovations while the copy moves: the rate changed, and it lasts, so
    // the level moved with it. The bytes it booked as jumps were throughput after all: they are
    // taken back and, with this innovation, give the change as the excess rate over the run.
    // The shift is put at the previous sample (the filter is predicted again from there), on
    // rate and mean together, with its own size as its uncertainty, so that the new segment's
    // samples, not the old level, set the mean from here on.
    const run& rn = rate_up_ > model_.shift_threshold ? up_ : down_;
    const double span = std::max(last_t_ - rn.start, dt);
    const double change = (nu + rn.jumps) / span;
    jumps_ -= rn.jumps;
    jump_credit_ -= rn.credit;
    jump_squares_ = std::max(0.0, jump_squares_ - rn.squares);
    // A rate that comes back towards the mean (after a stall, say) leaves the mean; one that
    // passes it takes the mean along to where it goes.
    f_ = before;
    const double floor = min_mean_share * level();
    const double to = std::max(f_.x[1] + change, 0.0);
    const double rate_change = to - f_.x[1];
    const double beyond = to - f_.x[2];
    const double mean_change = beyond * change > 0.0 ? beyond : 0.0;
    f_.x[1] = to;
    f_.x[2] = std::max(f_.x[2] + mean_change, floor);
    P(1, 1) += rate_change * rate_change;
    P(1, 2) += rate_change * mean_change;
    P(2, 1) += rate_change * mean_change;
    P(2, 2) += mean_change * mean_change;
    time_update(f_, last_t_, n);
    S = P(0, 0) + R;
    nu = y - f_.x[0];
    rate_up_ = rate_down_ = mean_up_ = mean_down_ = 0.0;
    up_ = down_ = run{last_t_};
    ++shifts_;
    if (!(S > 0.0) || !std::isfinite(S) || !std::isfinite(nu)) return;
  } else if (std::abs(r) > k) {
    // Huber: the innovation variance grows by |r| / k. The growth is put on bytes, so bytes
    // follow the sample while the rate moves only as much as k sd would move it; the excess is
    // a jump in bytes.
    const double inflate = (std::abs(r) / k - 1.0) * S;
    const double jump = nu - std::copysign(k * std::sqrt(S), nu);
    // Jumps that recur are throughput; one large jump (a catch-up, a skipped region) is mostly a
    // one-off, so each counts toward the rate at most jump_credit of the bytes done before it.
    const double done = std::max(f_.x[0], 0.0);
    const double credit = std::clamp(jump, -jump_credit * done, jump_credit * done);
    const double spread = std::clamp(jump, -jump_spread * done, jump_spread * done);
    jumps_ += jump;
    jump_credit_ += credit;
    jump_squares_ += spread * spread;
    run& rn = jump > 0.0 ? up_ : down_;
    rn.jumps += jump;
    rn.credit += credit;
    rn.squares += spread * spread;
    P(0, 0) += inflate;
    S += inflate;
  }
  correct(f_.x, f_.p, nu, S, stalled_);
  const double floor = min_mean_share * level();
  f_.x[2] = std::max(f_.x[2], floor);

  // The rate away from the mean by more than the OU spread for several tau: the mean moved.
  // Not before blocks have taught the spread, and not in a stall, which the rate answers for.
  if (progress && dt > 0.0 && blocks_.n >= 2.0) {
    const double tau = model_.tau;
    const double spread = std::sqrt(n.rate * tau / 2.0);
    const double change = f_.x[1] - f_.x[2];
    const double z = std::clamp(change / spread, -mean_cap, mean_cap);
    mean_up_ = std::max(0.0, mean_up_ + (z - mean_allowance) * dt / tau);
    mean_down_ = std::max(0.0, mean_down_ + (-z - mean_allowance) * dt / tau);
    if (mean_up_ > model_.shift_threshold || mean_down_ > model_.shift_threshold) {
      P(2, 2) += change * change;
      mean_up_ = mean_down_ = 0.0;
      ++shifts_;
    }
  }
}

COPYETA_INLINE void kalman::advance(pair_variance& pv, double t, double y, double min_len,
                                    double clip, unsigned events,
                                    double display_noise) const noexcept {
  const double len = t - pv.start_t;
  if (len < min_len || !(len > 0.0)) return;
  const double rate = (y - pv.start_y) / len;
  if (pv.prev_len > 0.0 && pv.prev_events == events) {
    const double rho = level();
    const double diff = rate - pv.prev_rate;
    // Less what readings off by `display_noise` (variance) at the three ends alone would give.
    const double a = 1.0 / len;
    const double b = 1.0 / pv.prev_len;
    const double display = display_noise * (a * a + b * b + (a + b) * (a + b));
    const double stat = (diff * diff - display) / (a + b) / (rho * rho);
    if (std::isfinite(stat)) {
      pv.sum += std::min(stat, clip);
      pv.n += 1.0;
      pv.max = std::max(pv.max, stat);
    }
  }
  pv.prev_rate = rate;
  pv.prev_len = len;
  pv.start_t = t;
  pv.start_y = y;
  pv.prev_events = pv.start_events;
  pv.start_events = events;
}

COPYETA_INLINE void kalman::on_sample(const sample& s) noexcept {
  using namespace kalman_detail;
  if (!started_) {
    started_ = true;
    t0_ = s.t;
    done0_ = s.done;
    last_done_ = s.done;
    return;
  }
  const double t = s.t - t0_;
  const double y = static_cast<double>(s.done - done0_);
  const bool progress = s.done > last_done_;
  if (progress) {
    // The finest change seen; a reading repeated while the copy moves shows the display's step.
    const double inc = static_cast<double>(s.done - last_done_);
    step_ = step_ == 0.0 ? inc : std::min(step_, inc);
    if (repeat_pending_) repeated_ = true;
    repeat_pending_ = false;
  } else {
    repeat_pending_ = true;
  }
  if (progress) {
    // Gaps between progress samples, smoothed over about five of them.
    const double g = t - last_progress_t_;
    gap_ = gap_ == 0.0 ? g : 0.8 * gap_ + 0.2 * g;
    last_progress_t_ = t;
  }
  last_done_ = s.done;

  if (!ready_) {
    const double r0 = y / t;
    if (!(y > 0.0 && t > 0.0 && std::isfinite(r0))) return;
    ready_ = true;
    init_t_ = last_t_ = t;
    last_y_ = y;
    f_.t = t;
    f_.x = {y, r0, r0};
    // Wide: one interval says little about the rate. But the rate is the mean plus a deviation
    // of the OU spread, so the two start as one unknown, not two.
    const double precision =
        std::sqrt(measurement_variance(static_cast<double>(last_done_), false));
    const double wide = r0 * r0;
    const double spread = noise_levels().rate * model_.tau / 2.0;
    f_.p = {precision * precision, 0.0, 0.0, 0.0, wide + spread, wide, 0.0, wide, wide};
    samples_.prev_rate = r0;
    samples_.prev_len = t;
    samples_.start_t = blocks_.start_t = long_blocks_.start_t = t;
    samples_.start_y = blocks_.start_y = long_blocks_.start_y = y;
    return;
  }

  const double dt = t - last_t_;
  last_t_ = t;
  last_y_ = y;
  // Rates over about a sample gap each (half the usual gap at least: much shorter spans are
  // mostly rounding), robustly: one pair counts at most fast_clip times the current estimate,
  // which leaves bursts to the blocks and the jumps.
  // Only the display's step, seen in the data, is taken out of the rate statistics; the
  // generic display_precision is a guess about tools, which exact readings would not bear out.
  const double display_noise = repeated_ ? step_ * step_ / 12.0 : 0.0;
  advance(samples_, t, y, 0.5 * gap_, fast_clip * fast_diffusion(), shifts_, display_noise);
  const filter before = f_;
  // The noise levels stay the same until the blocks advance, below.
  const noise n = noise_levels();
  time_update(f_, t, n);
  measure(before, y, dt, progress, n);
  // Blocks see bytes without the jumps, which are accounted for on their own; long blocks
  // leave out stalls too, which are not a drift either.
  constexpr double no_clip = std::numeric_limits<double>::infinity();
  const double pairs = blocks_.n + long_blocks_.n;
  advance(blocks_, t, y - jumps_, model_.block, no_clip, shifts_, display_noise);
  advance(long_blocks_, t, y - jumps_, long_blocks * model_.block, no_clip, shifts_ + stalls_,
          display_noise);
  if (blocks_.n + long_blocks_.n != pairs) mean_noise_ = relative_mean_noise();
}

COPYETA_INLINE kalman::filter kalman::at(double now, const noise& n) const noexcept {
  using namespace kalman_detail;
  filter f = f_;
  const double t = now - t0_;
  if (gap_ > 0.0 && t - last_t_ > 2.0 * gap_) {
    // No sample for over twice the usual gap: as if one had come a gap ago showing no progress.
    // Evidence, not an outlier, so a plain update; like a stall it leaves the mean alone.
    time_update(f, t - gap_, n);
    const double nu = last_y_ - f.x[0];
    const double S = f.p[0];
    if (S > 0.0 && std::isfinite(S) && nu < 0.0) correct(f.x, f.p, nu, S, true);
  }
  time_update(f, t, n);
  return f;
}

COPYETA_INLINE std::optional<double> kalman::rate(double now) const noexcept {
  if (!ready_) return std::nullopt;
  return rate_of(at(now, noise_levels()));
}

COPYETA_INLINE std::optional<double> kalman::rate_of(const filter& f) const noexcept {
  const double r = f.x[1] + jump_rate();
  if (!(r > 0.0) || !std::isfinite(r)) return std::nullopt;
  return r;
}

COPYETA_INLINE estimator::outlook kalman::evaluate(double now, double left) const noexcept {
  outlook o;
  if (!ready_) return o;
  const noise n = noise_levels();
  const filter f = at(now, n);
  o.rate = rate_of(f);
  if (left > 0.0) o.prediction = predict_from(f, n, now, left);
  return o;
}

COPYETA_INLINE double kalman::expected_gain(double rate, double mean, double tau,
                                           double h) noexcept {
  return mean * h - (rate - mean) * tau * std::expm1(-h / tau);
}

COPYETA_INLINE double kalman::time_to_gain(double need, double rate, double mean,
                                           double tau) noexcept {
  using namespace kalman_detail;
  // The gain rises monotonically (slope rate e^-x + mean (1 - e^-x) > 0) and is at least
  // mean (h - tau), which bounds the root. Newton, falling back to bisection.
  double lo = 0.0;
  double hi = tau + need / mean;
  double h = std::min(hi, need / std::max(rate, mean));
  for (int i = 0; i < 100; ++i) {
    const ou_terms o = ou(h / tau, false);  // e1 and rm only
    const double v = rate * tau * o.e1 + mean * tau * o.rm - need;
    if (v < 0.0)
      lo = h;
    else
      hi = h;
    const double slope = rate * (1.0 - o.e1) + mean * o.e1;
    double next = h - v / slope;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    const bool converged = std::abs(next - h) <= 1e-14 * h || hi - lo <= 1e-14 * hi;
    h = next;
    if (converged) break;
  }
  return h;
}

COPYETA_INLINE std::optional<estimator::forecast> kalman::predict(double now,
                                                                  double left) const noexcept {
  if (!ready_) return std::nullopt;
  const noise n = noise_levels();
  return predict_from(at(now, n), n, now, left);
}

COPYETA_INLINE std::optional<estimator::forecast> kalman::predict_from(
    const filter& f, const noise& n, double now, double left) const noexcept {
  using namespace kalman_detail;
  const double tau = model_.tau;
  const double t3 = tau * tau * tau;
  const double rho = level();

  // Bytes that came as jumps still count, at their (credited) average rate so far. Their number
  // is random: the sum of squared jumps per second is their diffusion, and over the time seen so
  // far also the uncertainty of their rate.
  const double jumped = jump_rate();
  const double jump_diffusion = jump_squares_ / last_t_;
  // The mean is the rate while the copy moves. Recognized stalls take their share of the time,
  // believed in proportion to how many were seen (one stall may be a one-off); the share's
  // uncertainty falls with their number.
  double stall_share = 0.0;
  double stall_var = 0.0;
  const double since_start = now - t0_ - init_t_;
  if (stalls_ > 0 && since_start > 0.0) {
    double stalled = stall_time_;
    if (stalled_) stalled += std::max(0.0, now - t0_ - stall_start_);
    const double seen = std::min(1.0, stalled / since_start);
    const double count = static_cast<double>(stalls_);
    stall_share = seen * count / (count + stall_belief);
    stall_var = seen * seen / (count + 1.0);
  }
  // Rates as the forecast uses them: never negative, and a mean that still moves.
  const double moving = std::max(f.x[2] + jumped, min_mean_share * rho);
  const double r = std::max(f.x[1] + jumped, 0.0);
  const double m = std::max(moving * (1.0 - stall_share), min_mean_share * rho);
  // Bytes still needed, counted from the filter's bytes (which may differ from the last sample
  // by its display precision).
  const double need = last_y_ + left - f.x[0];
  if (!(need > 0.0)) return forecast{0.0, 0.0, 0.0};
  const Eigen::Map<const mat3> P(f.p.data());

  // Expected bytes gained in h more seconds (expected_gain), and when that reaches the total.
  const auto gain = [&](const ou_terms& o) { return r * tau * o.e1 + m * tau * o.rm; };

  const double median = time_to_gain(need, r, m, tau);
  if (!(median > 0.0) || !std::isfinite(median)) return std::nullopt;

  // The gain is log-normal with the expected path as its median and the propagated variance:
  // the state's, projected, plus the noise accumulated over h. (A normal law would give a
  // negative mean rate a chance that keeps P(done) from ever reaching 0.5 + level / 2 once the
  // mean's random walk dominates; progress never goes back.)
  const auto standardized = [&](double horizon) {
    const ou_terms o = ou(horizon / tau, !(n.mean == 0.0));
    const vec3 a(1.0, tau * o.e1, tau * o.rm);
    const double var = a.dot(P * a) +
                       (n.white + jump_diffusion * (1.0 + horizon / last_t_)) * horizon +
                       n.rate * t3 * o.a + n.mean * t3 * o.d +
                       moving * moving * horizon * horizon * stall_var;
    const double g = gain(o);
    if (!(g > 0.0)) return -std::numeric_limits<double>::infinity();
    const double ratio = std::max(var, 0.0) / (g * g);
    const double spread2 = ratio < 1e300 ? std::log1p(ratio) : std::log(var) - 2.0 * std::log(g);
    return std::log(g / need) / std::sqrt(spread2);
  };

  // P(done by h) = P(bytes(h) >= total) = Phi(standardized(h)); lo and hi are where it is
  // (1 -+ level) / 2. Step from the median by factors of 2 until that is passed, then regula
  // falsi (Illinois) in log h.
  const auto solve = [&](double target, double direction) {
    double u0 = std::log(median);
    double f0 = -target;  // standardized(median) = 0
    double u1 = u0;
    double f1 = f0;
    bool bracketed = false;
    for (int i = 0; i < 64 && !bracketed; ++i) {
      u1 = u0 + direction * 0.6931471805599453;
      f1 = standardized(std::exp(u1)) - target;
      bracketed = direction > 0.0 ? f1 >= 0.0 : f1 <= 0.0;
      if (!bracketed) {
        u0 = u1;
        f0 = f1;
      }
    }
    if (!bracketed) return std::exp(u1);
    // Falls back to bisection where a side is infinite (a gain that underflowed to zero).
    const auto next = [&] {
      return !std::isfinite(f0) || !std::isfinite(f1) || f1 == f0
                 ? 0.5 * (u0 + u1)
                 : (u0 * f1 - u1 * f0) / (f1 - f0);
    };
    int side = 0;
    for (int i = 0; i < 60 && std::abs(u1 - u0) > 1e-12; ++i) {
      const double u = next();
      const double fu = standardized(std::exp(u)) - target;
      if ((fu < 0.0) == (f0 < 0.0)) {
        u0 = u;
        f0 = fu;
        if (side == -1) f1 /= 2.0;
        side = -1;
      } else {
        u1 = u;
        f1 = fu;
        if (side == 1) f0 /= 2.0;
        side = 1;
      }
    }
    return std::exp(next());
  };
  forecast out{median, solve(-z_, -1.0), solve(z_, 1.0)};
  if (is_stalled(now)) out.hi += seconds_without_progress(now);
  return out;
}

}  // namespace copyeta::models
