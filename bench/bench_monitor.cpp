// What a copy tool pays per call: monitor::add() for every model, at a tool's two usual rates,
// and shared_monitor::add(), the writer's side of the thread-safe front.
#include <copyeta/models.hpp>
#include <copyeta/monitor.hpp>
#include <copyeta/shared_monitor.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace {

// A copy at 100 MB/s sampled every `dt` seconds, with a little jitter in the amounts.
copyeta::sample sample_every(double dt, std::int64_t i) {
  const double t = dt * static_cast<double>(i);
  const auto done = static_cast<copyeta::amount>(1e8 * t) + static_cast<copyeta::amount>(i % 7);
  return {t, done, copyeta::amount{1} << 50};
}

// monitor::add() with samples `dt` apart: at 10 Hz every sample reaches the model; at 10 kHz
// (a tool calling once per block) most wait for the model's next turn (monitor_options::min_gap).
void monitor_add(benchmark::State& state, const std::string& model, double dt) {
  copyeta::monitor_options options;
  options.model = model;
  copyeta::monitor m(options);
  std::int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m.add(sample_every(dt, i++)));
  }
  state.SetItemsProcessed(state.iterations());
}

// shared_monitor::add() with no reader: the queue is full after 256 samples and the writer
// coalesces, publishing the newest sample under the seqlock at every call (its longest path).
void shared_add_no_reader(benchmark::State& state) {
  copyeta::shared_monitor m;
  std::int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m.add(sample_every(1e-4, i++)));
  }
  state.SetItemsProcessed(state.iterations());
}

// shared_monitor::add() while another thread estimates in a loop, as fast as it can: the queue
// drains all the time, and the two threads share the queue's cache lines.
void shared_add_busy_reader(benchmark::State& state) {
  copyeta::shared_monitor m;
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    double sum = 0.0;
    while (!stop.load(std::memory_order_relaxed)) sum += m.estimate(-1.0).remaining;
    benchmark::DoNotOptimize(sum);
  });
  std::int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m.add(sample_every(1e-4, i++)));
  }
  stop.store(true);
  reader.join();
  state.SetItemsProcessed(state.iterations());
}

const int registered = [] {
  for (const auto name : copyeta::model_names()) {
    const std::string model(name);
    benchmark::RegisterBenchmark(("monitor_add/" + model + "/10Hz").c_str(), monitor_add, model,
                                 0.1);
    benchmark::RegisterBenchmark(("monitor_add/" + model + "/10kHz").c_str(), monitor_add, model,
                                 1e-4);
  }
  benchmark::RegisterBenchmark("shared_add/default/no_reader", shared_add_no_reader);
  benchmark::RegisterBenchmark("shared_add/default/busy_reader", shared_add_busy_reader)
      ->UseRealTime();
  return 0;
}();

}  // namespace
