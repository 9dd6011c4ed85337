// add() and a full estimate for every model, in items per second.
#include <copyeta/models.hpp>

#include <benchmark/benchmark.h>

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

const int registered = [] {
  for (const auto name : copyeta::model_names()) {
    const std::string model(name);
    benchmark::RegisterBenchmark(("add/" + model).c_str(), add, model);
    benchmark::RegisterBenchmark(("estimate/" + model).c_str(), estimate, model);
  }
  return 0;
}();

}  // namespace

BENCHMARK_MAIN();
