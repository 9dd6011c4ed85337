// Seeded synthetic copies whose true finish is known, and a scorer that follows metrics.md, for
// the components' known-answer tests ("over 200 seeded runs per scenario ...").
//
// Every scenario runs a base rate of 1 MB/s with multiplicative per-second noise (log-sd 0.1),
// sampled once a second unless the scenario says otherwise, for a total of 300 MB (about five
// minutes). The truth is the simulated finish time, so R_i = end - t_i exactly.
#pragma once

#include <copyeta/estimator.hpp>
#include <copyeta/sample.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace copyeta::testing {

enum class scenario {
  constant,            // steady rate with small noise
  step_change,         // the rate falls 4x when half the bytes are done
  slow_drift,          // the rate decays linearly to half over the copy
  bursts,              // 10-s blocks: either 2.5x the rate or nothing, 1 MB/s on average
  stall,               // a 60-s stall at 40%: samples keep coming and show no progress
  outliers,            // 2% of seconds move 5x the bytes (cache flushes), rest steady
  changing_total,      // the total grows from 30% to 100% over the first quarter (a scan)
  irregular_sampling,  // samples at exponential gaps (mean 2 s) and three 30-s silences
};

inline constexpr scenario all_scenarios[] = {
    scenario::constant, scenario::step_change,    scenario::slow_drift,
    scenario::bursts,   scenario::stall,          scenario::outliers,
    scenario::changing_total, scenario::irregular_sampling};

inline std::string_view to_string(scenario s) {
  switch (s) {
    case scenario::constant: return "constant";
    case scenario::step_change: return "step_change";
    case scenario::slow_drift: return "slow_drift";
    case scenario::bursts: return "bursts";
    case scenario::stall: return "stall";
    case scenario::outliers: return "outliers";
    case scenario::changing_total: return "changing_total";
    case scenario::irregular_sampling: return "irregular_sampling";
  }
  return "?";
}

struct synthetic_run {
  std::vector<sample> samples;  // what the estimator is fed; the last one is the finish
  double end = 0.0;             // the true finish time
  amount total = 0;             // the final total
};

inline synthetic_run make_run(scenario kind, std::uint32_t seed) {
  constexpr double rate = 1e6;
  constexpr double total = 300e6;
  constexpr double sigma = 0.1;
  std::mt19937_64 rng(seed * 7919u + static_cast<std::uint32_t>(kind));
  std::normal_distribution<double> noise(0.0, sigma);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::exponential_distribution<double> gap(0.5);

  // The true progress path, at a fine time step, as a function the sampler reads.
  constexpr double dt = 0.1;
  std::vector<double> path{0.0};  // done at k * dt
  double burst_on = 1.0;
  bool stall_started = false;
  double stall_left = 0.0;  // seconds of stall still to run
  double second_factor = 1.0;
  for (std::size_t k = 0; path.back() < total; ++k) {
    const double done = path.back();
    if (k % 10 == 0) {  // a new second: new noise, new outlier draw
      second_factor = std::exp(noise(rng) - sigma * sigma / 2.0);
      if (kind == scenario::outliers && uniform(rng) < 0.02) second_factor *= 5.0;
    }
    if (kind == scenario::bursts && k % 100 == 0) burst_on = uniform(rng) < 0.4 ? 2.5 : 0.0;
    double r = rate * second_factor;
    switch (kind) {
      case scenario::step_change:
        if (done >= 0.5 * total) r *= 0.25;
        break;
      case scenario::slow_drift:
        r *= 1.0 - 0.5 * done / total;
        break;
      case scenario::bursts:
        r *= burst_on;
        break;
      case scenario::stall:
        if (!stall_started && done >= 0.4 * total) {
          stall_started = true;
          stall_left = 60.0;
        }
        if (stall_left > 0.0) {
          r = 0.0;
          stall_left -= dt;
        }
        break;
      default:
        break;
    }
    path.push_back(std::min(total, done + r * dt));
  }
  const double end = static_cast<double>(path.size() - 1) * dt;

  synthetic_run run;
  run.end = end;
  run.total = static_cast<amount>(total);
  const auto done_at = [&](double t) {
    const auto k = std::min(path.size() - 1, static_cast<std::size_t>(std::floor(t / dt + 1e-9)));
    return static_cast<amount>(path[k]);
  };
  const auto total_at = [&](double t) {
    if (kind != scenario::changing_total) return static_cast<amount>(total);
    const double share = std::min(1.0, 0.3 + 0.7 * t / (0.25 * end));
    return std::max(done_at(t), static_cast<amount>(share * total));
  };

  std::vector<double> times;
  if (kind == scenario::irregular_sampling) {
    std::vector<double> silences{0.2 * end, 0.5 * end, 0.75 * end};
    for (double t = 0.0; t < end; t += std::min(gap(rng), 20.0)) {
      const bool silent = std::any_of(silences.begin(), silences.end(),
                                      [t](double s) { return t >= s && t < s + 30.0; });
      if (!silent) times.push_back(t);
    }
  } else {
    for (double t = 0.0; t < end; t += 1.0) times.push_back(t);
  }
  for (double t : times) run.samples.push_back({t, done_at(t), total_at(t)});
  run.samples.push_back({end, run.total, run.total});
  return run;
}

struct scenario_score {
  double median_q_error = 0.0;  // median over runs of each run's median q-error
  double coverage = 0.0;        // mean over runs of each run's coverage
  double availability = 0.0;    // share of scored samples with a prediction
  std::size_t scored = 0;       // scored samples over all runs
};

inline double median_of(std::vector<double> v) {
  if (v.empty()) return 0.0;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) return *mid;
  return 0.5 * (*mid + *std::max_element(v.begin(), mid));
}

// Replays `seeds` runs of a scenario, each through a fresh estimator from `make()`, and scores
// the samples with 5%..95% of the final total done and t < end, as metrics.md does.
// `from_fraction` raises the 5% floor for scenarios whose early part cannot be forecast.
template <class Factory>
scenario_score score_scenario(scenario kind, Factory make, int seeds = 200,
                              double from_fraction = 0.05) {
  std::vector<double> run_q;
  double coverage_sum = 0.0;
  std::size_t runs_with_predictions = 0;
  std::size_t predicted = 0;
  scenario_score score;
  for (int seed = 0; seed < seeds; ++seed) {
    const synthetic_run run = make_run(kind, static_cast<std::uint32_t>(seed));
    auto model = make();
    std::vector<double> q;
    std::size_t covered = 0;
    for (const sample& s : run.samples) {
      model->add(s);
      const double fraction = static_cast<double>(s.done) / static_cast<double>(run.total);
      if (fraction < from_fraction || fraction > 0.95 || !(s.t < run.end)) continue;
      ++score.scored;
      const estimate e = model->estimate(s.t);
      if (!e.has_remaining() || e.state == state::finished) continue;
      ++predicted;
      const double truth = run.end - s.t;
      q.push_back(std::abs(std::log(std::max(e.remaining, 1e-3) / truth)));
      if (e.lo <= truth && truth <= e.hi) ++covered;
    }
    if (q.empty()) continue;
    ++runs_with_predictions;
    run_q.push_back(median_of(q));
    coverage_sum += static_cast<double>(covered) / static_cast<double>(q.size());
  }
  score.median_q_error = median_of(run_q);
  score.coverage = runs_with_predictions ? coverage_sum / static_cast<double>(runs_with_predictions) : 0.0;
  score.availability = score.scored ? static_cast<double>(predicted) / static_cast<double>(score.scored) : 0.0;
  return score;
}

// What a model must reach on a scenario: the median q-error and the 80% coverage of
// score_scenario() over 200 seeds, scored from `from_fraction`, and availability of 0.99.
struct scenario_bounds {
  scenario kind;
  double from_fraction;
  double max_q_error;
  double min_coverage;
  double max_coverage;
};

template <class Factory>
void expect_within(const scenario_bounds& b, Factory make) {
  const scenario_score s = score_scenario(b.kind, make, 200, b.from_fraction);
  SCOPED_TRACE(std::string(to_string(b.kind)));
  EXPECT_LE(s.median_q_error, b.max_q_error);
  EXPECT_GE(s.coverage, b.min_coverage);
  EXPECT_LE(s.coverage, b.max_coverage);
  EXPECT_GE(s.availability, 0.99);
}

}  // namespace copyeta::testing
