// What a migration coordinator pays: one fleet::estimate() (a seeded Monte Carlo over the queue,
// fleet_options::draws paths), and one job's events (started, then finished).
#include <copyeta/fleet.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <deque>
#include <queue>
#include <random>
#include <vector>

namespace {

// A fleet `slots` wide that has finished 2,000 lognormal items (median 300 MB) and still has
// `queued` waiting, fed by a coordinator like examples/fleet.cpp's (20 s plus bytes at 8 MB/s
// per job, ±30%, 3% of attempts failing halfway). Returns the time of the latest event.
double run_until_queue_left(copyeta::fleet& fleet, std::uint32_t slots, std::uint64_t queued) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> size(std::log(300e6), 1.2);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<copyeta::amount> sizes(2000 + queued + slots);
  for (auto& s : sizes) s = static_cast<copyeta::amount>(size(rng));
  fleet.add_items(sizes);

  std::deque<std::uint64_t> queue;
  for (std::uint64_t id = 0; id < sizes.size(); ++id) queue.push_back(id);
  struct job {
    double end;
    std::uint64_t id;
    bool fails;
  };
  auto later = [](const job& a, const job& b) { return a.end > b.end; };
  std::priority_queue<job, std::vector<job>, decltype(later)> running(later);
  auto start = [&](double t) {
    const std::uint64_t id = queue.front();
    queue.pop_front();
    fleet.job_started(id, t, sizes[id]);
    const double d = (20.0 + static_cast<double>(sizes[id]) / 8e6) * (0.7 + 0.6 * u(rng));
    const bool fails = u(rng) < 0.03;
    running.push({t + (fails ? d / 2 : d), id, fails});
  };
  for (std::uint32_t slot = 0; slot < slots; ++slot) start(0.0);
  double t = 0.0;
  while (queue.size() > queued) {
    const job j = running.top();
    running.pop();
    t = j.end;
    if (j.fails) {
      fleet.job_failed(j.id, t);
      queue.push_back(j.id);
    } else {
      fleet.job_finished(j.id, t);
    }
    start(t);
  }
  return t;
}

// fleet::estimate() with `slots` running and `queued` waiting: a queue longer than
// fleet_options::itemized_queue (4 × slots) is poured as a fluid, a shorter one is scheduled
// item by item in every draw.
void fleet_estimate(benchmark::State& state) {
  const auto slots = static_cast<std::uint32_t>(state.range(0));
  const auto queued = static_cast<std::uint64_t>(state.range(1));
  copyeta::fleet_options options;
  options.slots = slots;
  copyeta::fleet fleet(options);
  const double t = run_until_queue_left(fleet, slots, queued);
  if (!fleet.estimate(t).has_remaining()) {
    state.SkipWithError("the fleet gave no forecast");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(fleet.estimate(t));
  }
  state.SetItemsProcessed(state.iterations());
}

// One job's two events, job_started and job_finished, on a fleet with history: the bookkeeping
// per item (queue, cost-model window, throughput blocks).
void fleet_job_events(benchmark::State& state) {
  copyeta::fleet_options options;
  options.slots = 16;
  copyeta::fleet fleet(options);
  double t = run_until_queue_left(fleet, 16, 0);
  std::uint64_t id = std::uint64_t{1} << 40;  // ids the coordinator above never used
  std::uint64_t refused = 0;
  for (auto _ : state) {
    t += 1.0;
    refused += fleet.job_started(id, t, 300'000'000) != copyeta::fleet_status::accepted;
    refused += fleet.job_finished(id, t + 0.5) != copyeta::fleet_status::accepted;
    ++id;
  }
  if (refused != 0) state.SkipWithError("the fleet refused events");
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(fleet_estimate)
    ->ArgNames({"slots", "queued"})
    ->Args({16, 50})
    ->Args({16, 5000})
    ->Args({56, 200})
    ->Args({56, 5000})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(fleet_job_events);

}  // namespace
