// Formatting an estimate for people and programs: the status line, the finish, the remaining
// time, a duration, and (with the CLI built) the JSON line of `--jsonl`.
#include <copyeta/estimate.hpp>
#include <copyeta/format.hpp>

#ifdef COPYETA_BENCH_JSON
#include "jsonl.hpp"
#endif

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

namespace {

// An estimate as a display sees it mid-copy: 57% done, an interval, a rate and a shift.
copyeta::estimate typical_estimate() {
  copyeta::estimate e;
  e.state = copyeta::state::ok;
  e.t = 5025.5;
  e.done = 570'000'000'000;
  e.total = 1'000'000'000'000;
  e.remaining = 4321.0;
  e.lo = 3100.0;
  e.hi = 6900.0;
  e.level = 0.8;
  e.rate = 9.95e7;
  e.shift = copyeta::rate_shift{4000.0, 0.45, 0.25};
  return e;
}

// A fixed wall clock, so every run formats the same text.
const std::chrono::system_clock::time_point wall{std::chrono::seconds(1'790'000'000)};

void format_status(benchmark::State& state) {
  const copyeta::estimate e = typical_estimate();
  for (auto _ : state) {
    std::string line = copyeta::format_status(e, wall);
    benchmark::DoNotOptimize(line.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void format_finish(benchmark::State& state) {
  const copyeta::estimate e = typical_estimate();
  for (auto _ : state) {
    std::string line = copyeta::format_finish(e, wall);
    benchmark::DoNotOptimize(line.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void format_remaining(benchmark::State& state) {
  const copyeta::estimate e = typical_estimate();
  for (auto _ : state) {
    std::string line = copyeta::format_remaining(e);
    benchmark::DoNotOptimize(line.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void format_duration(benchmark::State& state) {
  double seconds = 4821.0;
  for (auto _ : state) {
    std::string text = copyeta::format_duration(seconds);
    benchmark::DoNotOptimize(text.data());
    seconds += 1.0;  // a different duration every call
    if (seconds > 400'000.0) seconds = 4821.0;
  }
  state.SetItemsProcessed(state.iterations());
}

#ifdef COPYETA_BENCH_JSON
// One line of `copyeta ... --jsonl`: the object built and serialised.
void format_json(benchmark::State& state) {
  const copyeta::estimate e = typical_estimate();
  for (auto _ : state) {
    std::string line = copyeta::cli::estimate_json(e).dump();
    benchmark::DoNotOptimize(line.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(format_json);
#endif

BENCHMARK(format_status);
BENCHMARK(format_finish);
BENCHMARK(format_remaining);
BENCHMARK(format_duration);

}  // namespace
