// The lenient front end that the CLI and copy tools use: it never throws on data.
//
// A copy tool calls add() once per block and a display asks estimate() now and then. Samples
// that break the input policy (input_policy.hpp) are counted by reason and otherwise ignored, so
// a glitch in a tool's output can never take the copy down.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/estimate.hpp>
#include <copyeta/estimator.hpp>
#include <copyeta/input_policy.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace copyeta {

class calibration;

struct monitor_options {
  std::string model = "default";  // a name from model_names()
  estimator_options estimator;
  // The default model's calibration (calibration.hpp), e.g. one learned on a site's own jobs;
  // null means the one copyeta ships. Other models need none, and setting one for them is an
  // options_error.
  std::shared_ptr<const copyeta::calibration> calibration;

  void validate() const;  // throws options_error
};

class monitor {
 public:
  // Throws options_error for an unknown model or invalid options: that is a programming error,
  // not data.
  explicit monitor(const monitor_options& options = {});

  // Applies the input policy; returns what it decided. Never throws.
  sample_check add(const sample& s) noexcept;

  // The estimate at `now`. A non-finite `now` is taken as the latest sample's time, and one beyond
  // ±2^53 s (max_abs_time) as that bound. Never throws.
  copyeta::estimate estimate(double now) const noexcept;

  std::uint64_t accepted() const noexcept { return accepted_; }
  std::uint64_t rejected() const noexcept;
  std::uint64_t rejected(reject_reason reason) const noexcept;
  // The most recent rejection, for a message such as "12 samples rejected (time_backwards)".
  reject_reason last_rejection() const noexcept { return last_rejection_; }

  const copyeta::estimator& model() const noexcept { return *estimator_; }

 private:
  std::unique_ptr<copyeta::estimator> estimator_;
  std::uint64_t accepted_ = 0;
  std::array<std::uint64_t, reject_reason_count> rejected_{};
  reject_reason last_rejection_ = reject_reason::none;
};

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/monitor-inl.hpp>
#endif
