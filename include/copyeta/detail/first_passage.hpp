// First passage time of Brownian motion with drift, with and without an uncertain drift.
//
// Progress modelled as X(t) = m t + sigma W(t) reaches a distance w > 0 at time T, which is
// inverse Gaussian with mean w/m and shape w^2/sigma^2 when m > 0. When the drift itself is only
// known as m ~ N(m_hat, s^2) (Peng & Tseng 2009; Si et al. 2013), T has the density
//   f(t) = w / sqrt(2 pi t^3 (sigma^2 + s^2 t)) exp(-(w - m t)^2 / (2 t (sigma^2 + s^2 t)))
// and, integrating the fixed-drift CDF over the drift in closed form, the CDF
//   F(t) = Phi(a) + exp(c) Phi(-b),   D = sqrt(t (sigma^2 + s^2 t)),
//   a = (m t - w) / D,   b = (t (m + 2 w s^2 / sigma^2) + w) / D,
//   c = 2 w m / sigma^2 + 2 w^2 s^2 / sigma^4.
// The term exp(c) is astronomically large for a fast copy (2 lambda/mu with lambda/mu ~ 1e9), but
// b^2/2 - a^2/2 = c exactly, so exp(c) Phi(-b) = phi(a) M(b) with Mills' ratio
// M(x) = Phi(-x)/phi(x): nothing is ever exponentiated beyond the final probability.
//
// Drifts <= 0 are not truncated: the closed form integrates over the whole normal, and a
// negative drift reaches w with probability exp(2 m w / sigma^2) only, so F is defective
// (F(inf) < 1). This header conditions on finishing: cdf() and quantile() are those of T given
// T < inf. Negative drifts then keep the weight exp(2 m w / sigma^2), which is negligible
// whenever the drift is known to be positive with any confidence. A known negative drift
// (s^2 = 0) is exact by symmetry. With s^2 > 0 the conditional values carry an absolute error
// of about 1e-16 |log P(T < inf)|, which only matters for a drift thousands of standard errors
// below zero; they stay finite there.
//
// Everything here is header-only and allocation-free; a quantile costs about four CDF
// evaluations on average (well under a microsecond).
#pragma once

#include <copyeta/detail/normal.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace copyeta::detail {

inline constexpr double log_sqrt_2pi = 0.918938533204672741780329736406;

// Mills' ratio Phi(-x) / phi(x), for x >= -25 (about 1/x for large x).
inline double mills_ratio(double x) noexcept {
  constexpr double sqrt_2pi = 2.50662827463100050242;
  if (x < 25.0) return sqrt_2pi * std::exp(0.5 * x * x) * 0.5 * std::erfc(x / std::sqrt(2.0));
  // Asymptotic series 1/x (1 - 1/x^2 + 3/x^4 - ...): the 12th term is below 1e-22 from 25 on.
  const double r = 1.0 / (x * x);
  double term = 1.0;
  double sum = 1.0;
  for (int k = 1; k <= 12; ++k) {
    term *= -static_cast<double>(2 * k - 1) * r;
    sum += term;
  }
  return sum / x;
}

// log Phi(x), with full relative precision in both tails (erfc underflows near x = -38).
inline double log_normal_cdf(double x) noexcept {
  if (x < -25.0) return -0.5 * x * x - log_sqrt_2pi + std::log(mills_ratio(-x));
  if (x < 0.0) return std::log(0.5 * std::erfc(-x / std::sqrt(2.0)));
  return std::log1p(-0.5 * std::erfc(x / std::sqrt(2.0)));
}

// log(exp(x) + exp(y)).
inline double log_add_exp(double x, double y) noexcept {
  const double hi = std::max(x, y);
  const double lo = std::min(x, y);
  if (hi == -std::numeric_limits<double>::infinity()) return hi;
  return hi + std::log1p(std::exp(lo - hi));
}

// What first_passage::quantile needs of p alone (its starting point and its target), for
// callers that ask for the same probabilities again and again.
struct passage_probability {
  explicit passage_probability(double probability) noexcept : p(probability) {
    if (p > 0.0 && p < 1.0) {
      z = normal_quantile(p);
      target = std::log(-std::log(p));
    }
  }
  double p;
  double z = 0.0;       // normal_quantile(p)
  double target = 0.0;  // log(-log p)
};

class first_passage {
 public:
  // distance w > 0, diffusion sigma^2 > 0, drift_variance s^2 >= 0, drift m finite (any sign).
  first_passage(double distance, double drift, double diffusion,
                double drift_variance = 0.0) noexcept
      : w_(distance), log_w_(std::log(distance)), m_(drift), v_(diffusion), s2_(drift_variance) {
    if (s2_ > 0.0) {
      const double s = std::sqrt(s2_);
      // t -> inf: a -> m/s, b -> m/s + 2 w s / sigma^2.
      log_finish_ = log_passage(m_ / s, m_ / s + 2.0 * w_ * s / v_);
      log_norm_ = log_finish_;
    } else if (m_ < 0.0) {
      // Given that it finishes, Brownian motion with drift -m passes w like the one with +m:
      // mirror, rather than divide by a probability that may underflow.
      log_finish_ = 2.0 * m_ * w_ / v_;
      m_ = -m_;
    }
  }

  // log P(T < inf): 0 for a positive known drift.
  double log_finish_probability() const noexcept { return log_finish_; }

  // log P(T <= t | T < inf).
  double log_cdf(double t) const noexcept { return std::min(0.0, log_cdf_all(t) - log_norm_); }
  double cdf(double t) const noexcept { return std::exp(log_cdf(t)); }

  // log of the density of T given T < inf.
  double log_pdf(double t) const noexcept { return log_pdf_all(t) - log_norm_; }

  // The p-quantile of T given T < inf: safeguarded Newton on log t, started from a normal
  // approximation of the rate w/T, at most 100 CDF evaluations. Returns 0 for p <= 0, and +inf
  // for p >= 1 or a quantile beyond 1e200 s.
  double quantile(double p) const noexcept { return quantile(passage_probability(p)); }
  double quantile(const passage_probability& probability) const noexcept {
    constexpr double inf = std::numeric_limits<double>::infinity();
    const double p = probability.p;
    if (!(p > 0.0)) return 0.0;
    if (!(p < 1.0)) return inf;
    // Newton on h(u) = log(-log F(e^u)) - log(-log p), which falls with u and is nearly linear
    // in both tails (log F ~ -c/t below, -log F ~ P(T > t) ~ c/t above with an uncertain
    // drift), so even p = 1e-12 or 1 - 1e-9 takes a few steps. Its slope is
    // t f(t) / (F(t) log F(t)). Every evaluation narrows a bracket [lo, hi]; a step leaving it
    // bisects once both ends are known, and steps are at most a factor e^8 in t until then.
    const double target = probability.target;
    // The start: w / T roughly normal around m with variance s^2 + m sigma^2 / w.
    const double z = probability.z;
    const double spread = std::sqrt(s2_ + std::abs(m_) * v_ / w_);
    const double rate = std::max(m_ - z * spread, 0.05 * std::max(std::abs(m_), spread));
    double u = std::log(w_ / rate);
    if (!std::isfinite(u)) u = std::log(w_ * w_ / v_);
    constexpr double u_min = -460.0;  // about 1e-200 s
    constexpr double u_max = 460.0;   // about 1e200 s
    u = std::clamp(u, u_min, u_max);

    double lo = u_min;
    double hi = u_max;
    bool have_lo = false;
    bool have_hi = false;
    bool newton = false;
    double last_h = std::numeric_limits<double>::infinity();
    double last_step = 0.0;
    for (int i = 0; i < 100; ++i) {
      const double t = std::exp(u);
      const double log_cdf_raw = log_cdf_all(t);
      const double log_cdf_u = std::min(0.0, log_cdf_raw - log_norm_);
      const double hu = std::log(-log_cdf_u) - target;
      if (hu == 0.0 || std::isnan(hu)) break;
      // A small Newton step that did not shrink h means h is down to its rounding noise (log F
      // is a difference of two logs when the drift may be negative).
      if (newton && std::abs(last_step) < 1e-7 && std::abs(hu) >= last_h) break;
      last_h = std::abs(hu);
      if (hu > 0.0) {
        lo = u;
        have_lo = true;
        if (u >= u_max) return inf;
      } else {
        hi = u;
        have_hi = true;
        if (u <= u_min) return 0.0;
      }
      const double tolerance = 1e-13 * std::max(1.0, std::abs(u));
      if (have_lo && have_hi && hi - lo < tolerance) break;
      const double slope = std::exp(u + log_pdf_all(t) - log_cdf_raw) / log_cdf_u;
      double step = -hu / slope;
      if (!std::isfinite(step)) step = hu > 0.0 ? 8.0 : -8.0;
      if (!(have_lo && have_hi)) step = std::clamp(step, -8.0, 8.0);
      if (std::abs(step) < tolerance) {
        u += step;
        break;
      }
      double next = u + step;
      newton = next > lo && next < hi;
      if (!newton) next = have_lo && have_hi ? 0.5 * (lo + hi) : (hu > 0.0 ? u_max : u_min);
      last_step = next - u;
      u = next;
    }
    return std::exp(u);
  }

 private:
  double scale(double t) const noexcept { return std::sqrt(t) * std::sqrt(v_ + s2_ * t); }

  // The closed-form density above (defective when the drift may be negative).
  double log_pdf_all(double t) const noexcept {
    if (!(t > 0.0)) return -std::numeric_limits<double>::infinity();
    const double a = (m_ * t - w_) / scale(t);
    return log_w_ - log_sqrt_2pi - 1.5 * std::log(t) - 0.5 * std::log(v_ + s2_ * t) -
           0.5 * a * a;
  }

  // log(Phi(a) + exp(c) Phi(-b)) with c = (b^2 - a^2) / 2.
  double log_passage(double a, double b) const noexcept {
    if (b >= 0.0) {
      // exp(c) Phi(-b) = phi(a) M(b); when a < 0 also Phi(a) = phi(a) M(-a).
      if (a < 0.0) return -0.5 * a * a - log_sqrt_2pi + std::log(mills_ratio(-a) + mills_ratio(b));
      return log_add_exp(log_normal_cdf(a), -0.5 * a * a - log_sqrt_2pi + std::log(mills_ratio(b)));
    }
    // b < 0 needs m + 2 w s^2 / sigma^2 < 0, so c < 0 and exp(c) cannot overflow.
    const double c = 2.0 * w_ * (m_ + w_ * s2_ / v_) / v_;
    return log_add_exp(log_normal_cdf(a), c + log_normal_cdf(-b));
  }

  // log P(T <= t), defective when the drift may be negative.
  double log_cdf_all(double t) const noexcept {
    if (!(t > 0.0)) return -std::numeric_limits<double>::infinity();
    if (std::isinf(t)) return log_norm_;
    const double d = scale(t);
    const double a = (m_ * t - w_) / d;
    const double b = (t * (m_ + 2.0 * w_ * s2_ / v_) + w_) / d;
    return std::min(log_passage(a, b), log_norm_);
  }

  double w_;
  double log_w_;
  double m_;
  double v_;
  double s2_;
  double log_finish_ = 0.0;
  double log_norm_ = 0.0;  // what the conditional functions divide by, in logs
};

}  // namespace copyeta::detail
