// add() and a full estimate for every model, and replay throughput, in items per second.
#include <copyeta/models.hpp>
#include <copyeta/replay.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#ifndef NDEBUG
#error "benchmarks measure optimised code: build with -DCMAKE_BUILD_TYPE=Release"
#endif

namespace {

// A copy at 100 MB/s sampled at 10 Hz, with a little jitter so no model takes a shortcut.
copyeta::sample sample_at(std::int64_t i) {
  const double t = 0.1 * static_cast<double>(i);
  const auto done = static_cast<copyeta::amount>(i) * 10'000'000u + static_cast<copyeta::amount>(i % 7) * 1000u;
  return {t, done, copyeta::amount{1} << 50};
}

void add(benchmark::State& state, const std::string& model) {
  auto e = copyeta::make_estimator(model);
  std::int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(e->try_add(sample_at(i++)));
  }
  state.SetItemsProcessed(state.iterations());
}

void estimate(benchmark::State& state, const std::string& model) {
  auto e = copyeta::make_estimator(model);
  const std::int64_t samples = 6000;  // a 10-minute window at 10 Hz
  for (std::int64_t i = 0; i < samples; ++i) e->add(sample_at(i));
  const double now = sample_at(samples - 1).t;
  for (auto _ : state) {
    benchmark::DoNotOptimize(e->estimate(now));
  }
  state.SetItemsProcessed(state.iterations());
}

// A copy of `rows` rows at 10 Hz with a noisy rate (5 to 13 MB a row, about 90 MB/s), as a
// copy tool would record it; it finishes at the last row.
copyeta::trace synthetic_trace(std::size_t rows) {
  copyeta::trace trace;
  trace.name = "synthetic";
  trace.rows.resize(rows);
  std::uint64_t state = 12345;
  copyeta::amount done = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    done += 5'000'000u + (state >> 41);
    copyeta::trace_row& row = trace.rows[i];
    row.line = i + 2;
    row.t = 0.1 * static_cast<double>(i);
    row.done = done;
  }
  for (copyeta::trace_row& row : trace.rows) row.total = done;
  return trace;
}

// copyeta::replay over a 10^6-row trace: every row is added and estimated, with its interval.
void replay(benchmark::State& state, const std::string& model) {
  const copyeta::trace trace = synthetic_trace(1'000'000);
  copyeta::monitor_options options;
  options.model = model;
  for (auto _ : state) {
    double sum = 0.0;
    copyeta::replay(trace, options, [&sum](std::size_t, const copyeta::replay_row& row) {
      sum += row.estimate.remaining;
    });
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(trace.rows.size()));
}

const int registered = [] {
  for (const auto name : copyeta::model_names()) {
    const std::string model(name);
    benchmark::RegisterBenchmark(("add/" + model).c_str(), add, model);
    benchmark::RegisterBenchmark(("estimate/" + model).c_str(), estimate, model);
  }
  for (const auto name : copyeta::model_names()) {
    const std::string model(name);
    benchmark::RegisterBenchmark(("replay/" + model).c_str(), replay, model)
        ->Unit(benchmark::kMillisecond);
  }
  return 0;
}();

}  // namespace

BENCHMARK_MAIN();
