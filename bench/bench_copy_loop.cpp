// The overhead a copy tool pays: a loop copying a 1 GiB buffer in 64 KiB blocks with memcpy,
// with and without a call to the monitor per block, measured in the same run. Three loops each
// copy the whole buffer in every iteration:
//   memcpy   memcpy alone;
//   clock    memcpy and a read of std::chrono::steady_clock per block (the time a sample needs,
//            which a tool may read anyway);
//   monitor  memcpy, the clock and monitor add() per block.
// So that the three see the same machine (other processes compete for memory bandwidth on a
// shared one), they take turns every 16 MiB, in rotating order and on segments far apart (no
// loop finds another's data in the cache), and each is timed by the thread's CPU time
// (CLOCK_THREAD_CPUTIME_ID), so that time spent preempted counts for none of them. Counters,
// medians over the iterations:
//   overhead_pct      (monitor / memcpy - 1) in percent: the clock read and add();
//   add_overhead_pct  (monitor / clock - 1) in percent: add() alone.
// The reported time and items (blocks) per second are the monitor loop's.
#include <copyeta/monitor.hpp>
#include <copyeta/shared_monitor.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include <time.h>

namespace {

constexpr std::size_t buffer_bytes = std::size_t{1} << 30;
constexpr std::size_t block_bytes = std::size_t{64} << 10;
constexpr std::size_t blocks = buffer_bytes / block_bytes;

using clock_type = std::chrono::steady_clock;

struct buffers {
  std::unique_ptr<char[]> from{new char[buffer_bytes]};
  std::unique_ptr<char[]> to{new char[buffer_bytes]};
  // Touch every page once, so that no loop pays for page faults.
  buffers() {
    std::memset(from.get(), 0x5a, buffer_bytes);
    std::memset(to.get(), 0, buffer_bytes);
  }
};

buffers& shared_buffers() {
  static buffers b;
  return b;
}

double seconds_since(clock_type::time_point start, clock_type::time_point now) {
  return std::chrono::duration<double>(now - start).count();
}

double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

constexpr std::size_t segments = 64;  // of 16 MiB: the loops take turns at each
constexpr std::size_t segment_blocks = blocks / segments;

char* block_at(const std::unique_ptr<char[]>& buffer, std::size_t segment, std::size_t i) {
  return buffer.get() + (segment * segment_blocks + i) * block_bytes;
}

double copy_memcpy(buffers& b, std::size_t segment) {
  const double start = thread_seconds();
  for (std::size_t i = 0; i < segment_blocks; ++i) {
    std::memcpy(block_at(b.to, segment, i), block_at(b.from, segment, i), block_bytes);
  }
  benchmark::ClobberMemory();
  return thread_seconds() - start;
}

// The clock's value is kept, so that reading it is not optimised out.
double copy_clock(buffers& b, std::size_t segment, clock_type::time_point epoch, double& latest) {
  const double start = thread_seconds();
  for (std::size_t i = 0; i < segment_blocks; ++i) {
    std::memcpy(block_at(b.to, segment, i), block_at(b.from, segment, i), block_bytes);
    latest = seconds_since(epoch, clock_type::now());
    benchmark::DoNotOptimize(latest);
  }
  benchmark::ClobberMemory();
  return thread_seconds() - start;
}

// `done` carries on across segments and iterations, so the monitor sees one long copy.
template <class Monitor>
double copy_monitor(buffers& b, std::size_t segment, Monitor& m, clock_type::time_point epoch,
                    copyeta::amount& done) {
  const double start = thread_seconds();
  for (std::size_t i = 0; i < segment_blocks; ++i) {
    std::memcpy(block_at(b.to, segment, i), block_at(b.from, segment, i), block_bytes);
    done += block_bytes;
    m.add({seconds_since(epoch, clock_type::now()), done, copyeta::amount{1} << 50});
  }
  benchmark::ClobberMemory();
  return thread_seconds() - start;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  if (n == 0) return 0.0;
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

template <class Monitor>
void run_loops(benchmark::State& state, Monitor& m) {
  buffers& b = shared_buffers();
  const auto epoch = clock_type::now();
  copyeta::amount done = 0;
  double latest = 0.0;
  std::vector<double> over_memcpy;
  std::vector<double> over_clock;
  double memcpy_total = 0.0;
  double clock_total = 0.0;
  std::size_t turn = 0;
  for (auto _ : state) {
    std::array<double, 3> seconds{};  // memcpy, clock, monitor: each the whole buffer
    for (std::size_t step = 0; step < segments; ++step, ++turn) {
      for (std::size_t k = 0; k < 3; ++k) {
        const std::size_t loop = (turn + k) % 3;
        const std::size_t segment = (step + loop * (segments / 3)) % segments;
        if (loop == 0) seconds[0] += copy_memcpy(b, segment);
        if (loop == 1) seconds[1] += copy_clock(b, segment, epoch, latest);
        if (loop == 2) seconds[2] += copy_monitor(b, segment, m, epoch, done);
      }
    }
    state.SetIterationTime(seconds[2]);
    over_memcpy.push_back(seconds[2] / seconds[0]);
    over_clock.push_back(seconds[2] / seconds[1]);
    memcpy_total += seconds[0];
    clock_total += seconds[1];
  }
  const auto n = static_cast<double>(over_memcpy.size());
  state.counters["overhead_pct"] = (median(over_memcpy) - 1.0) * 100.0;
  state.counters["add_overhead_pct"] = (median(over_clock) - 1.0) * 100.0;
  state.counters["memcpy_blocks_per_second"] =
      static_cast<double>(blocks) * n / std::max(memcpy_total, 1e-9);
  state.counters["clock_blocks_per_second"] =
      static_cast<double>(blocks) * n / std::max(clock_total, 1e-9);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(blocks));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(buffer_bytes));
}

void copy_loop_monitor(benchmark::State& state) {
  copyeta::monitor m;
  run_loops(state, m);
}

// The thread-safe front, with a display thread asking for an estimate 10 times a second.
void copy_loop_shared_monitor(benchmark::State& state) {
  copyeta::shared_monitor m;
  std::atomic<bool> stop{false};
  std::thread display([&] {
    double sum = 0.0;
    while (!stop.load(std::memory_order_relaxed)) {
      sum += m.estimate(std::nan("")).remaining;  // at the latest sample's time
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    benchmark::DoNotOptimize(sum);
  });
  run_loops(state, m);
  stop.store(true);
  display.join();
}

BENCHMARK(copy_loop_monitor)->Name("copy_loop/monitor")->UseManualTime()->Iterations(10)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(copy_loop_shared_monitor)->Name("copy_loop/shared_monitor")->UseManualTime()
    ->Iterations(10)->Unit(benchmark::kMillisecond);

}  // namespace
