// A 3-state Kalman filter: bytes, the current rate, and the long-run mean rate.
//
// Model. Over dt the rate reverts to the long-run mean m with time constant `tau`
// (Ornstein–Uhlenbeck), bytes integrate the rate exactly, and the mean is a slow random walk:
//   rate' = m + (rate - m) e^(-dt/tau)
//   bytes' = bytes + m dt + (rate - m) tau (1 - e^(-dt/tau))
// The process noise is the exact discretization of that continuous model for any dt, so samples
// 10 ms apart and samples minutes apart are treated alike. The forecast therefore blends the
// current rate (tqdm-like) for about `tau` seconds into the long-run mean (pv-like).
//
// Noise. Every noise level is learned from the run, relative to the run's average rate, so a
// 4 MB/s download and a 1 GB/s mirror share one set of defaults and scaling every amount by k
// scales only the rate. Neighbouring rates are compared at three scales (Allan variances):
//  - over about a sample gap: rate noise faster than the samples (white, integrated by bytes),
//  - over `block` seconds: the long-run diffusion; what it has beyond the white part is the
//    mean-reverting rate noise,
//  - over 4 blocks: what it has beyond the blocks is the random walk of the mean.
// The observation is `done`, with a measurement noise of `display_precision` relative to it
// (tools print 3-4 significant digits), plus the display's step q (variance q^2 / 12) once the
// data show one: a reading repeated while the copy moves (whole percents, 0.1 GiB) means the
// display is coarser than the progress per sample, and the finest change seen bounds its step.
// The rate statistics below have that step's noise taken out, so coarse readings are
// measurement noise, not rate changes.
//
// Robustness. An innovation beyond `huber_k` standard deviations is down-weighted (Huber) by
// scaling the innovation variance by |r| / k. The added variance goes to bytes (scaling only the
// measurement variance does little when it is small next to the state's), so the excess counts
// as a jump in bytes rather than a change of rate: a burst or a stale reading does not yank the
// rate. Jumped bytes still count at their average rate, each at most 5% of the bytes done before
// it: recurring bursts add up, while one catch-up is a one-off. A run of consecutive one-sided
// innovations whose CUSUM passes `shift_threshold` means the rate did change, and lastingly: the
// run's jumps are taken back as throughput, and the excess rate over the run is applied as a
// shift at the previous sample to the rate and, when the rate passes it, to the mean, each with
// the shift's size as its variance. So a start ramp or a change of regime moves the forecast
// within a few samples, and the new segment, not the old level, sets the mean; a rate coming
// back after a stall leaves the mean. A rate that stays away from the mean for several `tau`
// moves the mean the same way (inflate, never reset).
// Samples without progress, once recognized as a stall, bring the rate to zero but leave the
// mean, which is the rate while the copy moves; the forecast scales it by the share of time
// spent stalled, believed in proportion to how many stalls were seen (one may be a one-off).
//
// Forecast. The median is when the expected bytes path reaches the total. Since progress never
// goes back, P(done by h) = P(bytes(h) >= total); the gain in bytes is taken as log-normal with
// the expected path as its median and the variance propagated from the state covariance plus
// the noise accumulated over h, and lo and hi are where P(done by h) is (1 - level) / 2 and
// (1 + level) / 2. Silence beyond twice the usual gap between samples counts as no progress,
// and during a stall the upper end moves out by the stall's length so far.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/estimator.hpp>

#include <array>

namespace copyeta::models {

struct kalman_options {
  double tau = 10.0;                // seconds a deviation of the rate from the mean lasts
  double huber_k = 1.345;           // innovations beyond this many sd are down-weighted
  double display_precision = 1e-3;  // relative sd of `done` as tools print it
  double block = 10.0;              // seconds per block when learning the noise
  double prior_diffusion = 0.05;    // relative diffusion (seconds) until the data say more
  double mean_drift = 0.0;          // prior random walk of the mean, relative per sqrt(second)
  double shift_threshold = 3.0;     // CUSUM threshold for a lasting change of rate or mean

  void validate() const;  // throws options_error
};

class kalman final : public estimator {
 public:
  explicit kalman(const estimator_options& options = {}, const kalman_options& model = {});

  std::string_view name() const noexcept override { return "kalman"; }

  // The forecast's expected path: bytes gained in h seconds from a state with this rate and
  // long-run mean, m h + (rate - m) tau (1 - e^(-h/tau)).
  static double expected_gain(double rate, double mean, double tau, double h) noexcept;
  // The h at which expected_gain reaches `need` (> 0), for rate >= 0 and mean > 0: the median.
  static double time_to_gain(double need, double rate, double mean, double tau) noexcept;

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;
  std::optional<forecast> predict(double now, double left) const noexcept override;
  outlook evaluate(double now, double left) const noexcept override;

 private:
  // Mean and covariance (column-major 3x3) of [bytes, rate, long-run mean] at time t. Times are
  // seconds since the run's first sample and bytes count from its `done`, so shifting the time
  // origin or starting near 2^64 changes nothing. Plain arrays keep Eigen out of this header.
  struct filter {
    std::array<double, 3> x{};
    std::array<double, 9> p{};
    double t = 0.0;
  };

  // Rates over neighbouring spans of at least some length: the sum and count of
  // (rate_k - rate_k-1)^2 / (1/len_k + 1/len_k-1) / level^2, the relative diffusion at that scale.
  struct pair_variance {
    double start_t = 0.0;
    double start_y = 0.0;
    double prev_rate = 0.0;
    double prev_len = 0.0;
    double sum = 0.0;
    double n = 0.0;
    double max = 0.0;  // the largest statistic, which a robust mean leaves out
    // Events (shifts, stalls) counted before the previous and the current span began: a pair
    // across an event is left out, since the event is answered for on its own.
    unsigned prev_events = 0;
    unsigned start_events = 0;
  };

  struct noise {
    double white;  // bytes^2 / s: rate noise faster than the samples
    double rate;   // (bytes/s)^2 / s: the mean-reverting rate noise
    double mean;   // (bytes/s)^2 / s: the random walk of the mean
  };

  // A run of one-sided innovations (one side of the CUSUM): when it began and the jumps it
  // booked, which are taken back if the run turns out to be a change of rate.
  struct run {
    double start = 0.0;
    double jumps = 0.0;
    double credit = 0.0;
    double squares = 0.0;
  };

  void time_update(filter& f, double t, const noise& n) const noexcept;
  // Of a reading of `done`; `repeat` when it repeats the previous reading.
  double measurement_variance(double done, bool repeat) const noexcept;
  // The measurement update at last_t_; `before` is the filter at the previous sample.
  void measure(const filter& before, double y, double dt, bool progress,
               const noise& n) noexcept;
  // Closes the current span of `pv` once it is `min_len` long and adds its pair statistic,
  // at most `clip`, unless `events` changed across the pair.
  void advance(pair_variance& pv, double t, double y, double min_len, double clip,
               unsigned events, double display_noise) const noexcept;
  // The filter at `now`, silence counted as no progress; `n` is noise_levels(), which only
  // samples change.
  filter at(double now, const noise& n) const noexcept;
  // rate() and predict() from the filter at `now`.
  std::optional<double> rate_of(const filter& f) const noexcept;
  std::optional<forecast> predict_from(const filter& f, const noise& n, double now,
                                       double left) const noexcept;
  double level() const noexcept;         // the run's average rate, which scales every noise
  double jump_rate() const noexcept;     // bytes per second credited to jumps
  double fast_diffusion() const noexcept;
  double block_diffusion() const noexcept;
  // The mean's random walk relative to level()^2: only blocks change it (mean_noise_ keeps it).
  double relative_mean_noise() const noexcept;
  noise noise_levels() const noexcept;

  kalman_options model_;
  double z_;  // two-sided normal quantile of the level

  // The run. Times are relative to t0_, amounts to done0_.
  bool started_ = false;
  bool ready_ = false;   // the filter is initialized: a sample with progress since the first
  double t0_ = 0.0;
  amount done0_ = 0;
  double init_t_ = 0.0;  // when the filter was initialized
  double last_t_ = 0.0;
  double last_y_ = 0.0;
  amount last_done_ = 0;
  double gap_ = 0.0;     // usual gap between samples that moved `done`
  double last_progress_t_ = 0.0;
  filter f_;

  // Learning the noise at three scales.
  pair_variance samples_;
  pair_variance blocks_;
  pair_variance long_blocks_;
  double mean_noise_ = 0.0;  // relative_mean_noise(), again whenever a block pair is added

  // Bytes that arrived as jumps (the Huber excess): all of them, the part credited to the
  // expected rate, and the sum of squares that sets their variance.
  double jumps_ = 0.0;
  double jump_credit_ = 0.0;
  double jump_squares_ = 0.0;

  // CUSUMs of standardized innovations (rate changes) and of rate minus mean (mean shifts).
  double rate_up_ = 0.0;
  double rate_down_ = 0.0;
  double mean_up_ = 0.0;
  double mean_down_ = 0.0;
  run up_;
  run down_;
  unsigned shifts_ = 0;  // shifts of rate or mean in this run

  // The display: the finest change of `done` seen, which bounds its step once a repeated reading
  // while the copy moves has shown that the display is coarser than the progress per sample.
  double step_ = 0.0;
  bool repeated_ = false;
  bool repeat_pending_ = false;  // a reading without progress, not yet followed by progress

  // Stalls: recognized runs of samples without progress.
  bool stalled_ = false;
  unsigned stalls_ = 0;
  double stall_start_ = 0.0;
  double stall_time_ = 0.0;  // seconds in stalls that ended
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/kalman-inl.hpp>
#endif
