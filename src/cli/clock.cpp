#include "clock.hpp"

#include <ctime>

namespace copyeta::cli {
namespace {

class system_clock_source final : public clock_source {
 public:
  monotonic_clock::time_point monotonic() const override { return monotonic_clock::now(); }
  wall_clock::time_point wall() const override { return wall_clock::now(); }
  void sleep(double seconds) const override {
    if (!(seconds > 0.0)) return;
    timespec ts{};
    ts.tv_sec = static_cast<std::time_t>(seconds);
    ts.tv_nsec = static_cast<long>((seconds - static_cast<double>(ts.tv_sec)) * 1e9);
    // Relative, on the monotonic clock: a jump of the system clock neither shortens nor
    // lengthens it. EINTR (SIGINT) ends it early, which is what the callers want.
    ::clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, nullptr);
  }
};

}  // namespace

const clock_source& system_clocks() {
  static const system_clock_source clocks;
  return clocks;
}

}  // namespace copyeta::cli
