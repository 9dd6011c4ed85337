// A two-sided Page–Hinkley test for a lasting shift in the mean of a stream, O(1) per value.
//
// With x̄_t the running mean, a rise is flagged when the cumulative sum m_T = Σ (x_t − x̄_t − δ)
// climbs more than λ above its lowest point, and a fall by the mirror image (+δ, below the
// highest point). δ is the drift allowed per value, so the sums sink while the mean holds still.
//
// Each deviation from the running mean is first clipped to ±clip (a Huber step): one wild value
// (a cache flush, a hiccup) then adds at most clip − δ and cannot raise an alarm alone, while a
// real shift adds about that much per value and is found within λ / (clip − δ) values.
//
// Every value carries a tag, for example the time its block ended. An alarm reports the tag of
// the value after which the cumulative sum turned, which is where the shift most likely began.
// Header-only: it is small and sits on the models' per-block path.
#pragma once

#include <copyeta/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

namespace copyeta::detail {

// All three are in the unit of the values: standard deviations when the caller standardises.
struct page_hinkley_options {
  double delta = 0.5;      // drift allowed per value; shifts smaller than about 2 delta pass
  double threshold = 8.0;  // λ: how far the cumulative sum must move from its extreme
  double clip = 3.0;       // deviations from the running mean are clipped to ±clip

  // Throws options_error naming the first field out of range.
  void validate() const {
    const auto require = [](bool ok, const char* field, double value, const char* rule) {
      if (!ok)
        throw options_error(
            fmt::format("[copyeta.options] {} = {} must be {}", field, value, rule));
    };
    require(delta >= 0.0 && std::isfinite(delta), "delta", delta, "non-negative");
    require(threshold > 0.0 && std::isfinite(threshold), "threshold", threshold, "positive");
    require(clip > delta && !std::isnan(clip), "clip", clip, "greater than delta");
  }
};

struct page_hinkley_alarm {
  int direction = 0;          // +1: the mean rose; -1: it fell
  double since = 0.0;         // tag of the last value before the shift began
  std::uint64_t values = 0;   // values since then (the shift's values seen so far)
};

class page_hinkley {
 public:
  // Validates the options (throws options_error).
  explicit page_hinkley(const page_hinkley_options& options = {}) : options_(options) {
    options_.validate();
    reset();
  }

  // Forgets every value; `since` tags the start, reported when a shift began at the first value.
  void reset(double since = 0.0) noexcept {
    n_ = 0;
    mean_ = 0.0;
    rise_ = rise_low_ = 0.0;
    fall_ = fall_high_ = 0.0;
    rise_tag_ = fall_tag_ = since;
    rise_n_ = fall_n_ = 0;
  }

  // Adds a value; returns an alarm while the test holds a shift. The detector is not reset by an
  // alarm: the caller decides what to keep (typically reset(alarm.since) and replay the values
  // after it). A NaN is ignored.
  std::optional<page_hinkley_alarm> update(double x, double tag) noexcept {
    if (std::isnan(x)) return std::nullopt;
    ++n_;
    if (n_ == 1) mean_ = x;  // the first value is the mean; later ones move it, clipped
    const double deviation = std::clamp(x - mean_, -options_.clip, options_.clip);
    mean_ += deviation / static_cast<double>(n_);
    // The clipped value's distance from the mean that now includes it.
    const double d = deviation * (1.0 - 1.0 / static_cast<double>(n_));

    rise_ += d - options_.delta;
    if (rise_ < rise_low_) {
      rise_low_ = rise_;
      rise_tag_ = tag;
      rise_n_ = n_;
    }
    fall_ += d + options_.delta;
    if (fall_ > fall_high_) {
      fall_high_ = fall_;
      fall_tag_ = tag;
      fall_n_ = n_;
    }

    const double rise = rise_ - rise_low_;
    const double fall = fall_high_ - fall_;
    if (rise <= options_.threshold && fall <= options_.threshold) return std::nullopt;
    if (rise >= fall) return page_hinkley_alarm{+1, rise_tag_, n_ - rise_n_};
    return page_hinkley_alarm{-1, fall_tag_, n_ - fall_n_};
  }

  std::uint64_t count() const noexcept { return n_; }
  // The running mean of the clipped values.
  double mean() const noexcept { return mean_; }
  const page_hinkley_options& options() const noexcept { return options_; }

 private:
  page_hinkley_options options_;
  std::uint64_t n_ = 0;
  double mean_ = 0.0;
  double rise_ = 0.0, rise_low_ = 0.0, rise_tag_ = 0.0;
  double fall_ = 0.0, fall_high_ = 0.0, fall_tag_ = 0.0;
  std::uint64_t rise_n_ = 0, fall_n_ = 0;
};

}  // namespace copyeta::detail
