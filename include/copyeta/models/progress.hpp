// Peer: Xfennec/progress (formerly cv) with -w / --wait.
//
//   per interval between consecutive samples:  r_i = (done_i - done_{i-1}) / (t_i - t_{i-1})
//   rate = mean of the last 10 r_i               remaining = (total - done) / rate
//
// An arithmetic mean of per-interval rates, not amount over time: a slow interval weighs as much
// as a fast one, and intervals without progress (r_i = 0) drag the mean down.
// Source: progress.c, the monitoring loop (byte_diff / (usec_diff / 1e6) fed to add_to_hlist(),
// then get_hlist_average(); ETA = (size - pos) / bytes_per_sec), and hlist.c set_hlist_size()
// (ceil(10 / wait) rates, 10 at the default 1 s wait). Re-implemented, not copied.
//
// Choices:
//  - One interval per pair of consecutive samples, whatever their spacing (progress samples
//    every `wait` seconds; a trace samples as its tool printed).
//  - A sample at the same time as the previous one does not close an interval (no division by
//    a zero dt): its progress is counted in the next interval, which starts from the last sample
//    that closed one.
//  - progress stores rates as `int` and averages in integers; here they are doubles.
//  - Rate unknown (nullopt) until the first interval closes; when the mean falls to 0 (ten
//    intervals without progress) the last positive mean is kept: the ETA freezes (progress
//    itself hides it).
// No interval: lo = hi = remaining.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/frozen_rate.hpp>
#include <copyeta/estimator.hpp>

#include <array>
#include <cstddef>

namespace copyeta::models {

class progress final : public estimator {
 public:
  static constexpr std::size_t rates = 10;  // ceil(10 / wait) with the default 1 s wait

  explicit progress(const estimator_options& options = {});

  std::string_view name() const noexcept override { return "progress"; }

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;

 private:
  bool started_ = false;
  double base_t_ = 0.0;  // where the next interval starts
  amount base_done_ = 0;
  std::array<double, rates> ring_{};
  std::size_t next_ = 0;  // slot the next rate goes to
  std::size_t size_ = 0;
  detail::frozen_rate rate_;  // the freeze rule (detail/frozen_rate.hpp)
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/progress-inl.hpp>
#endif
