// fleet: many concurrent copies folded into one forecast. Unit tests with known answers, then a
// simulated migration of 10,000 mailboxes across 3 clusters whose end is known, scored over 100
// seeds.
#include <copyeta/errors.hpp>
#include <copyeta/fleet.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <queue>
#include <random>
#include <string>
#include <vector>

namespace {

using copyeta::amount;
using copyeta::fleet;
using copyeta::fleet_estimate;
using copyeta::fleet_options;
using copyeta::fleet_status;

// ---------------------------------------------------------------------------------------------
// The simulated migration: every mailbox off a failing storage head, onto three clusters.
//
// - 10,000 mailboxes, sizes lognormal (median 400 MB, sigma 1.3: a few of tens of GB), listed in
//   an order unrelated to size; the coordinator knows every size up front.
// - One queue. When a slot frees on a cluster, the coordinator starts the next mailbox there: one
//   fleet for the whole migration, with slots = the clusters' slots together.
// - A job first spends a per-item overhead on its cluster (connect, enumerate folders; lognormal
//   around the cluster's mean), then moves its bytes. A cluster's throughput is shared by the
//   jobs moving bytes on it, each at most `job_cap` times its share when every slot moves bytes:
//   a job's rate depends on how many run at once.
// - Load: a cluster's throughput is multiplied by exp(common + own), two mean-reverting (AR(1))
//   processes, one shared by the clusters (the storage head) and one per cluster.
// - An attempt fails with its cluster's probability, at a uniform point of its transfer; the
//   bytes moved are lost and the mailbox goes to the back of the queue (abandoned after 5).
// The end is when the last job ends.
struct cluster_spec {
  int slots;
  double throughput;  // bytes/s, before load
  double overhead;    // seconds per mailbox, mean
  double failure;     // per attempt
};

struct migration_spec {
  std::size_t mailboxes = 10'000;
  double size_median = 400e6;
  double size_sigma = 1.3;
  double size_max = 80e9;
  std::array<cluster_spec, 3> clusters{{{24, 240e6, 20.0, 0.03},
                                        {20, 160e6, 35.0, 0.05},
                                        {12, 100e6, 15.0, 0.08}}};
  double overhead_sigma = 0.4;
  double job_cap = 1.5;
  double load_step = 60.0;
  double common_sd = 0.2, common_tau = 2700.0;
  double own_sd = 0.25, own_tau = 1200.0;
  int max_attempts = 5;
  std::vector<double> checkpoints{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
};

struct checkpoint_result {
  double fraction = 0.0;
  double t = 0.0;
  fleet_estimate estimate;
};

struct migration_result {
  double end = 0.0;
  std::vector<checkpoint_result> checkpoints;
};

class sim_rng {
 public:
  explicit sim_rng(std::uint64_t seed) : g_(seed) {}
  double uniform() { return (static_cast<double>(g_() >> 11) + 0.5) * 0x1.0p-53; }
  double normal() {
    return std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307179586 * uniform());
  }

 private:
  std::mt19937_64 g_;
};

migration_result simulate_migration(const migration_spec& spec, std::uint64_t seed,
                                    fleet_options options = {}) {
  sim_rng rng(seed * 0x9e3779b97f4a7c15ull + 17);
  const std::size_t n = spec.mailboxes;
  std::vector<double> size(n);
  for (auto& s : size)
    s = std::min(spec.size_max, std::round(spec.size_median * std::exp(spec.size_sigma * rng.normal())));
  std::vector<int> attempts(n, 0);

  int total_slots = 0;
  for (const auto& c : spec.clusters) total_slots += c.slots;
  options.slots = static_cast<std::uint32_t>(total_slots);
  fleet f(options);
  {
    std::vector<amount> sizes(n);
    for (std::size_t i = 0; i < n; ++i) sizes[i] = static_cast<amount>(size[i]);
    f.add_items(sizes);
  }
  std::deque<std::size_t> queue;
  for (std::size_t i = 0; i < n; ++i) queue.push_back(i);

  // Load: AR(1) in logs, stepped every load_step seconds.
  const double a_common = std::exp(-spec.load_step / spec.common_tau);
  const double a_own = std::exp(-spec.load_step / spec.own_tau);
  double common = spec.common_sd * rng.normal();
  std::array<double, 3> own{};
  for (auto& o : own) o = spec.own_sd * rng.normal();
  const double mean_fix = -(spec.common_sd * spec.common_sd + spec.own_sd * spec.own_sd) / 2.0;

  // Per cluster: jobs moving bytes share the throughput equally (processor sharing), tracked
  // with a virtual clock: `served` grows by the per-job rate, and a job ends when it reaches
  // the value it was given when its transfer began.
  struct transfer {
    double until;  // served value at which it ends
    std::size_t mailbox;
    bool fails;
    bool operator>(const transfer& o) const { return until > o.until; }
  };
  struct cluster_state {
    double served = 0.0;
    double rate = 0.0;  // per job
    std::priority_queue<transfer, std::vector<transfer>, std::greater<>> moving;
  };
  std::array<cluster_state, 3> cl;
  auto set_rate = [&](std::size_t k) {
    const auto& c = spec.clusters[k];
    const double capacity = c.throughput * std::exp(common + own[k] + mean_fix);
    const double m = static_cast<double>(cl[k].moving.size());
    cl[k].rate = m > 0 ? std::min(spec.job_cap * c.throughput / c.slots, capacity / m) : 0.0;
  };

  // Timed events: overhead ends (a job begins to move bytes), and load steps.
  struct timed {
    double t;
    int kind;  // 0 load step, 1 overhead end
    std::size_t cluster, mailbox;
    bool operator>(const timed& o) const { return t > o.t; }
  };
  std::priority_queue<timed, std::vector<timed>, std::greater<>> timers;
  timers.push({spec.load_step, 0, 0, 0});

  double t = 0.0;
  std::size_t finished = 0, ended = 0;
  std::size_t next_checkpoint = 0;
  migration_result out;

  auto start_next = [&](std::size_t k) {
    if (queue.empty()) return;
    const std::size_t m = queue.front();
    queue.pop_front();
    ++attempts[m];
    f.job_started(m, t, static_cast<amount>(size[m]));
    const double overhead =
        spec.clusters[k].overhead * std::exp(spec.overhead_sigma * rng.normal() -
                                             spec.overhead_sigma * spec.overhead_sigma / 2.0);
    timers.push({t + overhead, 1, k, m});
  };
  for (std::size_t k = 0; k < 3; ++k)
    for (int s = 0; s < spec.clusters[k].slots; ++s) start_next(k);

  while (ended < n) {
    // The next event: a timer, or the first transfer to end on some cluster.
    double next = timers.empty() ? INFINITY : timers.top().t;
    int which = -1;
    for (std::size_t k = 0; k < 3; ++k) {
      if (cl[k].moving.empty() || cl[k].rate <= 0.0) continue;
      const double at = t + (cl[k].moving.top().until - cl[k].served) / cl[k].rate;
      if (at < next) {
        next = at;
        which = static_cast<int>(k);
      }
    }
    for (auto& c : cl) c.served += c.rate * (next - t);
    t = next;
    if (which < 0) {
      const timed ev = timers.top();
      timers.pop();
      if (ev.kind == 0) {
        common = a_common * common + std::sqrt(1 - a_common * a_common) * spec.common_sd * rng.normal();
        for (auto& o : own) o = a_own * o + std::sqrt(1 - a_own * a_own) * spec.own_sd * rng.normal();
        for (std::size_t k = 0; k < 3; ++k) set_rate(k);
        timers.push({t + spec.load_step, 0, 0, 0});
      } else {
        const std::size_t k = ev.cluster;
        const bool fails = rng.uniform() < spec.clusters[k].failure;
        const double bytes = fails ? size[ev.mailbox] * rng.uniform() : size[ev.mailbox];
        cl[k].moving.push({cl[k].served + bytes, ev.mailbox, fails});
        set_rate(k);
      }
      continue;
    }
    const std::size_t k = static_cast<std::size_t>(which);
    const transfer done = cl[k].moving.top();
    cl[k].moving.pop();
    set_rate(k);
    if (done.fails) {
      const bool abandon = attempts[done.mailbox] >= spec.max_attempts;
      f.job_failed(done.mailbox, t, abandon);
      if (abandon) {
        ++ended;
      } else {
        queue.push_back(done.mailbox);
      }
    } else {
      f.job_finished(done.mailbox, t);
      ++finished;
      ++ended;
      while (next_checkpoint < spec.checkpoints.size() &&
             static_cast<double>(finished) >= spec.checkpoints[next_checkpoint] * static_cast<double>(n)) {
        out.checkpoints.push_back({spec.checkpoints[next_checkpoint], t, f.estimate(t)});
        ++next_checkpoint;
      }
    }
    start_next(k);
  }
  out.end = t;
  return out;
}

struct coverage_score {
  double coverage = 0.0;      // share of scored checkpoints with lo <= R <= hi
  double mean_q_error = 0.0;  // mean of |ln(P / R)|
  double below = 0.0;         // share with R < lo (the forecast was late)
  double above = 0.0;         // share with R > hi (the forecast was early)
  std::size_t scored = 0;
  std::size_t unavailable = 0;
  std::vector<double> by_checkpoint;  // coverage per checkpoint
  std::vector<double> q_by_checkpoint;
  std::vector<double> bias_by_checkpoint;  // mean of ln(R / P): above 0, the forecast was early
  std::vector<double> width_by_checkpoint;  // mean of ln(hi / lo)
  std::vector<double> sd_by_checkpoint;     // standard deviation of ln(R / P)
  double mean_end = 0.0;
};

coverage_score score_seeds(const migration_spec& spec, std::uint64_t first, std::uint64_t count,
                           const fleet_options& options = {}) {
  coverage_score s;
  const std::size_t points = spec.checkpoints.size();
  std::vector<double> covered(points, 0.0), seen(points, 0.0), q(points, 0.0), bias(points, 0.0),
      width(points, 0.0), sq(points, 0.0);
  double q_sum = 0.0, below = 0.0, above = 0.0, covered_all = 0.0;
  for (std::uint64_t seed = first; seed < first + count; ++seed) {
    const migration_result m = simulate_migration(spec, seed, options);
    s.mean_end += m.end / static_cast<double>(count);
    for (std::size_t i = 0; i < m.checkpoints.size(); ++i) {
      const auto& c = m.checkpoints[i];
      if (!c.estimate.has_remaining()) {
        ++s.unavailable;
        continue;
      }
      const double truth = m.end - c.t;
      const bool in = c.estimate.lo <= truth && truth <= c.estimate.hi;
      const double qe = std::abs(std::log(std::max(c.estimate.remaining, 1e-3) / truth));
      covered_all += in;
      below += truth < c.estimate.lo;
      above += truth > c.estimate.hi;
      q_sum += qe;
      covered[i] += in;
      q[i] += qe;
      const double err = std::log(truth / std::max(c.estimate.remaining, 1e-3));
      bias[i] += err;
      sq[i] += err * err;
      width[i] += std::log(std::max(c.estimate.hi, 1e-3) / std::max(c.estimate.lo, 1e-3));
      seen[i] += 1.0;
      ++s.scored;
    }
  }
  const double scored = static_cast<double>(std::max<std::size_t>(s.scored, 1));
  s.coverage = covered_all / scored;
  s.mean_q_error = q_sum / scored;
  s.below = below / scored;
  s.above = above / scored;
  for (std::size_t i = 0; i < points; ++i) {
    s.by_checkpoint.push_back(seen[i] > 0 ? covered[i] / seen[i] : 0.0);
    s.q_by_checkpoint.push_back(seen[i] > 0 ? q[i] / seen[i] : 0.0);
    s.bias_by_checkpoint.push_back(seen[i] > 0 ? bias[i] / seen[i] : 0.0);
    s.width_by_checkpoint.push_back(seen[i] > 0 ? width[i] / seen[i] : 0.0);
    const double mean = seen[i] > 0 ? bias[i] / seen[i] : 0.0;
    s.sd_by_checkpoint.push_back(seen[i] > 1 ? std::sqrt(std::max(0.0, sq[i] / seen[i] - mean * mean)) : 0.0);
  }
  return s;
}

std::string describe(const coverage_score& s) {
  std::string out = "coverage " + std::to_string(s.coverage) + " (late " +
                    std::to_string(s.below) + ", early " + std::to_string(s.above) +
                    "), mean q-error " + std::to_string(s.mean_q_error) + ", scored " +
                    std::to_string(s.scored) + ", unavailable " + std::to_string(s.unavailable) +
                    ", mean end " + std::to_string(s.mean_end) + " s; by checkpoint (coverage/q-error/bias):";
  for (std::size_t i = 0; i < s.by_checkpoint.size(); ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %.2f/%.3f/%+.3f", s.by_checkpoint[i], s.q_by_checkpoint[i],
                  s.bias_by_checkpoint[i]);
    out += buf;
  }
  out += "; ln(hi/lo) vs 2.56 sd of ln(R/P):";
  for (std::size_t i = 0; i < s.by_checkpoint.size(); ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %.3f/%.3f", s.width_by_checkpoint[i], 2.563 * s.sd_by_checkpoint[i]);
    out += buf;
  }
  return out;
}

// The acceptance test of issue 8: over 100 seeds, the 80% interval covers between 0.7 and 0.9.
// Seeds 0-99 are scored here. The model was developed and checked on seeds 1000-1099
// (fleet_tuning.DISABLED_seeds_1000_to_1099), never on these; its constants (speed_sd,
// speed_memory, tail_speedup) are defaults chosen before either set was scored.
TEST(fleet_migration, the_80_percent_interval_covers_between_70_and_90_percent_over_100_seeds) {
  const migration_spec spec;
  const coverage_score s = score_seeds(spec, 0, 100);
  std::printf("fleet migration, seeds 0-99: %s\n", describe(s).c_str());
  RecordProperty("coverage", std::to_string(s.coverage));
  RecordProperty("mean_q_error", std::to_string(s.mean_q_error));
  EXPECT_EQ(s.unavailable, 0u);
  EXPECT_GE(s.coverage, 0.7);
  EXPECT_LE(s.coverage, 0.9);
  EXPECT_LT(s.mean_q_error, 0.2);
}

// The tuning set. Run it with --gtest_also_run_disabled_tests; JOB_CAP, TAIL, SPEED_SD and
// SPEED_MEM in the environment change the simulation's per-job cap and the fleet's options.
TEST(fleet_tuning, DISABLED_seeds_1000_to_1099) {
  migration_spec spec;
  if (const char* v = std::getenv("JOB_CAP")) spec.job_cap = std::atof(v);
  fleet_options o;
  if (const char* v = std::getenv("TAIL")) o.tail_speedup = std::atof(v);
  if (const char* v = std::getenv("SPEED_SD")) o.speed_sd = std::atof(v);
  if (const char* v = std::getenv("SPEED_MEM")) o.speed_memory = std::atof(v);
  const coverage_score s = score_seeds(spec, 1000, 100, o);
  std::printf("fleet migration, seeds 1000-1099: %s\n", describe(s).c_str());
}

// ---------------------------------------------------------------------------------------------
// Fleets whose answer is exact: every job takes exactly c + k·bytes on its slot, the speed never
// changes, nothing fails. A coordinator runs them by list scheduling, in the queue's order.
struct exact_run {
  double c = 30.0;    // seconds per item
  double k = 1e-7;    // seconds per byte (10 MB/s per slot)
  std::uint32_t slots = 1;
  std::vector<double> sizes;
  fleet_options options;

  double duration(double bytes) const { return c + k * bytes; }

  // Runs until `finished` jobs have finished, returns the fleet and the time then; `end` gets
  // the true end.
  fleet run_until(std::size_t finished, double& now, double& end) const {
    fleet_options o = options;
    o.slots = slots;
    o.speed_sd = 0.0;  // no made-up swings: the speed is constant here
    fleet f(o);
    f.add_items(std::vector<amount>(sizes.begin(), sizes.end()));
    using ev = std::pair<double, std::size_t>;
    std::priority_queue<ev, std::vector<ev>, std::greater<>> q;
    std::size_t next = 0, done = 0;
    auto start = [&](double t) {
      if (next >= sizes.size()) return;
      f.job_started(next, t, static_cast<amount>(sizes[next]));
      q.push({t + duration(sizes[next]), next});
      ++next;
    };
    for (std::uint32_t s = 0; s < slots; ++s) start(0.0);
    now = 0.0;
    bool stopped = false;
    fleet at(o);
    while (!q.empty()) {
      const ev e = q.top();
      q.pop();
      f.job_finished(e.second, e.first);
      ++done;
      start(e.first);
      if (done == finished && !stopped) {
        at = f;
        now = e.first;
        stopped = true;
      }
      end = e.first;
    }
    return stopped ? at : f;
  }
};

std::vector<double> lognormal_sizes(std::size_t n, double sigma, std::uint64_t seed) {
  sim_rng rng(seed);
  std::vector<double> sizes(n);
  for (auto& s : sizes) s = std::round(400e6 * std::exp(sigma * rng.normal()));
  return sizes;
}

TEST(fleet, options_are_validated) {
  auto bad = [](auto change, const char* field) {
    fleet_options o;
    change(o);
    try {
      fleet f(o);
      ADD_FAILURE() << field << " was accepted";
    } catch (const copyeta::options_error& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("[copyeta.options]"), std::string::npos) << e.what();
    }
  };
  bad([](fleet_options& o) { o.slots = 0; }, "slots");
  bad([](fleet_options& o) { o.level = 1.0; }, "level");
  bad([](fleet_options& o) { o.level = 0.0; }, "level");
  bad([](fleet_options& o) { o.level = NAN; }, "level");
  bad([](fleet_options& o) { o.min_finished = 0; }, "min_finished");
  bad([](fleet_options& o) { o.min_blocks = 0; }, "min_blocks");
  bad([](fleet_options& o) { o.block_seconds = 0.0; }, "block_seconds");
  bad([](fleet_options& o) { o.block_seconds = INFINITY; }, "block_seconds");
  bad([](fleet_options& o) { o.max_blocks = 4; }, "max_blocks");
  bad([](fleet_options& o) { o.window_jobs = 8; }, "window_jobs");
  bad([](fleet_options& o) { o.stall_after = -1.0; }, "stall_after");
  bad([](fleet_options& o) { o.stall_jobs = 0.0; }, "stall_jobs");
  bad([](fleet_options& o) { o.speed_sd = -0.1; }, "speed_sd");
  bad([](fleet_options& o) { o.speed_memory = 0.0; }, "speed_memory");
  bad([](fleet_options& o) { o.tail_speedup = 0.5; }, "tail_speedup");
  bad([](fleet_options& o) { o.draws = 8; }, "draws");
  EXPECT_NO_THROW(fleet{fleet_options{}});
}

// One slot: the end is the sum of the work left, whatever the order. The cost model is learned
// exactly, and every draw agrees.
TEST(fleet, one_slot_at_a_constant_speed_is_forecast_exactly) {
  exact_run run;
  run.sizes = lognormal_sizes(400, 1.0, 3);
  double now = 0.0, end = 0.0;
  const fleet f = run.run_until(100, now, end);
  const fleet_estimate e = f.estimate(now + 7.0);  // mid-job
  ASSERT_EQ(e.state, copyeta::state::ok);
  const double truth = end - (now + 7.0);
  EXPECT_NEAR(e.remaining, truth, 1e-6 * truth);
  EXPECT_NEAR(e.lo, truth, 1e-6 * truth);
  EXPECT_NEAR(e.hi, truth, 1e-6 * truth);
  EXPECT_NEAR(*e.seconds_per_item, run.c, 1e-6);
  EXPECT_NEAR(*e.slot_bytes_per_second, 1.0 / run.k, 1e-3);
  EXPECT_EQ(*e.failure_probability, 0.0);
  EXPECT_EQ(e.items_finished, 100u);
  EXPECT_EQ(e.items_running, 1u);
  EXPECT_EQ(e.items_pending, 299u);
}

// Equal jobs on 4 slots with a short queue (scheduled item by item): the end is exact.
TEST(fleet, equal_jobs_on_four_slots_are_forecast_exactly) {
  exact_run run;
  run.slots = 4;
  run.sizes.assign(44, 600e6);
  double now = 0.0, end = 0.0;
  const fleet f = run.run_until(24, now, end);  // 4 running, 16 queued
  const fleet_estimate e = f.estimate(now);
  ASSERT_EQ(e.state, copyeta::state::ok);
  EXPECT_NEAR(e.remaining, end - now, 1e-6 * (end - now));
  EXPECT_NEAR(e.hi - e.lo, 0.0, 1e-6 * (end - now));
}

// Many slots, heavy-tailed sizes, a long queue (the fluid with its largest items placed one by
// one, and the last ones scheduled item by item): the queue's order is unknown to the fleet, so
// the end is random; over 40 orders the median is unbiased and the interval covers.
TEST(fleet, many_slots_heavy_tailed_sizes_are_forecast_without_bias) {
  const std::vector<std::size_t> at{300, 900, 1500, 2100, 2400, 2700};
  std::vector<double> bias(at.size(), 0.0), covered(at.size(), 0.0);
  const int seeds = 40;
  for (int seed = 0; seed < seeds; ++seed) {
    exact_run run;
    run.slots = 30;
    run.sizes = lognormal_sizes(3000, 1.3, static_cast<std::uint64_t>(seed));
    for (std::size_t i = 0; i < at.size(); ++i) {
      double now = 0.0, end = 0.0;
      const fleet f = run.run_until(at[i], now, end);
      const fleet_estimate e = f.estimate(now);
      ASSERT_EQ(e.state, copyeta::state::ok);
      const double truth = end - now;
      bias[i] += std::log(truth / e.remaining) / seeds;
      covered[i] += (e.lo <= truth && truth <= e.hi) ? 1.0 / seeds : 0.0;
    }
  }
  for (std::size_t i = 0; i < at.size(); ++i) {
    std::printf("after %zu jobs: mean ln(truth/forecast) %+.3f, coverage %.2f\n", at[i], bias[i],
                covered[i]);
    EXPECT_LT(std::abs(bias[i]), 0.05) << "after " << at[i] << " jobs";
    EXPECT_GE(covered[i], 0.6) << "after " << at[i] << " jobs";
  }
}

// The fluid (a long queue) against the queue scheduled item by item, on the same fleets: the
// medians and the bounds agree within a few percent, large items included.
TEST(fleet, the_fluid_agrees_with_item_by_item_scheduling) {
  double worst_median = 0.0, worst_bound = 0.0;
  for (int seed = 0; seed < 6; ++seed) {
    exact_run run;
    run.slots = 30;
    run.sizes = lognormal_sizes(3000, 1.3, static_cast<std::uint64_t>(seed));
    for (const std::size_t at : {300, 1500, 2400, 2750, 2820}) {
      double now = 0.0, end = 0.0;
      run.options.itemized_queue = 0;
      const fleet_estimate fluid = run.run_until(at, now, end).estimate(now);
      run.options.itemized_queue = 10'000;
      const fleet_estimate items = run.run_until(at, now, end).estimate(now);
      ASSERT_EQ(fluid.state, copyeta::state::ok);
      worst_median = std::max(worst_median, std::abs(std::log(fluid.remaining / items.remaining)));
      worst_bound = std::max({worst_bound, std::abs(std::log(fluid.lo / items.lo)),
                              std::abs(std::log(fluid.hi / items.hi))});
    }
  }
  std::printf("fluid against item by item: worst |ln ratio| of medians %.3f, of bounds %.3f\n",
              worst_median, worst_bound);
  EXPECT_LT(worst_median, 0.025);
  EXPECT_LT(worst_bound, 0.04);  // the bounds carry more Monte Carlo noise
}

// The end is bounded by the longest job: ten slots, nothing queued, one huge job running.
TEST(fleet, the_longest_running_job_bounds_the_end) {
  exact_run run;
  run.slots = 10;
  run.sizes = lognormal_sizes(200, 0.3, 5);
  run.sizes.push_back(50e9);  // started last, runs 5030 s alone at the end
  double now = 0.0, end = 0.0;
  const fleet f = run.run_until(195, now, end);
  const fleet_estimate e = f.estimate(now);
  ASSERT_EQ(e.state, copyeta::state::ok);
  EXPECT_EQ(e.items_pending, 0u);
  EXPECT_NEAR(e.remaining, end - now, 0.01 * (end - now));
  // The work left spread on ten slots would say a tenth of that.
  EXPECT_GT(e.remaining, 5000.0 - (now - 0.0));
}

// Throughput shared by the slots: with 8 slots each job runs 8 times slower than alone, and the
// fleet's forecast is the same as with one slot, because the aggregate throughput is what
// the fleet measures.
TEST(fleet, slots_sharing_one_throughput_give_the_same_forecast) {
  const std::vector<double> sizes = lognormal_sizes(2000, 0.8, 9);
  double remaining[2];
  double truth[2];
  const std::uint32_t slot_counts[2] = {1, 8};
  for (int i = 0; i < 2; ++i) {
    exact_run run;
    run.slots = slot_counts[i];
    run.c = 2.0 * slot_counts[i];   // the per-item cost shares the same server
    run.k = 1e-8 * slot_counts[i];  // 100 MB/s shared by the slots
    run.sizes = sizes;
    double now = 0.0, end = 0.0;
    const fleet f = run.run_until(500, now, end);
    const fleet_estimate e = f.estimate(now);
    ASSERT_EQ(e.state, copyeta::state::ok);
    remaining[i] = e.remaining;
    truth[i] = end - now;
    // Bytes per second of the whole fleet: the mean size over the time per item, 2 s + its bytes
    // at 100 MB/s.
    double mean_size = 0.0;
    for (double s : sizes) mean_size += s / static_cast<double>(sizes.size());
    EXPECT_NEAR(*e.bytes_per_second / (mean_size / (2.0 + mean_size / 100e6)), 1.0, 0.1)
        << slot_counts[i] << " slots";
  }
  EXPECT_NEAR(remaining[0], truth[0], 1e-6 * truth[0]);
  EXPECT_NEAR(remaining[1] / remaining[0], 1.0, 0.03);
  EXPECT_NEAR(truth[1] / truth[0], 1.0, 0.03);
}

// Progress reports sharpen a running job's residual: one slot, a job that reported half done.
TEST(fleet, progress_of_a_running_job_is_used) {
  exact_run run;
  run.sizes = lognormal_sizes(60, 0.5, 2);
  double now = 0.0, end = 0.0;
  fleet f = run.run_until(40, now, end);
  // Job 40 runs from `now`; report it half done (its per-item time is behind it).
  const double bytes = run.sizes[40];
  const double half = now + run.c + run.k * bytes / 2;
  EXPECT_EQ(f.job_progress(40, half, static_cast<amount>(bytes / 2)), fleet_status::accepted);
  const fleet_estimate e = f.estimate(half);
  EXPECT_NEAR(e.remaining, end - half, 1e-6 * (end - half));
}

// Failures: a failed attempt's item is queued again (unless abandoned), the probability of
// failure is learned, and the work it wastes lengthens the forecast.
TEST(fleet, failed_attempts_are_retried_and_forecast) {
  fleet_options o;
  o.slots = 1;
  o.speed_sd = 0.0;
  fleet f(o);
  const double c = 10.0, k = 1e-7;
  f.add_items(400, 100'000'000);  // 20 s each
  double t = 0.0;
  std::uint64_t id = 0;
  int finished = 0;
  // Every fifth attempt fails halfway: p = 0.2, half of the attempt wasted.
  for (int attempt = 0; attempt < 125; ++attempt) {
    EXPECT_EQ(f.job_started(id, t, 100'000'000), fleet_status::accepted);
    if (attempt % 5 == 4) {
      t += 0.5 * (c + k * 1e8);
      EXPECT_EQ(f.job_failed(id, t), fleet_status::accepted);  // the same id comes back later
    } else {
      t += c + k * 1e8;
      EXPECT_EQ(f.job_finished(id, t), fleet_status::accepted);
      ++finished;
      ++id;
    }
  }
  fleet_estimate e = f.estimate(t);
  ASSERT_EQ(e.state, copyeta::state::ok);
  EXPECT_EQ(e.items_finished, 100u);
  EXPECT_EQ(e.attempts_failed, 25u);
  EXPECT_EQ(e.items_pending, 300u);  // the 25th failed item is queued again
  EXPECT_NEAR(*e.failure_probability, 0.2, 1e-12);
  // 300 items of 20 s, each attempt failing with p = 0.2 and wasting half: 20 s · (1 + 0.5 ·
  // 0.2 / 0.8) per item on average.
  EXPECT_NEAR(e.remaining / (300 * 20.0), 1.125, 0.03);
  EXPECT_GT(e.hi, e.remaining * 1.01);

  // A failure puts the item back in the queue; an abandoned one does not.
  f.job_started(1000, t, 100'000'000);
  f.job_failed(1000, t + 1.0);
  e = f.estimate(t + 1.0);
  EXPECT_EQ(e.items_pending, 300u);
  EXPECT_EQ(e.attempts_failed, 26u);
  f.job_started(1000, t + 1.0, 100'000'000);
  f.job_failed(1000, t + 2.0, /*abandoned=*/true);
  e = f.estimate(t + 2.0);
  EXPECT_EQ(e.items_pending, 299u);
  EXPECT_EQ(e.items_abandoned, 1u);
  EXPECT_EQ(e.attempts_failed, 27u);
}

// The queue: sizes known, sizes known only as a count and a mean, and starts beyond the queue.
TEST(fleet, items_queued_by_count_are_forecast_at_their_mean) {
  fleet_options o;
  o.slots = 1;
  o.speed_sd = 0.0;
  fleet f(o);
  f.add_items({100, 200, 300});
  f.add_items(2, 50);
  f.add_unsized_items(1000, amount{100'000'000});
  fleet_estimate e = f.estimate(0.0);
  EXPECT_EQ(e.state, copyeta::state::warming_up);
  EXPECT_EQ(e.items_pending, 1005u);
  EXPECT_DOUBLE_EQ(e.bytes_pending, 700.0 + 1e11);
  // Starts take a queued item of about their size, else one queued by count.
  f.job_started(1, 0.0, 200);
  f.job_finished(1, 10.0);
  e = f.estimate(10.0);
  EXPECT_EQ(e.items_pending, 1004u);
  EXPECT_DOUBLE_EQ(e.bytes_pending, 500.0 + 1e11);
  double t = 10.0;
  sim_rng rng(4);
  for (std::uint64_t id = 10; id < 110; ++id) {  // unsized items, 50-150 MB: 10 s + 5-15 s
    const double bytes = 1e8 * (0.5 + rng.uniform());
    f.job_started(id, t, static_cast<amount>(bytes));
    t += 10.0 + 1e-7 * bytes;
    f.job_finished(id, t);
  }
  e = f.estimate(t);
  ASSERT_EQ(e.state, copyeta::state::ok);
  EXPECT_EQ(e.items_pending, 904u);
  EXPECT_EQ(f.unplanned_starts(), 0u);
  // 900 unsized items of mean 100 MB (20 s each) and the small known ones (10 s each).
  EXPECT_NEAR(e.remaining, 900 * 20.0 + 4 * 10.0, 0.01 * 18000.0);
  // Their sizes are unknown: the interval is not a point.
  EXPECT_GT(e.hi - e.lo, 0.005 * e.remaining);
  // A start with nothing queued is counted and accepted.
  fleet empty(o);
  EXPECT_EQ(empty.job_started(1, 0.0, 10), fleet_status::accepted);
  EXPECT_EQ(empty.unplanned_starts(), 1u);
}

// Data problems are counted, never thrown.
TEST(fleet, data_problems_are_counted_not_thrown) {
  fleet f;
  EXPECT_EQ(f.job_finished(7, 1.0), fleet_status::unknown_job);
  EXPECT_EQ(f.job_failed(7, 1.0), fleet_status::unknown_job);
  EXPECT_EQ(f.job_progress(7, 1.0, 5), fleet_status::unknown_job);
  EXPECT_EQ(f.job_started(1, NAN, 10), fleet_status::time_not_finite);
  EXPECT_EQ(f.job_started(1, 10.0, 10), fleet_status::accepted);
  EXPECT_EQ(f.job_started(1, 11.0, 10), fleet_status::duplicate_job);
  EXPECT_EQ(f.job_started(2, 5.0, 10), fleet_status::clamped);  // taken as t = 10
  EXPECT_EQ(f.job_finished(2, INFINITY), fleet_status::time_not_finite);
  EXPECT_EQ(f.job_finished(2, 9.0), fleet_status::clamped);
  EXPECT_EQ(f.rejected(), 6u);
  EXPECT_EQ(f.count(fleet_status::unknown_job), 3u);
  EXPECT_EQ(f.count(fleet_status::clamped), 2u);
  const fleet_estimate e = f.estimate(NAN);  // the latest event's time
  EXPECT_EQ(e.t, 10.0);
  EXPECT_EQ(e.items_finished, 1u);
  EXPECT_EQ(e.items_running, 1u);
  EXPECT_EQ(f.unplanned_starts(), 2u);
}

TEST(fleet, states_follow_the_fleet) {
  exact_run run;
  run.slots = 4;
  run.sizes = lognormal_sizes(200, 0.5, 8);
  run.options.min_finished = 20;
  double now = 0.0, end = 0.0;
  EXPECT_EQ(fleet().estimate(0.0).state, copyeta::state::warming_up);
  EXPECT_EQ(run.run_until(10, now, end).estimate(now).state, copyeta::state::warming_up);
  fleet f = run.run_until(100, now, end);
  fleet_estimate e = f.estimate(now);
  EXPECT_EQ(e.state, copyeta::state::ok);
  // Silence: four jobs of about 70 s each run, and nothing happens for 20 minutes.
  const double quiet = now + 1200.0;
  e = f.estimate(quiet);
  EXPECT_EQ(e.state, copyeta::state::stalled);
  EXPECT_EQ(e.stalled_for, 1200.0);
  EXPECT_GE(e.hi, e.remaining + 1200.0);
  // A stall shorter than stall_after is not one.
  EXPECT_EQ(f.estimate(now + 200.0).state, copyeta::state::ok);
  // The end.
  fleet done = run.run_until(200, now, end);
  e = done.estimate(end);
  EXPECT_EQ(e.state, copyeta::state::finished);
  EXPECT_EQ(e.remaining, 0.0);
  EXPECT_EQ(e.items_finished, 200u);
}

// A single long job is not a stall: it is expected to run that long.
TEST(fleet, one_long_job_alone_is_not_a_stall) {
  exact_run run;
  run.slots = 2;
  run.sizes = lognormal_sizes(100, 0.3, 6);
  run.sizes.push_back(100e9);  // 10,030 s
  double now = 0.0, end = 0.0;
  const fleet f = run.run_until(100, now, end);
  const fleet_estimate e = f.estimate(now + 2000.0);
  EXPECT_EQ(e.state, copyeta::state::ok);
  EXPECT_NEAR(e.remaining, end - now - 2000.0, 0.01 * (end - now));
}

// Same events, same estimate, bit for bit; an estimate changes nothing.
TEST(fleet, estimates_are_reproducible) {
  const migration_spec spec = [] {
    migration_spec s;
    s.mailboxes = 2000;
    return s;
  }();
  const migration_result a = simulate_migration(spec, 11);
  const migration_result b = simulate_migration(spec, 11);
  ASSERT_EQ(a.checkpoints.size(), b.checkpoints.size());
  for (std::size_t i = 0; i < a.checkpoints.size(); ++i) {
    EXPECT_EQ(a.checkpoints[i].estimate.remaining, b.checkpoints[i].estimate.remaining);
    EXPECT_EQ(a.checkpoints[i].estimate.lo, b.checkpoints[i].estimate.lo);
    EXPECT_EQ(a.checkpoints[i].estimate.hi, b.checkpoints[i].estimate.hi);
  }
  exact_run run;
  run.slots = 3;
  run.sizes = lognormal_sizes(300, 1.0, 1);
  double now = 0.0, end = 0.0;
  const fleet f = run.run_until(150, now, end);
  const fleet_estimate first = f.estimate(now + 3.0);
  const fleet_estimate again = f.estimate(now + 3.0);
  EXPECT_EQ(first.remaining, again.remaining);
  EXPECT_EQ(first.lo, again.lo);
  EXPECT_EQ(first.hi, again.hi);
}

// A long migration keeps bounded state: the history's blocks merge, and the forecast holds.
TEST(fleet, a_long_history_merges_its_blocks) {
  exact_run run;
  run.sizes = lognormal_sizes(3000, 0.5, 12);
  run.options.block_seconds = 1.0;
  run.options.max_blocks = 16;
  double now = 0.0, end = 0.0;
  const fleet f = run.run_until(2500, now, end);
  const fleet_estimate e = f.estimate(now);
  ASSERT_EQ(e.state, copyeta::state::ok);
  EXPECT_NEAR(e.remaining, end - now, 1e-6 * (end - now));
}

}  // namespace
