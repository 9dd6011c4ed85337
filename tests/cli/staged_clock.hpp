// A clock_source the test moves by hand: sleep() advances both clocks and runs the test's hook
// (which changes a staged /proc tree as time passes); jump_wall() sets the system clock
// forward or back, as an NTP step or an administrator would, without touching the monotonic
// clock.
#pragma once

#include <clock.hpp>

#include <chrono>
#include <functional>

namespace copyeta::cli::testing {

class staged_clock final : public clock_source {
 public:
  // 2026-11-23 12:00:00 UTC: any fixed wall-clock time will do.
  staged_clock() : wall_(wall_clock::time_point(std::chrono::seconds(1795435200))) {}

  monotonic_clock::time_point monotonic() const override {
    return monotonic_clock::time_point(
        std::chrono::duration_cast<monotonic_clock::duration>(std::chrono::duration<double>(t_)));
  }
  wall_clock::time_point wall() const override { return wall_; }
  void sleep(double seconds) const override {
    if (!(seconds > 0.0)) return;
    advance(seconds);
    ++sleeps_;
    if (on_sleep) on_sleep(t_);
  }

  void advance(double seconds) const {
    t_ += seconds;
    wall_ += std::chrono::duration_cast<wall_clock::duration>(std::chrono::duration<double>(seconds));
  }
  void jump_wall(double seconds) const {
    wall_ += std::chrono::duration_cast<wall_clock::duration>(std::chrono::duration<double>(seconds));
  }
  // Seconds on the monotonic clock since the start.
  double t() const { return t_; }
  int sleeps() const { return sleeps_; }

  // Runs after every sleep with the monotonic time.
  std::function<void(double)> on_sleep;

 private:
  mutable double t_ = 100.0;  // a monotonic clock starts anywhere
  mutable wall_clock::time_point wall_;
  mutable int sleeps_ = 0;
};

}  // namespace copyeta::cli::testing
