// Peer: rsync --progress.
//
//   5 history slots, all set to the run's first sample; a sample at least 1 s after the newest
//   slot overwrites the oldest slot (which becomes the newest) and is printed with
//   rate = (done - done_oldest) / (t - t_oldest)      (oldest of the slots after the update)
//   remaining = (total - done) / rate
//
// So the rate spans the last four >= 1 s steps, or back to the start while fewer have been taken.
// Source: rsync progress.c, PROGRESS_HISTORY_SECS = 5, show_progress() (the slot update; a call
// less than 1000 ms after the newest slot returns without printing) and rprint_progress() (rate
// from ph_list[oldest_hpos] to now, remain = (size - ofs) / rate). Re-implemented, not copied.
//
// Choices:
//  - "now" is the time of the sample that filled the newest slot: rsync prints only then, so
//    between slot updates the rate does not change, and rate() ignores its `now`.
//  - Every sample counts as a call of show_progress(), including samples without progress
//    (rsync is called per received chunk; a stall with samples fills the slots with the same
//    amount, which drives the rate to 0 after 4 s).
//  - rsync measures milliseconds in integers (msdiff) and shows rates in kB/s; here seconds and
//    amounts are doubles. The guess at the "real" start from a previous file does not apply.
//  - Rate unknown (nullopt) until the first slot update, 1 s after the first sample.
//  - A rate of 0 (a stall) keeps the last positive rate: the ETA freezes, as rsync's does.
// No interval: lo = hi = remaining.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/frozen_rate.hpp>
#include <copyeta/detail/history.hpp>
#include <copyeta/estimator.hpp>

#include <array>
#include <cstddef>

namespace copyeta::models {

class rsync final : public estimator {
 public:
  static constexpr std::size_t slots = 5;  // PROGRESS_HISTORY_SECS
  static constexpr double min_gap = 1.0;   // seconds between slot updates

  explicit rsync(const estimator_options& options = {});

  std::string_view name() const noexcept override { return "rsync"; }

 protected:
  void on_sample(const sample& s) noexcept override;
  void on_restart() noexcept override;
  std::optional<double> rate(double now) const noexcept override;

 private:
  std::array<detail::point, slots> slots_{};
  bool started_ = false;
  std::size_t newest_ = 0;
  std::size_t oldest_ = 0;
  detail::frozen_rate rate_;  // the freeze rule (detail/frozen_rate.hpp)
};

}  // namespace copyeta::models

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models/rsync-inl.hpp>
#endif
