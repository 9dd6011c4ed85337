// robust_window: a rate fitted on increments in fixed time blocks, robust to outlier blocks,
// that restarts after a detected regime shift, with a log-normal interval from the blocks' own
// dispersion.
//
// Blocks. Each sample's increment is spread over [previous t, t] in proportion to time, so a
// sample may straddle blocks and irregular sampling needs no special case. Blocks start at
// `min_block` seconds and double (pairs merge) whenever the fixed array is full, or when
// samples are sparser than two blocks, so the array always covers the current segment with at
// most `capacity` blocks: O(1) amortised per sample, no allocation after construction. An
// estimate reads the segment's blocks once or twice: O(capacity).
//
// Rate. Bytes moved ÷ time over a span, never an average of per-sample speeds: the last
// `window` seconds (at least `min_window`, and `window_share` of the run) blended in log space
// with the whole segment since the last shift. The segment is the precise part for a steady
// copy; the window follows what the detector misses. Both spans drop outlier blocks (above
// `outlier_factor` times the rate of the others) when there are at most 1 in 20 of them and
// most blocks moved: a lone cache flush does not move the rate, regular fast blocks are no
// outliers. (A median of block rates would be robust too, but biased: it misses the bytes of
// rare fast seconds, and it is 0 when most blocks are pauses between bursts.)
//
// Stalls. A block without progress is time without progress, and so is silence longer than
// twice the usual gap between samples, so the rate falls while a stall lasts. Once progress
// resumes, a stall that stands out (samples showed no progress for as long as the stall rule
// of estimator_options asks, more than twice any earlier pause, in a segment that otherwise
// moved) is an event, not a rate: its time leaves the rate.
//
// Shifts. A two-sided Page–Hinkley test (detail/page_hinkley.hpp) runs on the log rates of
// blocks that moved and had a sample end in them, standardised by their robust spread
// (MAD·1.4826, pooled over time). On an alarm the change point is refined by the best split
// of the block log-rates near it and the segment restarts there: the window only uses blocks
// after it, and the rate leans on the whole-run rate until the new segment has
// `segment_blocks` blocks. shift() reports the latest change; its factor is the current
// segment's rate over the rate before.
//
// Interval. The log of the future mean rate over the horizon h (the median remaining time) has
// variance v/h, where v is the long-run variance of block rates per second: batch means over
// 1 to 8 blocks, each the larger of the robust log spread (MAD·1.4826) and the plain relative
// variance (which sees rare fast blocks that still move bytes), and the largest over the batch
// sizes, so correlated blocks (bursts, interpolated gaps) count at the scale where they average
// out. Added: the variance of the rate estimate itself over its spans, and the drift between
// the window and the segment beyond what noise explains, carried over the horizon. Quantiles at
// the options' level; during a stall the upper end moves out by the stall so far.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/page_hinkley.hpp>
#include <copyeta/estimator.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace copyeta::models {

struct robust_window_options {
  double min_window = 30.0;       // seconds
  double window_share = 0.25;     // of the run's elapsed time
  double recent_weight = 0.25;    // of the window's rate against the segment's (log space)
  double min_block = 1.0;         // seconds: the first block length; blocks only grow from it
  double outlier_factor = 10.0;   // a block this many times the others' rate is an outlier
  double shift_delta = 0.5;       // Page–Hinkley drift allowance, in robust sds of block log-rates
  double shift_threshold = 10.0;  // Page–Hinkley alarm threshold, same unit
  double segment_blocks = 8.0;    // a new segment leans on the run rate until it has this many
  double prior_spread = 0.3;      // log-sd of a 1-s rate assumed until there are enough blocks
  double min_spread = 0.01;       // the smallest log-sd: of the forecast, and of block log-rates
                                  // for the detector

  void validate() const;  // throws options_error
};

class robust_window final : public estimator {
 public:
  explicit robust_window(const estimator_options& options = {},
                         const robust_window_options& model = {});

  std::string_view name() const noexcept override { return "robust_window"; }

  const robust_window_options& model_options() const noexcept { return model_; }

  // Blocks in the fixed array: the segment is always covered by at most this many.
  static constexpr std::size_t capacity = 128;

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;
  std::optional<forecast> predict(double now, double left) const noexcept override;
  outlook evaluate(double now, double left) const noexcept override;
  std::optional<rate_shift> shift() const noexcept override;

 private:
  struct rates {
    double window;     // over the window
    double segment;    // since the segment began
    double run;        // since the run began
    double blended;    // what the forecast uses
    double window_seconds;
    double segment_seconds;
    double lean;       // weight of the run rate while a new segment is young
    double variance;   // long-run variance of log rates (see long_run_variance)
    double weight;     // of the window against the segment
  };
  std::optional<rates> rates_at(double now) const noexcept;
  forecast predict_from(const rates& r, double now, double left) const noexcept;
  // The rate above which a block of [first, last] is a lone outlier; infinity when none is.
  double outlier_limit(std::size_t first, std::size_t last) const noexcept;
  // Bytes ÷ seconds over blocks [first, closed_] plus `silence` seconds without progress,
  // without a lone outlier block. `seconds` receives the span's length.
  double span_rate(std::size_t first, double silence, double& seconds) const noexcept;
  // v: the variance of the log mean rate over h seconds is about v / h, from the blocks
  // [0, end). nullopt with few blocks.
  std::optional<double> long_run_variance(std::size_t end) const noexcept;
  // Computes variance_ again when `now` or when enough blocks are new since the last time.
  void refresh_variance(bool now) noexcept;
  // Where in [lo, hi] a split of blocks [0, closed_) best separates two mean log-rates;
  // `otherwise` when no split there has observed blocks on both sides.
  std::size_t best_split(std::size_t lo, std::size_t hi, std::size_t otherwise) const noexcept;

  // A block's length (the latest one's so far), and that without paused time.
  double block_span(std::size_t i) const noexcept;
  double block_seconds(std::size_t i) const noexcept;
  // Takes [from, to], a finished stall, out of the rate.
  void pause(double from, double to) noexcept;
  // A block the detector and the spread may use: it moved, and a sample ended inside it (a
  // block wholly inside one long increment only repeats that increment's average).
  bool observed(std::size_t i) const noexcept {
    return bytes_[i] > 0.0 && ended_[i] && block_seconds(i) > 0.0;
  }
  // Spreads an increment over [from, to] in proportion to time; the sample ends at `to`.
  void add_increment(double amount, double from, double to) noexcept;
  void close_block() noexcept;
  void merge() noexcept;
  void update_spread() noexcept;
  std::optional<detail::page_hinkley_alarm> feed(std::size_t i) noexcept;
  void replay() noexcept;
  void begin_segment(double since) noexcept;

  robust_window_options model_;
  double z_;  // two-sided normal quantile of the level

  // The run.
  bool started_ = false;
  double t0_ = 0.0;       // time of the run's first sample; times below are relative to it
  amount done0_ = 0;      // done at the run's first sample
  double tau_ = 0.0;      // time of the latest sample
  amount done_ = 0;       // done at the latest sample
  std::optional<amount> total_;
  std::uint64_t samples_ = 0;
  double progress_tau_ = 0.0;   // time of the latest sample that moved done
  double paused_total_ = 0.0;   // seconds of finished stalls in the run

  // The segment: block i covers [start_ + i·block_, start_ + (i+1)·block_). Blocks before
  // closed_ are complete; block closed_ is the one the latest sample is in. Unused ones hold 0.
  std::array<double, capacity> bytes_{};
  std::array<bool, capacity> ended_{};          // a sample ended inside the block
  std::array<double, capacity> paused_{};       // seconds of each block in a finished stall
  std::size_t closed_ = 0;
  double block_ = 1.0;
  double start_ = 0.0;
  double start_done_ = 0.0;  // amount moved in the run before start_

  // Shift detection.
  detail::page_hinkley detector_;
  double spread_ = 0.0;       // robust sd of block log-rates at this block length; 0 = unknown
  double reference_ = 0.0;    // median block log-rate, which the detector's input is centred on
  double prior_variance_;     // long-run variance assumed while a segment has few blocks
  double variance_;           // the segment's, or the prior; see long_run_variance
  std::size_t variance_blocks_ = 0;  // closed_ when variance_ was computed

  std::optional<rate_shift> shift_;
  double shift_old_rate_ = 0.0;  // the rate before the latest shift
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/robust_window-inl.hpp>
#endif
