#pragma once

#include <copyeta/errors.hpp>
#include <copyeta/models/robust_window.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace copyeta::models {

namespace robust_window_detail {

// Fewer blocks than this give no outlier and no long-run variance of their own; twice this
// many observed blocks are needed for the spread that standardises the detector's input.
inline constexpr std::size_t min_blocks = 8;
// Block rates below this share of the mean count as this share in log space (blocks without
// progress), so a pause is a large deviation rather than minus infinity.
inline constexpr double log_floor_share = 0.05;
// Weight of the squared window/segment disagreement in the forecast's log-variance.
inline constexpr double disagreement_weight = 0.25;
// A rate never falls below this share of the broader one it is blended with: a stall lowers
// the rate a hundredfold at most, and log() never sees 0.
inline constexpr double rate_floor_share = 0.01;
// After an alarm the change point is refined this many blocks either side of the detector's.
inline constexpr std::size_t split_reach = 8;

// Robust sd (MAD·1.4826) of values[0, n); reorders them.
inline double robust_sd(double* values, std::size_t n) noexcept {
  const auto mid = static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(values, values + mid, values + n);
  const double median = values[mid];
  for (std::size_t i = 0; i < n; ++i) values[i] = std::abs(values[i] - median);
  std::nth_element(values, values + mid, values + n);
  return 1.4826 * values[mid];
}

}  // namespace robust_window_detail

COPYETA_INLINE void robust_window_options::validate() const {
  const auto require = [](bool ok, const char* field, double value, const char* rule) {
    if (!ok)
      throw options_error(fmt::format("[copyeta.options] {} = {} must be {}", field, value, rule));
  };
  const auto positive = [](double v) { return v > 0.0 && std::isfinite(v); };
  require(positive(min_window), "min_window", min_window, "positive");
  require(window_share > 0.0 && window_share <= 1.0, "window_share", window_share, "in (0, 1]");
  require(recent_weight >= 0.0 && recent_weight <= 1.0, "recent_weight", recent_weight,
          "in [0, 1]");
  require(positive(min_block), "min_block", min_block, "positive");
  require(outlier_factor > 1.0 && !std::isnan(outlier_factor), "outlier_factor", outlier_factor,
          "greater than 1");
  require(shift_delta >= 0.0 && shift_delta < 3.0, "shift_delta", shift_delta, "in [0, 3)");
  require(positive(shift_threshold), "shift_threshold", shift_threshold, "positive");
  require(segment_blocks >= 1.0 && std::isfinite(segment_blocks), "segment_blocks",
          segment_blocks, "at least 1");
  require(positive(prior_spread), "prior_spread", prior_spread, "positive");
  require(positive(min_spread), "min_spread", min_spread, "positive");
}

COPYETA_INLINE robust_window::robust_window(const estimator_options& options,
                                            const robust_window_options& model)
    : estimator(options),
      model_((model.validate(), model)),
      z_(confidence_level{options.level}.two_sided_z()),
      block_(model.min_block),
      // Deviations are clipped at 3 sds: an outlier block adds at most 3 - delta.
      detector_(detail::page_hinkley_options{model.shift_delta, model.shift_threshold, 3.0}),
      prior_variance_(model.prior_spread * model.prior_spread),
      variance_(prior_variance_) {}

COPYETA_INLINE void robust_window::on_restart() noexcept {
  started_ = false;
  t0_ = tau_ = 0.0;
  done0_ = done_ = 0;
  total_.reset();
  samples_ = 0;
  bytes_.fill(0.0);
  ended_.fill(false);
  paused_.fill(0.0);
  paused_total_ = progress_tau_ = 0.0;
  closed_ = 0;
  block_ = model_.min_block;
  start_ = start_done_ = 0.0;
  detector_.reset();
  spread_ = 0.0;
  reference_ = 0.0;
  prior_variance_ = variance_ = model_.prior_spread * model_.prior_spread;
  variance_blocks_ = 0;
  shift_.reset();
  shift_old_rate_ = 0.0;
}

COPYETA_INLINE void robust_window::on_sample(const sample& s) noexcept {
  if (!started_) {
    started_ = true;
    t0_ = s.t;
    done0_ = done_ = s.done;
    tau_ = 0.0;
    total_ = s.total;
    samples_ = 1;
    return;
  }
  // Times relative to the run's first sample: a shift of the origin changes nothing.
  const double tau = s.t - t0_;
  if (s.done > done_) {
    // Samples showed no progress from the last one that did until the previous one: a stall
    // if that lasted as long as the stall rule asks. Once it is over it is an event, not a
    // rate, and leaves the rate (while it lasts it counts, so the rate falls).
    const double spacing = samples_ > 1 ? tau_ / static_cast<double>(samples_ - 1) : 0.0;
    const double rule = std::max(options().stall_after, options().stall_gaps * spacing);
    if (tau_ - progress_tau_ >= rule) pause(progress_tau_, tau_);
    progress_tau_ = tau;
  }
  ++samples_;
  // Differences in integers first: amounts near 2^64 lose their low digits as doubles.
  add_increment(static_cast<double>(s.done - done_), tau_, tau);
  tau_ = tau;
  done_ = s.done;
  total_ = s.total;
}

COPYETA_INLINE double robust_window::block_span(std::size_t i) const noexcept {
  if (i < closed_) return block_;
  return std::max(0.0, tau_ - (start_ + static_cast<double>(closed_) * block_));
}

COPYETA_INLINE double robust_window::block_seconds(std::size_t i) const noexcept {
  return std::max(0.0, block_span(i) - paused_[i]);
}

COPYETA_INLINE void robust_window::pause(double from, double to) noexcept {
  from = std::max(from, start_);
  if (!(to > from)) return;
  // Only when it stands out: in a segment whose blocks mostly moved (earlier stalls count as not
  // moving), and more than twice as long as any earlier pause. Where pauses are the pattern,
  // as in bursts, they are part of the rate.
  const auto first = static_cast<std::size_t>((from - start_) / block_);
  const std::size_t before = std::min(first, closed_);
  std::size_t moved = 0;
  std::size_t run = 0;
  std::size_t longest = 0;
  for (std::size_t i = 0; i < before; ++i) {
    const bool moving = bytes_[i] > 0.0;
    moved += moving ? 1 : 0;
    run = moving ? 0 : run + 1;
    longest = std::max(longest, run);
  }
  if (before < 2 * robust_window_detail::min_blocks || 4 * moved < 3 * before ||
      to - from <= 2.0 * static_cast<double>(longest) * block_)
    return;
  for (std::size_t i = first; i <= closed_; ++i) {
    const double a = std::max(from, start_ + static_cast<double>(i) * block_);
    const double b = std::min(to, start_ + static_cast<double>(i + 1) * block_);
    if (b > a) paused_[i] += b - a;
  }
  paused_total_ += to - from;
  // The blocks' rates changed: measure again.
  update_spread();
  refresh_variance(true);
}

COPYETA_INLINE void robust_window::add_increment(double amount, double from, double to) noexcept {
  // Make room first, so a long gap is split into a few coarse blocks rather than many fine ones.
  while ((to - start_) / block_ >= static_cast<double>(capacity) - 1.0) merge();
  double at = from;
  double left = amount;
  bool ended = false;
  for (;;) {
    const double end = start_ + static_cast<double>(closed_ + 1) * block_;
    if (to < end) break;
    const double part =
        to > from ? std::min(left, amount * ((end - at) / (to - from))) : 0.0;
    bytes_[closed_] += part;
    left -= part;
    at = end;
    if (to == end) {  // the sample ends on this block's edge
      ended_[closed_] = true;
      ended = true;
    }
    if (closed_ + 1 >= capacity) merge();  // rounding at the edge; normally made room above
    close_block();
  }
  bytes_[closed_] += left;
  if (!ended) ended_[closed_] = true;
}

COPYETA_INLINE void robust_window::close_block() noexcept {
  ++closed_;
  if (const auto alarm = feed(closed_ - 1)) {
    begin_segment(alarm->since);
    return;
  }
  // The spread is measured again each time the segment's blocks double in number: O(1)
  // amortised, and a fixed spread between times keeps the detector's input on one scale.
  if (closed_ >= 2 * robust_window_detail::min_blocks && (closed_ & (closed_ - 1)) == 0)
    update_spread();
  refresh_variance(false);
  // Blocks much shorter than the gap between samples would mostly hold interpolations.
  const double spacing = tau_ / static_cast<double>(samples_ - 1);
  if (samples_ >= robust_window_detail::min_blocks && spacing > 2.0 * block_ &&
      closed_ % 2 == 0)
    merge();
}

COPYETA_INLINE void robust_window::merge() noexcept {
  const std::size_t used = closed_ + 1;
  for (std::size_t j = 0; 2 * j < used; ++j) {
    const bool pair = 2 * j + 1 < used;
    bytes_[j] = bytes_[2 * j] + (pair ? bytes_[2 * j + 1] : 0.0);
    ended_[j] = ended_[2 * j] || (pair && ended_[2 * j + 1]);
    paused_[j] = paused_[2 * j] + (pair ? paused_[2 * j + 1] : 0.0);
  }
  for (std::size_t j = (used + 1) / 2; j < used; ++j) {
    bytes_[j] = paused_[j] = 0.0;
    ended_[j] = false;
  }
  closed_ /= 2;
  block_ *= 2.0;
  // Blocks twice as long average twice the time: their log-rate spread is about √2 smaller.
  spread_ /= std::sqrt(2.0);
  update_spread();
  refresh_variance(true);
}

COPYETA_INLINE void robust_window::update_spread() noexcept {
  std::array<double, capacity> logs;  // only the first n are read
  std::size_t n = 0;
  for (std::size_t i = 0; i < closed_; ++i)
    if (observed(i)) logs[n++] = std::log(bytes_[i] / block_seconds(i));
  if (n < 2 * robust_window_detail::min_blocks) {
    if (spread_ > 0.0) replay();  // keep the detector on the current blocks
    return;
  }
  const auto mid = logs.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(logs.begin(), mid, logs.begin() + static_cast<std::ptrdiff_t>(n));
  reference_ = *mid;
  // A MAD from a few dozen blocks is often off by a third; one too low makes false alarms. It
  // is pooled with the spread so far (or the prior) as if that came from 2·min_blocks blocks.
  const double measured = robust_window_detail::robust_sd(logs.data(), n);
  const double before = spread_ > 0.0 ? spread_ : model_.prior_spread / std::sqrt(block_);
  const double weight = static_cast<double>(2 * robust_window_detail::min_blocks);
  const double pooled = std::sqrt((static_cast<double>(n) * measured * measured +
                                   weight * before * before) /
                                  (static_cast<double>(n) + weight));
  spread_ = std::max(pooled, model_.min_spread);
  // The detector sees the whole segment again on the new scale, so its input never jumps.
  replay();
}

COPYETA_INLINE std::optional<detail::page_hinkley_alarm> robust_window::feed(
    std::size_t i) noexcept {
  // Blocks without progress are stalls or pauses between bursts, not a new rate: the rate
  // counts them, the detector does not.
  if (spread_ == 0.0 || !observed(i)) return std::nullopt;
  const double log_rate = std::log(bytes_[i] / block_seconds(i));
  if (!std::isfinite(log_rate)) return std::nullopt;
  const double end = start_ + static_cast<double>(i + 1) * block_;
  return detector_.update((log_rate - reference_) / spread_, end);
}

COPYETA_INLINE void robust_window::replay() noexcept {
  detector_.reset(start_);
  // An alarm while replaying stays pending in the detector and is acted on at the next block.
  for (std::size_t i = 0; i < closed_; ++i) (void)feed(i);
}

COPYETA_INLINE std::size_t robust_window::best_split(std::size_t lo, std::size_t hi,
                                                     std::size_t otherwise) const noexcept {
  // Prefix sums of observed log-rates; the split k maximises k'(n-k')/n · (mean left - mean
  // right)², the likelihood ratio of one shift in a mean.
  std::array<double, capacity + 1> sum{};
  std::array<double, capacity + 1> count{};
  for (std::size_t i = 0; i < closed_; ++i) {
    const bool use = observed(i);
    sum[i + 1] = sum[i] + (use ? std::log(bytes_[i] / block_seconds(i)) : 0.0);
    count[i + 1] = count[i] + (use ? 1.0 : 0.0);
  }
  const double n = count[closed_];
  std::size_t best = otherwise;
  double best_score = -1.0;
  for (std::size_t k = lo; k <= hi && k < closed_; ++k) {
    const double left = count[k];
    const double right = n - left;
    if (left < 1.0 || right < 1.0) continue;
    const double gap = sum[k] / left - (sum[closed_] - sum[k]) / right;
    const double score = left * right / n * gap * gap;
    if (score > best_score) {
      best_score = score;
      best = k;
    }
  }
  return best;
}

COPYETA_INLINE void robust_window::begin_segment(double since) noexcept {
  using robust_window_detail::split_reach;
  // The detector's change point (where its cumulative sum turned) is refined by the best
  // single split near it; the new segment starts at the first block wholly after the change,
  // so old-rate bytes do not leak into it.
  const double position = std::ceil((since - start_) / block_ - 1e-9);
  const std::size_t k0 =
      std::min(closed_, static_cast<std::size_t>(std::max(0.0, position)));
  const std::size_t k = best_split(k0 > split_reach ? k0 - split_reach : 1,
                                  std::min(closed_, k0 + split_reach), k0);
  if (k == 0 || k > closed_) {
    replay();
    return;
  }
  double old_bytes = 0.0;
  double old_seconds = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    old_bytes += bytes_[i];
    old_seconds += block_seconds(i);
  }
  if (const auto v = long_run_variance(k)) prior_variance_ = *v;
  // A segment cut short again before it had enough blocks held a refinement of the same
  // change (a block straddling it, an early guess): the rate before stays the older one.
  if ((!shift_ || static_cast<double>(k) >= model_.segment_blocks) && old_seconds > 0.0)
    shift_old_rate_ = old_bytes / old_seconds;

  rate_shift found;
  found.t = t0_ + start_ + static_cast<double>(k) * block_;
  const double done_then = static_cast<double>(done0_) + start_done_ + old_bytes;
  found.fraction =
      total_ && *total_ > 0 ? std::min(1.0, done_then / static_cast<double>(*total_)) : 0.0;
  shift_ = found;

  // Keep the blocks after the change as the new segment.
  const std::size_t used = closed_ + 1;
  for (std::size_t i = k; i < used; ++i) {
    bytes_[i - k] = bytes_[i];
    ended_[i - k] = ended_[i];
    paused_[i - k] = paused_[i];
  }
  for (std::size_t i = used - k; i < used; ++i) {
    bytes_[i] = paused_[i] = 0.0;
    ended_[i] = false;
  }
  closed_ -= k;
  start_ += static_cast<double>(k) * block_;
  start_done_ += old_bytes;
  // The new segment's own spread once it has enough blocks; the old one until then.
  update_spread();
  replay();
  refresh_variance(true);
}

COPYETA_INLINE double robust_window::outlier_limit(std::size_t first,
                                                   std::size_t last) const noexcept {
  constexpr double none = std::numeric_limits<double>::infinity();
  struct block {
    double rate;
    double seconds;
  };
  std::array<block, capacity> blocks;  // only the first n are read
  std::size_t n = 0;
  std::size_t moved = 0;
  double bytes = 0.0;
  double seconds = 0.0;
  for (std::size_t i = first; i <= last; ++i) {
    const double t = block_seconds(i);
    if (!(t > 0.0)) continue;
    blocks[n++] = {bytes_[i] / t, t};
    moved += bytes_[i] > 0.0 ? 1 : 0;
    bytes += bytes_[i];
    seconds += t;
  }
  // An outlier needs a crowd to stand out from: enough blocks, most of them moving.
  const std::size_t allowed = std::max<std::size_t>(1, n / 20);
  if (n < robust_window_detail::min_blocks || 2 * (moved - std::min(moved, allowed)) < n)
    return none;

  // The others' rate: without the `allowed` fastest blocks.
  const auto end = blocks.begin() + static_cast<std::ptrdiff_t>(n);
  std::nth_element(blocks.begin(), blocks.begin() + static_cast<std::ptrdiff_t>(allowed - 1),
                   end, [](const block& a, const block& b) { return a.rate > b.rate; });
  double other_bytes = bytes;
  double other_seconds = seconds;
  for (std::size_t j = 0; j < allowed; ++j) {
    other_bytes -= blocks[j].rate * blocks[j].seconds;
    other_seconds -= blocks[j].seconds;
  }
  if (!(other_seconds > 0.0) || !(other_bytes > 0.0)) return none;
  const double limit = model_.outlier_factor * other_bytes / other_seconds;
  // More blocks that fast than a rare outlier would make are a pattern, not outliers.
  const auto over = static_cast<std::size_t>(
      std::count_if(blocks.begin(), end, [limit](const block& b) { return b.rate > limit; }));
  return over >= 1 && over <= allowed ? limit : none;
}

COPYETA_INLINE double robust_window::span_rate(std::size_t first, double silence,
                                               double& seconds) const noexcept {
  const double limit = outlier_limit(first, closed_);
  double bytes = 0.0;
  seconds = silence;
  for (std::size_t i = first; i <= closed_; ++i) {
    const double t = block_seconds(i);
    if (t > 0.0 && bytes_[i] / t > limit) continue;
    bytes += bytes_[i];
    seconds += t;
  }
  return seconds > 0.0 ? bytes / seconds : 0.0;
}

COPYETA_INLINE std::optional<robust_window::rates> robust_window::rates_at(
    double now) const noexcept {
  if (!started_ || done_ == done0_ || !(tau_ > 0.0)) return std::nullopt;
  using robust_window_detail::rate_floor_share;
  // Silence beyond twice the mean spacing between samples counts as no progress.
  const double spacing = tau_ / static_cast<double>(samples_ - 1);
  const double silence = std::max(0.0, (now - t0_) - tau_ - 2.0 * spacing);
  const double elapsed = tau_ + silence;

  rates r{};
  r.run = static_cast<double>(done_ - done0_) / std::max(0.0, elapsed - paused_total_);
  if (!std::isfinite(r.run) || !(r.run > 0.0)) return std::nullopt;

  const double segment = span_rate(0, silence, r.segment_seconds);
  r.segment = std::max(segment, rate_floor_share * r.run);

  // The window's blocks, newest first, until they and the silence cover `window` seconds.
  const double window = std::max(model_.min_window, model_.window_share * elapsed);
  const double needed = window - silence - block_span(closed_);
  std::size_t first = closed_;
  if (needed > 0.0) {
    const double blocks = std::ceil(needed / block_);
    first = blocks >= static_cast<double>(closed_) ? 0
                                                   : closed_ - static_cast<std::size_t>(blocks);
  }
  // A window as long as the segment is the segment's span, already measured.
  r.window_seconds = r.segment_seconds;
  const double recent = first == 0 ? segment : span_rate(first, silence, r.window_seconds);
  r.window = std::max(recent, rate_floor_share * r.segment);

  r.variance = variance_;
  r.weight = model_.recent_weight;
  const double w = r.weight;
  double log_rate = w * std::log(r.window) + (1.0 - w) * std::log(r.segment);
  // A segment that began at a shift leans on the whole run until it has enough blocks.
  if (shift_) {
    r.lean = std::max(0.0, 1.0 - static_cast<double>(closed_) / model_.segment_blocks);
    log_rate = (1.0 - r.lean) * log_rate + r.lean * std::log(r.run);
  }
  r.blended = std::exp(log_rate);
  if (!std::isfinite(r.blended) || !(r.blended > 0.0)) return std::nullopt;
  return r;
}

COPYETA_INLINE std::optional<double> robust_window::long_run_variance(
    std::size_t end) const noexcept {
  using robust_window_detail::min_blocks;
  if (end < min_blocks) return std::nullopt;
  // Lone outlier blocks are left out, as from the rate.
  const double limit = outlier_limit(0, end - 1);
  const auto kept = [&](std::size_t i) {
    return block_seconds(i) > 0.0 && !(bytes_[i] / block_seconds(i) > limit);
  };
  double total = 0.0;
  double seconds = 0.0;
  for (std::size_t i = 0; i < end; ++i) {
    if (!kept(i)) continue;
    total += bytes_[i];
    seconds += block_seconds(i);
  }
  const double mean = total / seconds;
  if (!(mean > 0.0) || !std::isfinite(mean)) return std::nullopt;
  const double floor = robust_window_detail::log_floor_share * mean;

  // Batch means: with m blocks a batch, (sd of batch rates)² · m · block estimates v whatever
  // the correlation shorter than a batch, so the largest over m = 1, 2, 4, 8 keeps correlated
  // blocks (bursts, interpolated gaps) from passing for independent ones. Two spreads each
  // time: the robust one of log rates (MAD·1.4826), and the plain relative variance, which sees
  // what rare fast blocks that are not lone outliers add to the mean rate's uncertainty.
  std::array<double, capacity> logs;  // only the first `batches` are read
  double v = 0.0;
  for (std::size_t m = 1; m <= 8; m *= 2) {
    const std::size_t batches = end / m;
    if (batches < (m == 1 ? min_blocks : 2 * min_blocks)) break;
    const std::size_t skip = end - batches * m;  // the oldest leftover blocks
    double squares = 0.0;
    for (std::size_t j = 0; j < batches; ++j) {
      double sum = 0.0;
      double time = 0.0;
      for (std::size_t i = skip + j * m; i < skip + (j + 1) * m; ++i) {
        if (!kept(i)) continue;
        sum += bytes_[i];
        time += block_seconds(i);
      }
      const double rate = time > 0.0 ? sum / time : mean;
      logs[j] = std::log(std::max(rate, floor));
      squares += (rate / mean - 1.0) * (rate / mean - 1.0);
    }
    const double relative = squares / static_cast<double>(batches - 1);
    const double sd = robust_window_detail::robust_sd(logs.data(), batches);
    const double scale = static_cast<double>(m) * block_;
    v = std::max({v, sd * sd * scale, std::log1p(relative) * scale});
  }
  return v;
}

COPYETA_INLINE void robust_window::refresh_variance(bool now) noexcept {
  // Again each time an eighth of the blocks are new: O(1) amortised per block.
  const std::size_t due = variance_blocks_ + std::max<std::size_t>(1, closed_ / 8);
  if (!now && closed_ >= variance_blocks_ && closed_ < due) return;
  variance_ = long_run_variance(closed_).value_or(prior_variance_);
  variance_blocks_ = closed_;
}

COPYETA_INLINE std::optional<double> robust_window::rate(double now) const noexcept {
  const auto r = rates_at(now);
  if (!r) return std::nullopt;
  return r->blended;
}

COPYETA_INLINE std::optional<estimator::forecast> robust_window::predict(
    double now, double left) const noexcept {
  const auto r = rates_at(now);
  if (!r) return std::nullopt;
  return predict_from(*r, now, left);
}

COPYETA_INLINE estimator::outlook robust_window::evaluate(double now,
                                                          double left) const noexcept {
  outlook o;
  const auto r = rates_at(now);
  if (!r) return o;
  o.rate = r->blended;
  if (left > 0.0) o.prediction = predict_from(*r, now, left);
  return o;
}

COPYETA_INLINE estimator::forecast robust_window::predict_from(const rates& r, double now,
                                                               double left) const noexcept {
  const double median = left / r.blended;
  const double v = r.variance;

  // The future: the mean rate over the horizon averages about h / block blocks.
  const double horizon = std::max(median, block_);
  double variance = v / horizon;
  // The estimate: a blend of the window and the segment, the window part of the segment.
  const double w = r.weight;
  const double window_seconds = std::max(r.window_seconds, block_);
  const double segment_seconds = std::max(r.segment_seconds, block_);
  variance += (1.0 - r.lean) * v * (w * w / window_seconds + (1.0 - w * w) / segment_seconds);
  // Drift: how far the window has moved from the segment, beyond what noise explains, carried
  // on over the horizon (the window's centre is (T_s - T_w) / 2 later than the segment's).
  const double disagreement = std::log(r.window / r.segment);
  const double noise = v * std::max(0.0, 1.0 / window_seconds - 1.0 / segment_seconds);
  const double drift = std::max(0.0, disagreement * disagreement - noise);
  const double lag = std::max(segment_seconds - window_seconds, window_seconds);
  const double carry = (window_seconds + horizon) / lag;
  if (drift > 0.0) variance += robust_window_detail::disagreement_weight * drift * carry * carry;
  // A young segment's pull toward the run rate may be wrong by the whole gap between them.
  const double pull = r.lean * std::log(r.run / r.segment);
  variance += pull * pull;
  variance = std::max(variance, model_.min_spread * model_.min_spread);

  const double spread = z_ * std::sqrt(variance);
  forecast f{median, median * std::exp(-spread), median * std::exp(spread)};
  if (is_stalled(now)) f.hi += seconds_without_progress(now);
  return f;
}

COPYETA_INLINE std::optional<rate_shift> robust_window::shift() const noexcept {
  if (!shift_) return std::nullopt;
  rate_shift s = *shift_;
  double seconds = 0.0;
  const double now = span_rate(0, 0.0, seconds);
  s.factor = shift_old_rate_ > 0.0 && now > 0.0 ? now / shift_old_rate_ : 1.0;
  return s;
}

}  // namespace copyeta::models
