#pragma once

#include <copyeta/detail/clamp.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/fleet.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

namespace copyeta {

namespace detail::fleet_impl {

// splitmix64: small, fast, and the same numbers on every platform (std::normal_distribution is
// not), so that an estimate is reproducible bit for bit.
struct rng {
  std::uint64_t x;
  std::uint64_t next() noexcept {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // In (0, 1): never 0 or 1, so logs and quantiles stay finite.
  double uniform() noexcept { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  std::size_t below(std::size_t n) noexcept {  // n > 0
    return std::min(n - 1, static_cast<std::size_t>(uniform() * static_cast<double>(n)));
  }
  double normal() noexcept {  // Box-Muller, one of the pair
    const double r = std::sqrt(-2.0 * std::log(uniform()));
    return r * std::cos(6.283185307179586 * uniform());
  }
};

// A quarter octave per class: 0, then 4 classes per power of two (linear inside the octave).
inline std::size_t size_class(amount b) noexcept {
  if (b == 0) return 0;
  int msb = 0;
  while (msb < 63 && (b >> (msb + 1)) != 0) ++msb;
  const amount sub = msb >= 2 ? (b >> (msb - 2)) & 3u : (msb == 1 ? (b & 1u) << 1 : 0u);
  return 1 + 4 * static_cast<std::size_t>(msb) + static_cast<std::size_t>(sub);
}

inline void add(fleet::size_histogram& h, amount bytes, std::uint64_t n) noexcept {
  const std::size_t c = size_class(bytes);
  const double added = static_cast<double>(bytes) * static_cast<double>(n);
  h.count[c] += n;
  h.bytes[c] += added;
  h.items += n;
  h.total += added;
}

// Takes one item of class c: of `bytes` when its size is known (a job started with it), else of
// the class mean. Returns the size taken.
inline double take(fleet::size_histogram& h, std::size_t c,
                   std::optional<double> bytes = std::nullopt) noexcept {
  const double size = bytes ? *bytes : h.bytes[c] / static_cast<double>(h.count[c]);
  --h.count[c];
  --h.items;
  h.bytes[c] = h.count[c] == 0 ? 0.0 : std::max(0.0, h.bytes[c] - size);
  h.total = h.items == 0 ? 0.0 : std::max(0.0, h.total - size);
  return size;
}

inline double mean_size(const fleet::size_histogram& h) noexcept {
  return h.items == 0 ? 0.0 : h.total / static_cast<double>(h.items);
}

// Draws an index in proportion to its weight, in constant time (Vose's alias method).
struct alias_table {
  std::vector<double> keep;  // probability of keeping column i
  std::vector<std::size_t> alias;
  alias_table() = default;
  explicit alias_table(std::vector<double> weight) {
    const std::size_t n = weight.size();
    const double total = std::accumulate(weight.begin(), weight.end(), 0.0);
    if (n == 0 || !(total > 0.0)) return;
    keep.assign(n, 1.0);
    alias.resize(n);
    std::vector<std::size_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
      weight[i] *= static_cast<double>(n) / total;
      alias[i] = i;
      (weight[i] < 1.0 ? small : large).push_back(i);
    }
    while (!small.empty() && !large.empty()) {
      const std::size_t s = small.back(), l = large.back();
      small.pop_back();
      keep[s] = weight[s];
      alias[s] = l;
      weight[l] -= 1.0 - weight[s];
      if (weight[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
  }
  bool empty() const noexcept { return keep.empty(); }
  std::size_t draw(rng& r) const noexcept {
    const std::size_t i = r.below(keep.size());
    return r.uniform() < keep[i] ? i : alias[i];
  }
};

// An item as the Monte Carlo sees it: its size, its cost at speed 1, and its spread group.
struct queued_item {
  double bytes = 0.0;
  double cost = 0.0;
  std::size_t group = 0;
};

// Samples the classes of a size histogram in proportion to their counts; with a cost per item
// and per byte, in proportion to count × cost instead: the item a slot is busy with at a random
// moment (length-biased).
struct size_sampler {
  std::vector<double> size;       // class means
  std::vector<queued_item> item;  // the same classes, once prepare() has run
  alias_table table;
  double scale = 1.0;
  explicit size_sampler(const fleet::size_histogram& h, double scale_by = 1.0,
                        double per_item = 1.0, double per_byte = 0.0)
      : scale(scale_by) {
    std::vector<double> weight;
    for (std::size_t c = 0; c < fleet::size_classes; ++c) {
      if (h.count[c] == 0) continue;
      size.push_back(h.bytes[c] / static_cast<double>(h.count[c]));
      weight.push_back(static_cast<double>(h.count[c]) *
                       (per_item + per_byte * size.back() * scale));
    }
    table = alias_table(std::move(weight));
    if (table.empty()) size.clear();
  }
  bool empty() const noexcept { return size.empty(); }
  double draw(rng& r) const noexcept { return size[table.draw(r)] * scale; }
  template <class Item>
  void prepare(const Item& make) {
    item.clear();
    for (double s : size) item.push_back(make(s * scale));
  }
  const queued_item& draw_item(rng& r) const noexcept { return item[table.draw(r)]; }
};

inline double median_of(std::vector<double> v) {
  if (v.empty()) return 0.0;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// Job duration = c + k·bytes, fitted to durations y (already divided by their block's speed)
// by least squares on relative errors, reweighted with Huber weights: big jobs do not outvote
// small ones, and a job stuck for hours does not drag the fit.
struct linear_cost {
  double c = 0.0;  // slot-seconds per item
  double k = 0.0;  // slot-seconds per byte
  double at(double bytes) const noexcept { return c + k * bytes; }
};

inline linear_cost fit_cost(const std::vector<double>& b, const std::vector<double>& y) {
  const std::size_t n = b.size();
  double mean_b = 0.0;
  for (double x : b) mean_b += x;
  mean_b /= static_cast<double>(n);
  const double unit = mean_b > 0.0 ? mean_b : 1.0;  // bytes in units of the mean: well scaled
  const double floor_y = std::max(1e-9, 1e-3 * median_of(y));
  std::vector<double> w(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = 1.0 / (std::max(y[i], floor_y) * std::max(y[i], floor_y));
  linear_cost f;
  std::vector<double> r(n);
  for (int iteration = 0; iteration < 5; ++iteration) {
    double s0 = 0, s1 = 0, s2 = 0, t0 = 0, t1 = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double x = b[i] / unit;
      s0 += w[i];
      s1 += w[i] * x;
      s2 += w[i] * x * x;
      t0 += w[i] * y[i];
      t1 += w[i] * x * y[i];
    }
    double c = 0.0, k = 0.0;
    const double det = s0 * s2 - s1 * s1;
    if (det > 1e-9 * s0 * s2) {
      c = (t0 * s2 - t1 * s1) / det;
      k = (s0 * t1 - s1 * t0) / det;
    } else if (s2 > 0.0) {  // every size alike: the bytes carry the cost
      k = t1 / s2;
    } else {
      c = t0 / s0;
    }
    if (c < 0.0) {
      c = 0.0;
      k = s2 > 0.0 ? t1 / s2 : 0.0;
    }
    if (k < 0.0) {
      k = 0.0;
      c = t0 / s0;
    }
    f = {c, k / unit};
    for (std::size_t i = 0; i < n; ++i) {
      const double p = std::max(f.at(b[i]), floor_y);
      r[i] = (y[i] - p) / p;
    }
    std::vector<double> a(n);
    for (std::size_t i = 0; i < n; ++i) a[i] = std::abs(r[i]);
    const double scale = std::max(1e-6, 1.4826 * median_of(a));
    for (std::size_t i = 0; i < n; ++i) {
      const double p = std::max(f.at(b[i]), floor_y);
      const double h = std::abs(r[i]) <= 1.5 * scale ? 1.0 : 1.5 * scale / std::abs(r[i]);
      w[i] = h / (p * p);
    }
  }
  return f;
}

// Each job's own spread around its cost: r = log(duration at speed 1 / cost), kept as measured
// (not assumed normal), in groups of jobs of similar cost. Small jobs are dominated by their
// per-item time, big ones by their bytes, and their spreads differ: a big job must not borrow
// the spread of small ones.
struct job_spread {
  std::vector<double> upper;                   // group g holds costs up to upper[g]
  std::vector<std::vector<double>> log_ratio;  // sorted, per group
  std::vector<std::vector<double>> ratio;      // exp(log_ratio), the same order
  std::vector<alias_table> biased;             // ratios in proportion to themselves
  std::vector<double> mean, mean_sq;           // E[ratio], E[ratio²] per group
  double variance = 0.0;  // of r over every job, outliers clipped: a block's sampling noise

  job_spread(std::vector<std::pair<double, double>> cost_and_r) {
    if (cost_and_r.empty()) cost_and_r.emplace_back(1.0, 0.0);
    std::sort(cost_and_r.begin(), cost_and_r.end());
    const std::size_t n = cost_and_r.size();
    const std::size_t groups = std::clamp<std::size_t>(n / 256, 1, 8);
    for (std::size_t g = 0; g < groups; ++g) {
      const std::size_t from = n * g / groups, to = n * (g + 1) / groups;
      std::vector<double> lr;
      for (std::size_t i = from; i < to; ++i) lr.push_back(cost_and_r[i].second);
      std::sort(lr.begin(), lr.end());
      std::vector<double> rt(lr.size());
      double m1 = 0.0, m2 = 0.0;
      for (std::size_t i = 0; i < lr.size(); ++i) {
        rt[i] = std::exp(lr[i]);
        m1 += rt[i];
        m2 += rt[i] * rt[i];
      }
      biased.emplace_back(rt);
      mean.push_back(m1 / static_cast<double>(lr.size()));
      mean_sq.push_back(m2 / static_cast<double>(lr.size()));
      log_ratio.push_back(std::move(lr));
      ratio.push_back(std::move(rt));
      upper.push_back(g + 1 < groups ? cost_and_r[to - 1].first
                                     : std::numeric_limits<double>::infinity());
    }
    std::vector<double> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = cost_and_r[i].second;
    const double mid = median_of(all);
    for (double& a : all) a = std::abs(a - mid);
    const double scale = 1.4826 * median_of(all);
    for (std::size_t i = 0; i < n; ++i) {
      const double dev = cost_and_r[i].second - mid;
      variance += std::min(dev * dev, 9.0 * scale * scale);
    }
    variance /= static_cast<double>(n);
  }
  std::size_t group(double cost) const noexcept {
    const auto g = static_cast<std::size_t>(std::lower_bound(upper.begin(), upper.end(), cost) -
                                            upper.begin());
    return std::min(g, upper.size() - 1);
  }
  double draw(rng& r, std::size_t g) const noexcept { return ratio[g][r.below(ratio[g].size())]; }
  // A ratio drawn in proportion to itself: the job in flight at a random moment is more often
  // a slow one.
  double draw_biased(rng& r, std::size_t g) const noexcept {
    return biased[g].empty() ? draw(r, g) : ratio[g][biased[g].draw(r)];
  }
  // Where the ratios above exp(threshold) begin in group g: for a job that already took that
  // share of its cost.
  std::size_t first_above(std::size_t g, double threshold) const noexcept {
    return static_cast<std::size_t>(
        std::upper_bound(log_ratio[g].begin(), log_ratio[g].end(), threshold) -
        log_ratio[g].begin());
  }
};

// Variance of the mean of an Ornstein-Uhlenbeck process over a horizon of u correlation times,
// given its start, in units of its stationary variance: (2u - 3 + 4e^-u - e^-2u) / u².
inline double ou_mean_variance(double u) noexcept {
  if (u < 1e-4) return 2.0 * u / 3.0;
  return (2.0 * u - 3.0 + 4.0 * std::exp(-u) - std::exp(-2.0 * u)) / (u * u);
}

// Variance of the mean of a stationary Ornstein-Uhlenbeck process over a window of u correlation
// times, in units of its variance: 2(u - 1 + e^-u) / u².
inline double ou_window_variance(double u) noexcept {
  if (u < 1e-4) return 1.0 - u / 3.0;
  return 2.0 * (u - 1.0 + std::exp(-u)) / (u * u);
}

}  // namespace detail::fleet_impl

COPYETA_INLINE void fleet_options::validate() const {
  auto fail = [](const char* field, double value, const char* rule) {
    throw options_error(fmt::format("[copyeta.options] fleet {} = {} {}", field, value, rule));
  };
  if (slots < 1) fail("slots", slots, "must be at least 1");
  if (!(level > 0.0 && level < 1.0)) fail("level", level, "must be inside (0, 1)");
  if (min_finished < 1) fail("min_finished", min_finished, "must be at least 1");
  if (!(block_seconds > 0.0 && std::isfinite(block_seconds)))
    fail("block_seconds", block_seconds, "must be a positive number of seconds");
  if (max_blocks < 8) fail("max_blocks", max_blocks, "must be at least 8");
  if (min_blocks < 1 || min_blocks > max_blocks)
    fail("min_blocks", min_blocks, "must be between 1 and max_blocks");
  if (window_jobs < 16) fail("window_jobs", window_jobs, "must be at least 16");
  if (!(stall_after >= 0.0 && std::isfinite(stall_after)))
    fail("stall_after", stall_after, "must be a non-negative number of seconds");
  if (!(stall_jobs > 0.0 && std::isfinite(stall_jobs)))
    fail("stall_jobs", stall_jobs, "must be a positive number");
  if (!(tail_speedup >= 1.0 && std::isfinite(tail_speedup)))
    fail("tail_speedup", tail_speedup, "must be a number >= 1");
  if (!(speed_sd >= 0.0 && std::isfinite(speed_sd)))
    fail("speed_sd", speed_sd, "must be a non-negative number");
  if (!(speed_memory > 0.0 && std::isfinite(speed_memory)))
    fail("speed_memory", speed_memory, "must be a positive number of seconds");
  if (draws < 16 || draws > 1'000'000) fail("draws", draws, "must be between 16 and 1000000");
}

COPYETA_INLINE copyeta::estimate fleet_estimate::to_estimate() const {
  copyeta::estimate e;
  e.state = state;
  e.t = t;
  e.done = items_finished;
  e.total = items_finished + items_running + items_pending;
  e.remaining = remaining;
  e.lo = lo;
  e.hi = hi;
  e.level = level;
  e.rate = items_per_second;
  e.stalled_for = stalled_for;
  return e;
}

COPYETA_INLINE fleet::fleet(const fleet_options& options) : options_(options) {
  options_.validate();
  width_ = options_.block_seconds;
}

COPYETA_INLINE std::uint64_t fleet::rejected() const noexcept {
  return count(fleet_status::unknown_job) + count(fleet_status::duplicate_job) +
         count(fleet_status::time_not_finite);
}

COPYETA_INLINE void fleet::add_items(const std::vector<amount>& sizes) {
  for (const amount b : sizes) detail::fleet_impl::add(queued_, b, 1);
}

COPYETA_INLINE void fleet::add_items(std::uint64_t n, amount bytes_each) {
  if (n > 0) detail::fleet_impl::add(queued_, bytes_each, n);
}

COPYETA_INLINE void fleet::add_unsized_items(std::uint64_t n, std::optional<amount> mean_bytes) {
  if (n == 0) return;
  if (mean_bytes) {  // the mean over every unsized item queued, old and new
    const double old = unsized_mean_.value_or(0.0) * static_cast<double>(unsized_);
    unsized_mean_ = (old + static_cast<double>(*mean_bytes) * static_cast<double>(n)) /
                    static_cast<double>(unsized_ + n);
  }
  unsized_ += n;
}

// Applies the clock rules: not finite is refused; earlier than the latest event is clamped.
COPYETA_INLINE double fleet::event_time(double t, fleet_status& status) const {
  if (!std::isfinite(t)) {
    status = fleet_status::time_not_finite;
    return t;
  }
  status = fleet_status::accepted;
  if (has_clock_ && t < latest_) {
    status = fleet_status::clamped;
    return latest_;
  }
  return t;
}

COPYETA_INLINE std::unordered_map<std::uint64_t, fleet::running_job>::iterator fleet::running_at(
    std::uint64_t id, double& t, fleet_status& status) {
  t = event_time(t, status);
  const auto it = running_.find(id);
  if (status == fleet_status::time_not_finite || it == running_.end()) {
    if (status != fleet_status::time_not_finite) status = fleet_status::unknown_job;
    ++counts_[static_cast<std::size_t>(status)];
    return running_.end();
  }
  advance(t);
  return it;
}

COPYETA_INLINE void fleet::advance(double t) {
  if (!has_clock_) {
    has_clock_ = true;
    origin_ = t;
    latest_ = t;
    last_event_ = t;
  }
  latest_ = std::max(latest_, t);
}

COPYETA_INLINE void fleet::take_from_queue(amount bytes) {
  using namespace detail::fleet_impl;
  const std::size_t c = size_class(bytes);
  if (queued_.count[c] > 0) {
    take(queued_, c, static_cast<double>(bytes));
  } else if (unsized_ > 0) {
    --unsized_;
    add(started_, bytes, 1);
  } else if (queued_.items > 0) {  // the nearest class: the coordinator's sizes were rounded
    for (std::size_t d = 1; d < size_classes; ++d) {
      if (c >= d && queued_.count[c - d] > 0) {
        take(queued_, c - d);
        break;
      }
      if (c + d < size_classes && queued_.count[c + d] > 0) {
        take(queued_, c + d);
        break;
      }
    }
  } else {
    ++unplanned_starts_;
  }
}

COPYETA_INLINE fleet_status fleet::job_started(std::uint64_t id, double t, amount bytes) {
  fleet_status status;
  t = event_time(t, status);
  if (status == fleet_status::time_not_finite || running_.count(id) != 0) {
    if (status != fleet_status::time_not_finite) status = fleet_status::duplicate_job;
    ++counts_[static_cast<std::size_t>(status)];
    return status;
  }
  advance(t);
  running_.emplace(id, running_job{t, bytes, 0, t});
  take_from_queue(bytes);
  last_event_ = t;
  ++counts_[static_cast<std::size_t>(status)];
  return status;
}

COPYETA_INLINE fleet_status fleet::job_progress(std::uint64_t id, double t, amount done) {
  fleet_status status;
  const auto it = running_at(id, t, status);
  if (it == running_.end()) return status;
  running_job& job = it->second;
  if (done > job.done) {
    job.done = done;
    job.progress_t = t;
    last_event_ = t;
  }
  ++counts_[static_cast<std::size_t>(status)];
  return status;
}

COPYETA_INLINE void fleet::add_to_block(double end, double bytes, double seconds) {
  auto index = [&] { return static_cast<std::size_t>(std::max(0.0, (end - origin_) / width_)); };
  while (index() >= options_.max_blocks) {  // merge neighbours: same history, half the blocks
    std::vector<block> merged((blocks_.size() + 1) / 2);
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
      merged[i / 2].finished += blocks_[i].finished;
      merged[i / 2].bytes += blocks_[i].bytes;
      merged[i / 2].seconds += blocks_[i].seconds;
    }
    blocks_ = std::move(merged);
    width_ *= 2.0;
  }
  const std::size_t i = index();
  if (blocks_.size() <= i) blocks_.resize(i + 1);
  blocks_[i].finished += 1.0;
  blocks_[i].bytes += bytes;
  blocks_[i].seconds += seconds;
}

namespace detail::fleet_impl {
inline void push_ring(std::vector<fleet::attempt>& ring, std::size_t& next, std::size_t capacity,
                      const fleet::attempt& a) {
  if (ring.size() < capacity) {
    ring.push_back(a);
  } else {
    ring[next] = a;
    next = (next + 1) % capacity;
  }
}
}  // namespace detail::fleet_impl

COPYETA_INLINE fleet_status fleet::job_finished(std::uint64_t id, double t) {
  fleet_status status;
  const auto it = running_at(id, t, status);
  if (it == running_.end()) return status;
  const running_job job = it->second;
  running_.erase(it);
  const double seconds = std::max(0.0, t - job.start);
  const double bytes = static_cast<double>(job.bytes);
  detail::fleet_impl::push_ring(finished_window_, finished_next_, options_.window_jobs,
                                {bytes, seconds, t});
  add_to_block(t, bytes, seconds);
  ++finished_;
  bytes_finished_ += job.bytes;
  last_event_ = t;
  ++counts_[static_cast<std::size_t>(status)];
  return status;
}

COPYETA_INLINE fleet_status fleet::job_failed(std::uint64_t id, double t, bool abandoned) {
  fleet_status status;
  const auto it = running_at(id, t, status);
  if (it == running_.end()) return status;
  const running_job job = it->second;
  running_.erase(it);
  detail::fleet_impl::push_ring(failed_window_, failed_next_, options_.window_jobs,
                                {static_cast<double>(job.bytes), std::max(0.0, t - job.start), t});
  ++failed_;
  if (abandoned) {
    ++abandoned_;
  } else {
    detail::fleet_impl::add(queued_, job.bytes, 1);
  }
  last_event_ = t;
  ++counts_[static_cast<std::size_t>(status)];
  return status;
}

// ---------------------------------------------------------------------------------------------
// The forecast.

namespace detail::fleet_impl {

// What the history says about the fleet's speed: log speeds per block (1 = as the cost model
// says), and a mean-reverting model of them.
struct speed_model {
  double now = 0.0;         // filtered log speed at the estimate's time
  double now_var = 0.0;     // its variance
  double mean = 0.0;        // long-run mean log speed
  double mean_var = 0.0;    // its variance
  double variance = 0.0;    // stationary variance of the log speed (net of sampling noise)
  double tau = 1.0;         // correlation time, seconds
  // The log of the speed's time-average over the next `horizon` seconds: its mean and
  // variance. Work is done at the speed of each moment, so the time-average is arithmetic:
  // above exp(mean log speed) by half the variance of the log speed within the horizon.
  std::pair<double, double> over(double horizon) const noexcept {
    const double u = std::max(horizon, 1e-9) / tau;
    const double g = u < 1e-9 ? 1.0 : -std::expm1(-u) / u;
    const double of_mean = ou_mean_variance(u);
    const double m = mean + (now - mean) * g + 0.5 * variance * std::max(0.0, 1.0 - of_mean);
    const double v = variance * of_mean + g * g * now_var + (1.0 - g) * (1.0 - g) * mean_var;
    return {m, v};
  }
};

// Fits the OU model to block log speeds x (NaN where a block has no finished job) with
// per-block noise variance noise[i]: the variogram net of noise, least squares over a grid of
// correlation times from one block to the whole history (no longer: nothing longer can be seen,
// and a longer one would call a history's whole drift noise), then a Kalman filter for today's
// level.
inline speed_model fit_speed(const std::vector<double>& x, const std::vector<double>& noise,
                             double width, double history, std::size_t now_block,
                             double prior_sd, double prior_memory) {
  speed_model m;
  const std::size_t n = x.size();
  double sum = 0.0, noise_sum = 0.0;
  std::size_t blocks = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i])) continue;
    sum += x[i];
    noise_sum += noise[i];
    ++blocks;
  }
  m.mean = sum / static_cast<double>(blocks);
  const std::size_t max_lag = std::min<std::size_t>(n / 2, 128);
  std::vector<double> gamma(max_lag + 1, 0.0), pairs(max_lag + 1, 0.0);
  for (std::size_t lag = 1; lag <= max_lag; ++lag) {
    for (std::size_t i = 0; i + lag < n; ++i) {
      if (std::isnan(x[i]) || std::isnan(x[i + lag])) continue;
      const double d = x[i + lag] - x[i];
      gamma[lag] += 0.5 * d * d - 0.5 * (noise[i] + noise[i + lag]);
      pairs[lag] += 1.0;
    }
    if (pairs[lag] > 0.0) gamma[lag] /= pairs[lag];
  }
  const double longest = std::max(history, width);
  double best_sse = std::numeric_limits<double>::infinity();
  m.tau = longest;
  m.variance = 0.0;
  double nugget = 0.0;
  // For each correlation time on the grid, least squares for the nugget (what the per-block
  // noise model missed) and the variance, both non-negative.
  constexpr int grid = 40;
  std::vector<double> f(max_lag + 1);
  for (int g = 0; g <= grid; ++g) {
    const double tau = width * std::pow(longest / width, g / static_cast<double>(grid));
    double sw = 0, sf = 0, sff = 0, sy = 0, sfy = 0;
    for (std::size_t lag = 1; lag <= max_lag; ++lag) {
      f[lag] = -std::expm1(-static_cast<double>(lag) * width / tau);
      if (pairs[lag] == 0.0) continue;
      sw += pairs[lag];
      sf += pairs[lag] * f[lag];
      sff += pairs[lag] * f[lag] * f[lag];
      sy += pairs[lag] * gamma[lag];
      sfy += pairs[lag] * f[lag] * gamma[lag];
    }
    if (sw == 0.0) break;
    auto sse_of = [&](double a0, double s2) {
      double sse = 0.0;
      for (std::size_t lag = 1; lag <= max_lag; ++lag) {
        const double e = gamma[lag] - a0 - s2 * f[lag];
        sse += pairs[lag] * e * e;
      }
      return sse;
    };
    double a0 = 0.0, s2 = 0.0;
    const double det = sw * sff - sf * sf;
    if (det > 1e-12 * sw * sff) {
      a0 = (sy * sff - sfy * sf) / det;
      s2 = (sw * sfy - sf * sy) / det;
    }
    if (!(det > 1e-12 * sw * sff) || a0 < 0.0 || s2 < 0.0) {  // one of the two alone
      const double s2_only = sff > 0.0 ? std::max(0.0, sfy / sff) : 0.0;
      const double a0_only = std::max(0.0, sy / sw);
      if (sse_of(0.0, s2_only) <= sse_of(a0_only, 0.0)) {
        a0 = 0.0;
        s2 = s2_only;
      } else {
        a0 = a0_only;
        s2 = 0.0;
      }
    }
    const double sse = sse_of(a0, s2);
    if (sse < best_sse) {
      best_sse = sse;
      m.tau = tau;
      m.variance = s2;
      nugget = a0;
    }
  }
  // A history shorter than the speed's memory cannot show how far it wanders: the fit then
  // sees only the short scales. So the fit is blended with the prior (speed_sd, speed_memory),
  // the data's weight growing with the number of prior memories the history spans.
  {
    const double w = longest / (longest + 2.0 * prior_memory);
    m.variance = w * m.variance + (1.0 - w) * prior_sd * prior_sd;
    m.tau = std::exp(w * std::log(m.tau) + (1.0 - w) * std::log(prior_memory));
  }
  // The long-run mean: the history's mean, off by the variance of an OU's mean over a window
  // as long as the history (a short history knows the mean no better than one sample).
  m.mean_var = m.variance * ou_window_variance(longest / m.tau) +
               (noise_sum + nugget * static_cast<double>(blocks)) /
                   static_cast<double>(blocks * blocks);
  // Kalman filter over the blocks, then on to the estimate's block.
  const double a = std::exp(-width / m.tau);
  const double q = m.variance * (1.0 - a * a);
  double level = m.mean, p = m.variance + m.mean_var;
  for (std::size_t i = 0; i < n; ++i) {
    level = m.mean + a * (level - m.mean);
    p = a * a * p + q;
    if (std::isnan(x[i])) continue;
    const double r = noise[i] + nugget;
    const double gain = p + r > 0.0 ? p / (p + r) : 1.0;
    level += gain * (x[i] - level);
    p *= 1.0 - gain;
  }
  if (now_block + 1 > n) {
    const double steps = static_cast<double>(now_block + 1 - n);
    const double an = std::exp(-steps * width / m.tau);
    level = m.mean + an * (level - m.mean);
    p = an * an * p + m.variance * (1.0 - an * an);
  }
  m.now = level;
  m.now_var = p;
  return m;
}

// A min-heap of slot times: when each slot frees.
struct slot_heap {
  std::vector<double> t;
  void build() { std::make_heap(t.begin(), t.end(), std::greater<>()); }
  double top() const noexcept { return t.front(); }
  // The earliest slot takes a job until `until`: one sift down instead of a pop and a push.
  void replace_top(double until) noexcept {
    const std::size_t n = t.size();
    std::size_t i = 0;
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && t[child + 1] < t[child]) ++child;
      if (!(t[child] < until)) break;
      t[i] = t[child];
      i = child;
    }
    t[i] = until;
  }
};

}  // namespace detail::fleet_impl

COPYETA_INLINE fleet_estimate fleet::estimate(double now) const {
  using namespace detail::fleet_impl;
  fleet_estimate e;
  if (!std::isfinite(now) || now < latest_) now = latest_;
  e.t = now;
  e.level = options_.level;
  e.items_finished = finished_;
  e.items_running = running_.size();
  e.items_pending = queued_.items + unsized_;
  e.attempts_failed = failed_;
  e.items_abandoned = abandoned_;
  e.bytes_finished = bytes_finished_;
  // Sizes for items queued by count: those of the unsized items started so far, else of the
  // queue, else of the jobs finished.
  fleet::size_histogram finished_sizes;
  if (started_.items == 0 && queued_.items == 0)
    for (const attempt& a : finished_window_)
      detail::fleet_impl::add(finished_sizes, static_cast<amount>(a.bytes), 1);
  const fleet::size_histogram& unsized_like =
      started_.items > 0 ? started_ : (queued_.items > 0 ? queued_ : finished_sizes);
  const double unsized_mean = unsized_mean_ ? *unsized_mean_ : mean_size(unsized_like);
  e.bytes_pending = queued_.total + static_cast<double>(unsized_) * unsized_mean;

  if (running_.empty() && e.items_pending == 0) {
    e.state = finished_ + failed_ > 0 ? state::finished : state::warming_up;
    return e;
  }
  const double history = now - origin_;
  if (finished_ < options_.min_finished || finished_window_.empty() ||
      history < static_cast<double>(options_.min_blocks) * width_)
    return e;

  // 1. The cost of a job, c + k·bytes, in slot-seconds at speed 1, and each block's speed.
  const std::size_t n_window = finished_window_.size();
  std::vector<double> b(n_window), d(n_window), y(n_window);
  std::vector<std::size_t> block_of(n_window);
  for (std::size_t i = 0; i < n_window; ++i) {
    b[i] = finished_window_[i].bytes;
    d[i] = finished_window_[i].seconds;
    block_of[i] = std::min(blocks_.size() - 1, static_cast<std::size_t>(std::max(
                                                   0.0, (finished_window_[i].end - origin_) / width_)));
  }
  std::vector<double> speed(blocks_.size(), std::numeric_limits<double>::quiet_NaN());
  linear_cost cost = fit_cost(b, d);
  auto block_speeds = [&] {
    for (std::size_t j = 0; j < blocks_.size(); ++j) {
      const block& s = blocks_[j];
      const double work = cost.c * s.finished + cost.k * s.bytes;
      speed[j] = s.seconds > 0.0 && work > 0.0 ? work / s.seconds
                                               : std::numeric_limits<double>::quiet_NaN();
    }
  };
  block_speeds();
  // Second pass: durations divided by their block's speed, so that the load of the moment does
  // not pass for a job's own noise or bend the fit.
  for (std::size_t i = 0; i < n_window; ++i)
    y[i] = std::isnan(speed[block_of[i]]) ? d[i] : d[i] * speed[block_of[i]];
  cost = fit_cost(b, y);
  block_speeds();
  if (!(cost.c > 0.0 || cost.k > 0.0)) return e;  // every job took no time: nothing to go on

  // Each job's own spread around its cost, net of its block's speed.
  std::vector<std::pair<double, double>> cost_and_r;
  cost_and_r.reserve(n_window);
  for (std::size_t i = 0; i < n_window; ++i) {
    const double sp = speed[block_of[i]];
    const double p = cost.at(b[i]);
    const double yi = (std::isnan(sp) ? d[i] : d[i] * sp);
    if (p > 0.0 && yi > 0.0) cost_and_r.emplace_back(p, std::log(yi / p));
  }
  const job_spread spread(std::move(cost_and_r));
  const double spread_var = spread.variance;

  // 2. The speed: its history in blocks, a mean-reverting model, and today's level.
  std::vector<double> x(blocks_.size()), noise(blocks_.size());
  for (std::size_t j = 0; j < blocks_.size(); ++j) {
    x[j] = std::isnan(speed[j]) ? speed[j] : std::log(speed[j]);
    noise[j] = blocks_[j].finished > 0.0 ? spread_var / blocks_[j].finished : 0.0;
  }
  const auto now_block = static_cast<std::size_t>(std::min(1e15, history / width_));
  const speed_model speed_now = fit_speed(x, noise, width_, history, now_block, options_.speed_sd,
                                             options_.speed_memory);
  const double current = std::exp(speed_now.now);

  // Throughput over the recent blocks (the last quarter hour, at least four blocks).
  {
    const double span = std::min(history, std::max(900.0, 4.0 * width_));
    double items = 0.0, bytes = 0.0;
    for (std::size_t j = blocks_.size(); j-- > 0;) {
      if ((static_cast<double>(j) + 1.0) * width_ <= history - span) break;
      items += blocks_[j].finished;
      bytes += blocks_[j].bytes;
    }
    e.bytes_per_second = bytes / span;
    e.items_per_second = items / span;
  }
  e.seconds_per_item = cost.c / current;
  if (cost.k > 0.0) e.slot_bytes_per_second = current / cost.k;

  // 3. Failures: the probability per attempt, and the share of its work a failed one wastes.
  const double attempts = static_cast<double>(finished_ + failed_);
  const double p_fail = static_cast<double>(failed_) / attempts;
  e.failure_probability = p_fail;
  double wasted = 0.5;
  if (!failed_window_.empty()) {
    double sum = 0.0;
    for (const attempt& a : failed_window_) {
      const std::size_t j = std::min(blocks_.size() - 1, static_cast<std::size_t>(std::max(
                                                              0.0, (a.end - origin_) / width_)));
      const double sp = std::isnan(speed[j]) ? current : speed[j];
      sum += std::min(1.0, a.seconds * sp / std::max(cost.at(a.bytes), 1e-9));
    }
    wasted = sum / static_cast<double>(failed_window_.size());
  }
  // The uncertainty of p: a Beta posterior's spread, drawn as a normal. A fleet that never
  // failed is taken not to fail until it does.
  const double p_sd = std::sqrt(p_fail * (1.0 - p_fail) / (attempts + 1.0));

  // 4. The work left. Running jobs, in id order so that the draws do not depend on the hash map.
  std::vector<std::pair<std::uint64_t, const running_job*>> jobs;
  jobs.reserve(running_.size());
  for (const auto& kv : running_) jobs.emplace_back(kv.first, &kv.second);
  std::sort(jobs.begin(), jobs.end(),
            [](const auto& l, const auto& r) { return l.first < r.first; });
  const std::size_t slots = std::max<std::size_t>(options_.slots, jobs.size());

  const std::uint64_t n_pending = queued_.items + unsized_;
  const double unsized_scale = unsized_mean_ && mean_size(unsized_like) > 0.0
                                   ? *unsized_mean_ / mean_size(unsized_like) : 1.0;
  // Variance of an unsized item's size.
  double unsized_size_var = 0.0;
  {
    double m1 = 0.0, m2 = 0.0, n = 0.0;
    for (std::size_t c = 0; c < size_classes; ++c) {
      if (unsized_like.count[c] == 0) continue;
      const double sz =
          unsized_like.bytes[c] / static_cast<double>(unsized_like.count[c]) * unsized_scale;
      n += static_cast<double>(unsized_like.count[c]);
      m1 += sz * static_cast<double>(unsized_like.count[c]);
      m2 += sz * sz * static_cast<double>(unsized_like.count[c]);
    }
    if (n > 0.0) unsized_size_var = std::max(0.0, m2 / n - (m1 / n) * (m1 / n));
  }

  // A short queue (up to 4 items per slot) is scheduled item by item. A long one: its `slots`
  // largest items one by one, each at a random place in the queue (a big job pins its slot
  // wherever it starts, so it must not be poured as a fluid), the other items as a fluid poured
  // between them; when the queue runs dry, each slot still at the fluid's level is busy with a
  // job at its equilibrium residual (renewal theory: the job in flight at a random moment).
  const bool all_discrete =
      n_pending <= (options_.itemized_queue > 0 ? options_.itemized_queue : 4 * slots);
  fleet::size_histogram small = queued_;  // the queue without its largest items
  auto item_of = [&](double bytes) {
    const double w = cost.at(bytes);
    return queued_item{bytes, w, spread.group(w)};
  };
  std::vector<queued_item> big;         // those, largest first
  std::vector<queued_item> base_items;  // the whole queue, when it is short
  if (all_discrete) {
    for (std::size_t c = 0; c < size_classes; ++c)
      for (std::uint64_t i = 0; i < queued_.count[c]; ++i)
        base_items.push_back(item_of(queued_.bytes[c] / static_cast<double>(queued_.count[c])));
  } else {
    for (std::size_t c = size_classes; c-- > 0 && big.size() < slots;)
      while (small.count[c] > 0 && big.size() < slots) big.push_back(item_of(take(small, c)));
  }
  size_sampler unsized_sizes(unsized_like, unsized_scale);
  // The item a slot is busy with at a random moment, for the slots when the fluid ends.
  size_sampler known_in_flight(small, 1.0, cost.c, cost.k);
  size_sampler unsized_in_flight(unsized_like, unsized_scale, cost.c, cost.k);
  for (size_sampler* sampler : {&unsized_sizes, &known_in_flight, &unsized_in_flight})
    sampler->prepare(item_of);
  const queued_item unsized_at_mean = item_of(unsized_mean);
  const double unsized_cost_share =
      unsized_ > 0 ? static_cast<double>(unsized_) * cost.at(unsized_mean) /
                         (static_cast<double>(unsized_) * cost.at(unsized_mean) +
                          cost.c * static_cast<double>(small.items) + cost.k * small.total)
                   : 0.0;

  // The work of the fluid's items: Σ cost (plain), Σ cost·E[ratio] (its mean), and Σ cost²
  // E[ratio²] and Σ cost² E[ratio]² for its variance, each item's ratio from jobs of its cost.
  // Unsized items at their mean size; their sizes' variance apart.
  double small_cost = 0.0, small_work = 0.0, small_sq = 0.0, small_mean_sq = 0.0;
  auto add_class = [&](double bytes, double count) {
    const double w = cost.at(bytes);
    const std::size_t g = spread.group(w);
    small_cost += count * w;
    small_work += count * w * spread.mean[g];
    small_sq += count * w * w * spread.mean_sq[g];
    small_mean_sq += count * w * w * spread.mean[g] * spread.mean[g];
  };
  for (std::size_t c = 0; c < size_classes; ++c)
    if (small.count[c] > 0)
      add_class(small.bytes[c] / static_cast<double>(small.count[c]),
                static_cast<double>(small.count[c]));
  if (unsized_ > 0) add_class(unsized_mean, static_cast<double>(unsized_));
  const double mult_mean = small_cost > 0.0 ? small_work / small_cost : 1.0;
  double queue_work = small_work;  // the whole queue's, for the horizon
  for (const queued_item& it : big) queue_work += it.cost * spread.mean[it.group];
  for (const queued_item& it : base_items) queue_work += it.cost * spread.mean[it.group];

  // The horizon, for the speed's uncertainty: the fluid time, or the longest running job.
  double horizon = 0.0;
  {
    double running_work = 0.0, longest = 0.0;
    for (const auto& j : jobs) {
      const double full = cost.at(static_cast<double>(j.second->bytes));
      const double w =
          std::max(0.0, full * spread.mean[spread.group(full)] - (now - j.second->start) * current);
      running_work += w;
      longest = std::max(longest, w);
    }
    const double retry = p_fail < 1.0 ? 1.0 + wasted * p_fail / (1.0 - p_fail) : 2.0;
    horizon = std::max((running_work + queue_work * retry) /
                           static_cast<double>(slots), longest) / current;
  }
  const auto [log_speed, log_speed_var] = speed_now.over(std::max(horizon, width_));
  // 5. Monte Carlo: each draw is a speed for the time left, residuals for the running jobs, the
  // queue, and the last items scheduled one by one with failures and retries.
  //
  // Running jobs, prepared once: a job without progress gets a ratio from the jobs of its cost
  // whose ratio exceeds the share it already spent; one with progress, what is left of its
  // bytes.
  struct running_plan {
    queued_item item;
    double spent = 0.0;   // work done so far, or since its progress report
    double left = 0.0;    // cost of its bytes left, with progress
    bool progress = false;
    std::size_t first = 0;  // the first ratio above its share spent
  };
  std::vector<running_plan> plans;
  plans.reserve(jobs.size());
  for (const auto& j : jobs) {
    const running_job& job = *j.second;
    running_plan plan;
    plan.item = item_of(static_cast<double>(job.bytes));
    if (job.done > 0) {
      plan.progress = true;
      plan.left = cost.k * static_cast<double>(job.bytes > job.done ? job.bytes - job.done : 0);
      plan.spent = (now - job.progress_t) * current;
    } else {
      plan.spent = (now - job.start) * current;
      const double threshold = plan.item.cost > 0.0
                                   ? std::log(std::max(plan.spent, 1e-300) / plan.item.cost)
                                   : -std::numeric_limits<double>::infinity();
      plan.first = spread.first_above(plan.item.group, threshold);
    }
    plans.push_back(plan);
  }

  rng r{options_.seed};
  std::vector<double> ends(options_.draws);
  std::vector<double> avail, in_flight, uniforms;
  std::vector<queued_item> items, requeued;
  slot_heap heap;

  for (std::uint32_t draw = 0; draw < options_.draws; ++draw) {
    const double lambda = std::exp(log_speed + std::sqrt(log_speed_var) * r.normal());
    const double p = std::clamp(p_fail + p_sd * r.normal(), 0.0, 0.95);
    items.clear();
    requeued.clear();
    avail.assign(slots, 0.0);
    for (std::size_t i = 0; i < plans.size(); ++i) {
      const running_plan& plan = plans[i];
      const std::size_t g = plan.item.group;
      double residual;
      if (plan.progress) {
        residual = std::max(0.0, plan.left * spread.draw(r, g) - plan.spent);
      } else if (plan.first < spread.ratio[g].size()) {
        const std::size_t at = plan.first + r.below(spread.ratio[g].size() - plan.first);
        residual = plan.item.cost * spread.ratio[g][at] - plan.spent;
      } else {  // longer than any job of its kind: as long again, give or take
        residual = plan.spent * -std::log(r.uniform());
      }
      // It may still fail, in proportion to the share of its attempt left; the item then goes
      // to the back of the queue.
      const double share_left =
          plan.item.cost > 0.0 ? std::min(1.0, residual / plan.item.cost) : 1.0;
      if (r.uniform() < p * share_left) {
        avail[i] = residual * r.uniform();
        requeued.push_back(plan.item);
      } else {
        avail[i] = residual;
      }
    }
    // The queue, in an order unrelated to size: the coordinator's order is not known.
    if (all_discrete) {
      items = base_items;
      for (std::uint64_t i = 0; i < unsized_; ++i)
        items.push_back(unsized_sizes.empty() ? unsized_at_mean : unsized_sizes.draw_item(r));
      for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[r.below(i)]);
    } else {
      // Each item's work is cost·M·S: M its own ratio, S = 1 + the shares of it wasted by
      // failed attempts (geometric count, each share ~ U(0, 2·wasted)). Sizes known are not
      // random; sizes unknown add their variance.
      const double f_mean = p / (1.0 - p), f_var = p / ((1.0 - p) * (1.0 - p));
      const double u_mean = wasted, u_var = wasted * wasted / 3.0;
      const double s_mean = 1.0 + f_mean * u_mean;
      const double s_sq = 1.0 + 2.0 * f_mean * u_mean + f_mean * u_var +
                          (f_var + f_mean * f_mean) * u_mean * u_mean;
      const double mean = small_cost * mult_mean * s_mean;
      const double var =
          std::max(0.0, small_sq * s_sq - small_mean_sq * s_mean * s_mean) +
          cost.k * cost.k * static_cast<double>(unsized_) * unsized_size_var * mult_mean *
              mult_mean * s_mean * s_mean;
      const double fluid = std::max(0.0, mean + std::sqrt(var) * r.normal());
      // When the fluid runs out, a slot is busy with a job whose residual has the equilibrium
      // law of renewal theory: a length-biased item (and ratio), a uniform share of it left.
      // Those residuals come out of the fluid, unless it is too thin to hold them.
      in_flight.clear();
      double in_flight_work = 0.0;
      for (std::size_t i = 0; i < slots; ++i) {
        const bool is_unsized = unsized_ > 0 &&
                                (known_in_flight.empty() || r.uniform() < unsized_cost_share);
        const size_sampler& from = is_unsized ? unsized_in_flight : known_in_flight;
        double residual = 0.0;
        if (!from.empty()) {
          const queued_item& it = from.draw_item(r);
          residual = it.cost * spread.draw_biased(r, it.group) * r.uniform();
        }
        in_flight.push_back(residual);
        in_flight_work += residual;
      }
      double pourable = fluid;
      if (in_flight_work < 0.5 * fluid) {
        pourable -= in_flight_work;
      } else {
        std::fill(in_flight.begin(), in_flight.end(), 0.0);
      }
      // Water-filling on the sorted slots: [0, k) share the level, [k, slots) are above it.
      std::sort(avail.begin(), avail.end());
      double level = avail[0];
      std::size_t k = 1;
      auto pour = [&](double volume) {
        while (volume > 0.0) {
          if (k < slots) {
            const double need = (avail[k] - level) * static_cast<double>(k);
            if (need <= volume) {
              volume -= need;
              level = avail[k];
              ++k;
              continue;
            }
          }
          level += volume / static_cast<double>(k);
          volume = 0.0;
        }
      };
      // A big item starts on a slot at the level and holds it until `until`.
      auto place = [&](double until) {
        --k;
        const auto at = static_cast<std::size_t>(
            std::upper_bound(avail.begin() + static_cast<std::ptrdiff_t>(k) + 1, avail.end(),
                             until) -
            avail.begin());
        for (std::size_t i = k; i + 1 < at; ++i) avail[i] = avail[i + 1];
        avail[at - 1] = until;
        if (k == 0) {
          level = avail[0];
          k = 1;
        }
      };
      // The big items at uniform places in the queue, in a random order: sorted uniforms for
      // the places, a shuffle for the order.
      uniforms.clear();
      for (std::size_t i = 0; i < big.size(); ++i) uniforms.push_back(r.uniform());
      std::sort(uniforms.begin(), uniforms.end());
      double poured = 0.0;
      for (std::size_t i = 0; i < big.size(); ++i) {
        pour((uniforms[i] - poured) * pourable);
        poured = uniforms[i];
        std::swap(big[i], big[i + r.below(big.size() - i)]);
        const double w = big[i].cost * spread.draw(r, big[i].group);
        if (r.uniform() < p) {
          place(level + w * std::min(1.0, 2.0 * wasted * r.uniform()));
          requeued.push_back(big[i]);
        } else {
          place(level + w);
        }
      }
      pour((1.0 - poured) * pourable);
      // Residuals meant for slots still busy above the level go to the others' level.
      double unplaced = 0.0;
      for (std::size_t i = k; i < slots; ++i) unplaced += in_flight[i];
      level += unplaced / static_cast<double>(k);
      for (std::size_t i = 0; i < k; ++i) avail[i] = level + in_flight[i];
    }
    for (const queued_item& it : requeued) items.push_back(it);
    // List scheduling: each item goes to the slot that frees first. A failed attempt wastes a
    // share of its work and sends the item to the back of the queue.
    heap.t.assign(avail.begin(), avail.end());
    heap.build();
    double last_start = 0.0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const double start = heap.top();
      last_start = std::max(last_start, start);
      const double work = items[i].cost * spread.draw(r, items[i].group);
      if (r.uniform() < p && items.size() < 64 * (n_pending + jobs.size() + 1)) {
        heap.replace_top(start + work * std::min(1.0, 2.0 * wasted * r.uniform()));
        items.push_back(items[i]);
      } else {
        heap.replace_top(start + work);
      }
    }
    // The end: with tail_speedup 1 the latest slot; otherwise the jobs still running when the
    // queue ran dry share what the idle slots gave up, each at most tail_speedup times faster.
    double end = *std::max_element(heap.t.begin(), heap.t.end());
    if (options_.tail_speedup > 1.0) {
      std::vector<double>& rest = avail;
      rest.clear();
      for (double t : heap.t)
        if (t > last_start) rest.push_back(t - last_start);
      std::sort(rest.begin(), rest.end());
      double t = last_start, done = 0.0;
      for (std::size_t i = 0; i < rest.size(); ++i) {
        const double running = static_cast<double>(rest.size() - i);
        const double rate = std::min(options_.tail_speedup, static_cast<double>(slots) / running);
        t += (rest[i] - done) / rate;
        done = rest[i];
      }
      end = std::min(end, t);
    }
    ends[draw] = end / lambda;
  }
  std::sort(ends.begin(), ends.end());
  auto quantile = [&](double q) {
    const double pos = q * static_cast<double>(ends.size() - 1);
    const auto i = static_cast<std::size_t>(pos);
    const double f = pos - static_cast<double>(i);
    return i + 1 < ends.size() ? ends[i] * (1.0 - f) + ends[i + 1] * f : ends[i];
  };
  e.remaining = detail::clamp_seconds(quantile(0.5));
  e.lo = std::min(e.remaining, detail::clamp_seconds(quantile((1.0 - options_.level) / 2.0)));
  e.hi = std::max(e.remaining, detail::clamp_seconds(quantile((1.0 + options_.level) / 2.0)));
  e.state = state::ok;

  // 6. Stalled: nothing happened for stall_after seconds, although the running jobs would have
  // finished stall_jobs of themselves in that silence (or none runs while items wait).
  const double silence = now - last_event_;
  if (silence >= options_.stall_after && silence > 0.0) {
    double expected = 0.0;
    for (const auto& j : jobs) {
      const double quiet = now - std::max(last_event_, j.second->start);
      expected += quiet * current / std::max(cost.at(static_cast<double>(j.second->bytes)), 1e-9);
    }
    if (jobs.empty() || expected >= options_.stall_jobs) {
      e.state = state::stalled;
      e.stalled_for = silence;
      e.hi = detail::clamp_seconds(e.hi + silence);  // it may last as long again
    }
  }
  return e;
}

}  // namespace copyeta
