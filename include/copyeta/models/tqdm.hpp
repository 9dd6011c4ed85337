// Peer: tqdm (>= 4.x) with its default smoothing of 0.3.
//
//   on a sample with dn = done - last_print_n > 0 and dt = t - last_print_t > 0:
//     EMA_n <- 0.3 dn + 0.7 EMA_n,  EMA_t <- 0.3 dt + 0.7 EMA_t,  calls += 1,
//     last_print_n, last_print_t <- done, t
//   rate = (EMA_n / (1 - 0.7^calls)) / (EMA_t / (1 - 0.7^calls))   (bias-corrected EMAs)
//   remaining = (total - done) / rate
//
// Source: tqdm/std.py, class EMA (x fed as alpha x + beta last, read as last / (1 - beta^calls)),
// tqdm.update() (both EMAs fed only when dt and dn are non-zero, then last_print_n/t moved on),
// tqdm.format_dict (rate = ema_dn() / ema_dt()) and format_meter() (remaining = (total - n) /
// rate). Re-implemented, not copied; tests/python/test_tqdm_peer.py checks it against tqdm's EMA.
//
// Choices:
//  - The first sample of the run plays tqdm's construction: last_print_n/t start there.
//  - A sample without progress changes nothing, so the next dt spans the stall. A sample with
//    progress but dt = 0 changes nothing either (tqdm's mininterval would not print it); its
//    progress is counted at the next sample with dt > 0.
//  - tqdm's mininterval/miniters throttling is not applied: every sample with progress is a
//    screen update. Before the first update tqdm shows the average since start; here the rate
//    is unknown (nullopt) until the first EMA update.
//  - The EMAs only move on progress, so the rate never falls to 0: the ETA freezes during a
//    stall, as tqdm's does. A non-finite rate would keep the last finite positive one.
// No interval: lo = hi = remaining.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/frozen_rate.hpp>
#include <copyeta/estimator.hpp>

#include <cstdint>

namespace copyeta::models {

class tqdm final : public estimator {
 public:
  static constexpr double smoothing = 0.3;

  explicit tqdm(const estimator_options& options = {});

  std::string_view name() const noexcept override { return "tqdm"; }

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;

 private:
  bool started_ = false;
  double last_print_t_ = 0.0;
  amount last_print_n_ = 0;
  double ema_dn_ = 0.0;  // the raw EMA values (tqdm's EMA.last)
  double ema_dt_ = 0.0;
  std::uint64_t calls_ = 0;
  detail::frozen_rate rate_;  // the freeze rule (detail/frozen_rate.hpp)
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/tqdm-inl.hpp>
#endif
