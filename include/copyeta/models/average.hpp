// Peer: the average rate since the run started, as pv <= 1.6, curl and wget show it.
//
//   rate = (done - done_0) / (t - t_0)        remaining = (total - done) / rate
//
// (done_0, t_0) is the first sample of the run (after a restart, the first sample after it).
// Sources: curl lib/progress.c Curl_pgrsUpdate() (dlspeed = downloaded / time spent, "Time Left"
// from dlspeed); pv <= 1.6 src/pv/display.c (ETA from bytes so far / elapsed); wget keeps the
// whole-run average on purpose (prior-art.md). Re-implemented from the formula, not copied.
//
// Choices: the rate is that of the latest sample (a screen update); `now` is not used. While
// no time has passed or nothing has moved since the first sample the rate is unknown (nullopt),
// never 0. Within a run `done` never falls, so once positive the rate stays positive; should the
// formula ever give 0 or a non-finite number after a positive rate, the last positive rate is
// kept (the ETA freezes). No interval: lo = hi = remaining.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/frozen_rate.hpp>
#include <copyeta/estimator.hpp>

namespace copyeta::models {

class average final : public estimator {
 public:
  explicit average(const estimator_options& options = {});

  std::string_view name() const noexcept override { return "average"; }

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;

 private:
  bool started_ = false;
  double t0_ = 0.0;
  amount done0_ = 0;
  detail::frozen_rate rate_;  // the freeze rule (detail/frozen_rate.hpp)
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/average-inl.hpp>
#endif
