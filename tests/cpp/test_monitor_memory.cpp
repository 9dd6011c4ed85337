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

#include "live_bytes.hpp"


#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace {

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
