// The memory rule: what a monitor holds depends neither on how long the copy runs nor
// on how often it reports. The bytes (sizeof(monitor) plus every heap byte it owns) are the
// same after 10^4 and 10^6 samples, at 10 Hz and at 10 kHz, and at most 64 KiB. bench/memory
// prints the figures up to 10^8 samples (scripts/bench).
//
// A program of its own (tests/cpp/CMakeLists.txt): it replaces the global operator new/delete
// to count live heap bytes, as malloc_usable_size gives them, so malloc's rounding is included.
#include <copyeta/models.hpp>
#include <copyeta/monitor.hpp>
#include <copyeta/shared_monitor.hpp>

#include <gtest/gtest.h>

#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace {

long long live_bytes = 0;  // heap bytes allocated through operator new and not yet freed

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

// A copy at about 100 MB/s reporting `rate_hz` times a second, with noisy amounts, a rate that
// changes every 100,000 samples and a stall every 250,000 (the same stream as bench/memory).
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

struct footprint {
  long long after_10k = 0;
  long long after_1m = 0;
};

// The bytes a `Front` (monitor or shared_monitor) holds after 10^4 and 10^6 samples: sizeof
// plus the heap it owns. A display estimates every 1000 samples.
template <class Front, class Options>
footprint measure(const Options& options, double rate_hz) {
  {
    // What is built once per process (the shipped calibration) is not the monitor's.
    Front warm(options);
    copy_stream stream(rate_hz);
    for (int i = 0; i < 100; ++i) warm.add(stream.next());
    warm.estimate(stream.t());
  }
  footprint f;
  const long long before = live_bytes;
  auto m = std::make_unique<Front>(options);
  // The object's own block counts as sizeof(Front): the rest is what it owns.
  const long long own = static_cast<long long>(sizeof(Front)) -
                        static_cast<long long>(malloc_usable_size(m.get()));
  copy_stream stream(rate_hz);
  for (int i = 1; i <= 1'000'000; ++i) {
    m->add(stream.next());
    if (i % 1000 == 0) m->estimate(stream.t());
    if (i == 10'000) f.after_10k = live_bytes - before + own;
  }
  f.after_1m = live_bytes - before + own;
  return f;
}

constexpr long long budget = 64 * 1024;

class monitor_memory : public ::testing::TestWithParam<std::string> {};

TEST_P(monitor_memory, is_the_same_after_a_hundred_times_more_samples) {
  copyeta::monitor_options options;
  options.model = GetParam();
  for (const double rate_hz : {10.0, 10'000.0}) {
    const footprint f = measure<copyeta::monitor>(options, rate_hz);
    SCOPED_TRACE(rate_hz);
    RecordProperty(GetParam() + "_bytes_at_" + std::to_string(int(rate_hz)) + "_Hz",
                   std::to_string(f.after_1m));
    EXPECT_GT(f.after_10k, static_cast<long long>(sizeof(copyeta::monitor)));  // the model
    EXPECT_EQ(f.after_1m, f.after_10k);
    EXPECT_LE(f.after_1m, budget);
  }
}

std::vector<std::string> every_model() {
  const auto& names = copyeta::model_names();
  return {names.begin(), names.end()};
}

INSTANTIATE_TEST_SUITE_P(every_model, monitor_memory, ::testing::ValuesIn(every_model()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(shared_monitor_memory, is_the_same_after_a_hundred_times_more_samples) {
  for (const double rate_hz : {10.0, 10'000.0}) {
    const copyeta::shared_monitor_options options;
    const footprint f = measure<copyeta::shared_monitor>(options, rate_hz);
    SCOPED_TRACE(rate_hz);
    EXPECT_EQ(f.after_1m, f.after_10k);
    EXPECT_LE(f.after_1m, budget);
  }
}

}  // namespace
