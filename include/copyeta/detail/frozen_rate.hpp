// The peers' freeze rule: when a peer's formula falls to 0 (a stall), the peer keeps reporting
// the last positive rate it gave, so its ETA freezes the way the real tools' do, instead of
// becoming infinite.
#pragma once

#include <cmath>
#include <optional>

namespace copyeta::detail {

class frozen_rate {
 public:
  // Keeps `rate` when it is positive and finite; otherwise the previous value stays.
  void offer(double rate) noexcept {
    if (rate > 0.0 && std::isfinite(rate)) value_ = rate;
  }
  void clear() noexcept { value_ = 0.0; }
  // The last positive rate offered; nullopt before the first.
  std::optional<double> get() const noexcept {
    if (value_ > 0.0) return value_;
    return std::nullopt;
  }

 private:
  double value_ = 0.0;
};

}  // namespace copyeta::detail
