// The clocks the CLI reads, behind one interface so that tests can stage what no test can
// arrange for real: the system clock set back an hour while copyeta sleeps.
//
// Every duration, every `t` and every interval is measured on the monotonic clock; the wall
// clock only dates observations for people ("3:30pm") and for `wall` in JSON. A jump of the
// wall clock therefore moves no estimate.
#pragma once

#include <chrono>

namespace copyeta::cli {

using wall_clock = std::chrono::system_clock;
using monotonic_clock = std::chrono::steady_clock;

class clock_source {
 public:
  virtual ~clock_source() = default;
  virtual monotonic_clock::time_point monotonic() const = 0;
  virtual wall_clock::time_point wall() const = 0;
  // Sleeps `seconds` on the monotonic clock; a signal (SIGINT) may cut it short.
  virtual void sleep(double seconds) const = 0;
};

// The system's clocks: CLOCK_MONOTONIC, CLOCK_REALTIME, clock_nanosleep(CLOCK_MONOTONIC).
const clock_source& system_clocks();

// Seconds from `from` to `to` on the monotonic clock.
inline double seconds_between(monotonic_clock::time_point from, monotonic_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace copyeta::cli
