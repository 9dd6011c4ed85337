// The drift-diffusion model: progress as Brownian motion with drift, the finish as its first
// passage over the amount left.
//
// Increments are aggregated into blocks of at least `block_seconds` (and 1/`max_blocks` of the
// run), because sigma^2 measured from 1-second increments understates the uncertainty over
// minutes. Within the current regime, blocks are weighted by exp(-age / memory) with
// memory = max(`min_memory`, `memory_share` * regime length):
//  - drift m: the weighted rate sum w dx / sum w dt;
//  - diffusion sigma^2: the weighted quadratic variation sum w (dx - m dt)^2, divided by its
//    expectation over sigma^2 (about sum w dt, less what fitting m takes away). It is read at
//    1x, 2x and 4x the block length and the largest kept, so noise correlated over longer than
//    a block (bursts) still counts; and it is widened as a Student t would be while few blocks
//    stand behind it;
//  - drift uncertainty s^2 = sigma^2 sum w^2 dt / (sum w dt)^2 (sigma^2 / T for equal weights),
//    which dominates early on and keeps the interval honest while little has been observed.
// While fewer than `prior_blocks` + 1 blocks stand behind the fit, the noise is barely measured
// (not at all from a single block), so a prior says how far the rate seen over a short span may
// be from the copy's drift: a relative diffusion `prior_diffusion` (seconds), blended in logs
// with the measured one, sigma_b^2 / m^2 = prior (sigma^2 / (m^2 prior))^a with
// a = (blocks - 1) / `prior_blocks`. Measured noise spans orders of magnitude between copies,
// and a geometric blend lets a steady copy narrow after a few blocks while a noisy one keeps
// its width. What the blend has beyond the measured noise is an uncertain factor on the rate,
// log-normal (a rate is positive) with variance log(1 + sigma_b^2 S / m^2) - log(1 + sigma^2 S /
// m^2), S = sum w^2 dt / (sum w dt)^2 (about 1/T): it widens the interval and never narrows it,
// and leaves the median where the measured process puts it (the rate seen, at first). So an
// estimate is available as soon as there is a rate (two samples with progress between them), at
// first exp(-+z sqrt(log(1 + prior_diffusion / T))) times the rate seen over T seconds.
//
// A regime starts at the split of the run where the rates before and after differ by more than
// `change_z` standard errors (at least `min_regime` seconds of progress after it; up to three
// nested splits), so a lasting change of rate is followed within seconds rather than a memory.
//
// Remaining time: the first passage time over the amount left, with the drift uncertainty
// integrated in closed form (detail/first_passage.hpp); the median and the (1 -+ level)/2
// quantiles. The prior's rate factor widens each side of log T: its half-width from the median,
// z sd, becomes z sqrt(sd^2 + v) for the factor's log-variance v (exact when either is 0).
// Silence beyond twice the mean spacing between samples counts as no progress, and during a
// stall the upper end moves out by the length of the stall so far.
//
// Fixed-size state (a thinned history of the run), no allocation, and unchanged by shifting the
// time origin or scaling all amounts (m scales by k, sigma^2 by k^2). An estimate costs a few
// microseconds.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/first_passage.hpp>
#include <copyeta/detail/history.hpp>
#include <copyeta/estimator.hpp>

#include <cstddef>
#include <optional>

namespace copyeta::models {

struct drift_diffusion_options {
  double block_seconds = 5.0;  // shortest block increments are aggregated into
  double max_blocks = 32.0;    // blocks grow to elapsed / max_blocks on long runs
  double min_memory = 60.0;    // seconds: the forgetting time constant is at least this
  double memory_share = 1.0;   // ... and at least this share of the regime's elapsed time
  double change_z = 5.0;       // a rate change this many standard errors starts a new regime
  double min_regime = 20.0;    // seconds: the shortest regime a change can start
  double min_coarse_blocks = 8.0;  // blocks needed to read the noise at 2x and 4x block length
  double prior_diffusion = 1.0;    // seconds: the relative diffusion sigma^2 / m^2 the rate's
                                   // uncertainty assumes until the blocks say more
  double prior_blocks = 4.0;       // degrees of freedom (blocks - 1) by which the prior is gone

  void validate() const;  // throws options_error
};

class drift_diffusion final : public estimator {
 public:
  explicit drift_diffusion(const estimator_options& options = {},
                           const drift_diffusion_options& model = {});

  std::string_view name() const noexcept override { return "drift_diffusion"; }

  // The process fitted at `now`, for diagnostics: drift (amount per second), diffusion
  // (amount^2 per second, as forecast with: the largest scale, widened for few blocks), the
  // variance of the drift, and the variance of the log of the prior's rate factor (0 once
  // `prior_blocks` + 1 blocks stand behind the fit). nullopt while warming up (no progress yet).
  struct fit {
    double drift = 0.0;
    double diffusion = 0.0;
    double drift_variance = 0.0;
    double rate_log_variance = 0.0;
  };
  std::optional<fit> fit_at(double now) const noexcept;

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;
  std::optional<forecast> predict(double now, double left) const noexcept override;
  outlook evaluate(double now, double left) const noexcept override;

 private:
  forecast predict_from(const fit& f, double now, double left) const noexcept;
  static constexpr std::size_t capacity = 512;  // history points
  struct block {
    double dt;   // seconds
    double dx;   // amount
    double mid;  // time of the block's middle
  };
  // The first of `n` blocks since the latest lasting change of rate.
  std::size_t regime_start(const block* blocks, std::size_t n) const noexcept;

  drift_diffusion_options model_;
  detail::passage_probability p_lo_;   // (1 - level) / 2
  detail::passage_probability p_mid_;  // 0.5
  detail::passage_probability p_hi_;   // (1 + level) / 2
  double z_;                           // the normal quantile of p_hi_
  detail::history<capacity> history_;
  std::size_t samples_ = 0;  // accepted samples in this run
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/drift_diffusion-inl.hpp>
#endif
