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

#include "live_bytes.hpp"

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
