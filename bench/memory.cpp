// The bytes a monitor holds after N samples, at a given sample rate: sizeof(monitor) plus every
// heap byte it owns, counted by this program's replacement of the global operator new/delete
// (live bytes, by malloc_usable_size, so malloc's rounding is included).
//
//   memory [--models default,kalman] [--rates 10,10000] [--samples 1000,100000000]
//
// prints one JSON object a line: {"model", "front", "rate_hz", "samples", "object", "heap",
// "bytes"}. Without arguments: every model and the shared_monitor front, at 10 Hz and 10 kHz,
// after 10^3 and 10^6 samples. scripts/bench runs it up to 10^8 samples for docs/PERFORMANCE.md.
#include <copyeta/models.hpp>
#include <copyeta/monitor.hpp>
#include <copyeta/shared_monitor.hpp>

#include <fmt/format.h>

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace {

long long live_bytes = 0;  // heap bytes currently allocated through operator new

void* counted_new(std::size_t size, std::size_t alignment = 0) {
  if (size == 0) size = 1;
  void* p = alignment > alignof(std::max_align_t)
                ? std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment)
                : std::malloc(size);
  if (!p) throw std::bad_alloc();
  live_bytes += static_cast<long long>(malloc_usable_size(p));
  return p;
}

void counted_delete(void* p) noexcept {
  if (!p) return;
  live_bytes -= static_cast<long long>(malloc_usable_size(p));
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return counted_new(size); }
void* operator new[](std::size_t size) { return counted_new(size); }
void* operator new(std::size_t size, std::align_val_t a) {
  return counted_new(size, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t size, std::align_val_t a) {
  return counted_new(size, static_cast<std::size_t>(a));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted_new(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept { counted_delete(p); }
void operator delete[](void* p) noexcept { counted_delete(p); }
void operator delete(void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete(void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { counted_delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_delete(p); }

namespace {

// A copy at about 100 MB/s that reports `rate_hz` times a second, with noisy amounts, a rate
// that changes every 100,000 samples, and a stall of 500 samples every 250,000. The total is
// out of reach, so the copy never finishes.
class copy_stream {
 public:
  explicit copy_stream(double rate_hz) : dt_(1.0 / rate_hz) {}

  copyeta::sample next() noexcept {
    ++i_;
    if (i_ % 100'000 == 0) speed_ = speed_ > 1e8 ? 5e7 : 2e8;
    const bool stalled = i_ % 250'000 < 500;
    if (!stalled) done_ += static_cast<copyeta::amount>(speed_ * dt_ * (0.7 + 0.6 * uniform()));
    return {static_cast<double>(i_) * dt_, done_, copyeta::amount{1} << 62};
  }

  double t() const noexcept { return static_cast<double>(i_) * dt_; }

 private:
  double uniform() noexcept {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) * 0x1p-53;
  }
  double dt_;
  double speed_ = 1e8;
  std::uint64_t i_ = 0;
  std::uint64_t state_ = 20240611;
  copyeta::amount done_ = 0;
};

template <class T>
std::vector<T> parse_list(const std::string& text) {
  std::vector<T> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    if constexpr (std::is_same_v<T, std::string>) {
      out.push_back(item);
    } else {
      out.push_back(static_cast<T>(std::stod(item)));
    }
  }
  return out;
}

// Feeds one monitor up to each checkpoint and prints what it holds there. A display estimates
// every 10,000 samples, and at each checkpoint, so that anything built for estimates counts.
template <class Front, class Options>
void measure(const std::string& model, const char* front, const Options& options, double rate_hz,
             const std::vector<std::uint64_t>& checkpoints) {
  {
    // Builds whatever is made once per process (the shipped calibration), so it is not counted.
    Front warm(options);
    copy_stream stream(rate_hz);
    for (int i = 0; i < 100; ++i) warm.add(stream.next());
    warm.estimate(stream.t());
  }
  const long long before = live_bytes;
  auto m = std::make_unique<Front>(options);
  const auto own_block = static_cast<long long>(malloc_usable_size(m.get()));
  copy_stream stream(rate_hz);
  std::uint64_t added = 0;
  for (const std::uint64_t checkpoint : checkpoints) {
    for (; added < checkpoint; ++added) {
      m->add(stream.next());
      if (added % 10'000 == 9'999) m->estimate(stream.t());
    }
    m->estimate(stream.t());
    const long long heap = live_bytes - before - own_block;
    fmt::print(R"({{"model": "{}", "front": "{}", "rate_hz": {}, "samples": {}, "object": {}, )"
               R"("heap": {}, "bytes": {}}})"
               "\n",
               model, front, rate_hz, checkpoint, sizeof(Front), heap,
               static_cast<long long>(sizeof(Front)) + heap);
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> models;
  for (const auto name : copyeta::model_names()) models.emplace_back(name);
  std::vector<double> rates{10.0, 10'000.0};
  std::vector<std::uint64_t> checkpoints{1'000, 1'000'000};
  bool shared = true;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--models") {
      models = parse_list<std::string>(argv[i + 1]);
    } else if (flag == "--rates") {
      rates = parse_list<double>(argv[i + 1]);
    } else if (flag == "--samples") {
      checkpoints = parse_list<std::uint64_t>(argv[i + 1]);
    } else if (flag == "--shared") {
      shared = std::string(argv[i + 1]) != "0";
    } else {
      fmt::print(stderr, "memory: unknown option {}\n", flag);
      return 2;
    }
  }
  if ((argc - 1) % 2 != 0) {
    fmt::print(stderr, "usage: memory [--models a,b] [--rates 10,10000] [--samples 1000,1e8] "
                       "[--shared 0|1]\n");
    return 2;
  }
  std::sort(checkpoints.begin(), checkpoints.end());
  for (const double rate : rates) {
    for (const std::string& model : models) {
      copyeta::monitor_options options;
      options.model = model;
      measure<copyeta::monitor>(model, "monitor", options, rate, checkpoints);
    }
    if (shared) {
      copyeta::shared_monitor_options options;
      measure<copyeta::shared_monitor>("default", "shared_monitor", options, rate, checkpoints);
    }
  }
  return 0;
}
