// A bounded, thinned history of (t, done) points.
//
// Points are kept at least `resolution` seconds apart, except the newest, which always tracks
// the latest sample. When the fixed-size buffer fills up the resolution doubles and every other
// point is dropped, so memory stays constant however long the copy runs and however often it
// reports, while the whole run stays covered. Inserting is O(1) amortized and never allocates.
#pragma once

#include <copyeta/sample.hpp>

#include <algorithm>
#include <array>
#include <cstddef>

namespace copyeta::detail {

struct point {
  double t = 0.0;
  amount done = 0;
};

template <std::size_t Capacity>
class history {
  static_assert(Capacity >= 8 && Capacity % 2 == 0, "capacity must be even and at least 8");

 public:
  explicit history(double initial_resolution = 0.25) noexcept
      : initial_resolution_(initial_resolution), resolution_(initial_resolution) {}

  void clear() noexcept {
    size_ = 0;
    resolution_ = initial_resolution_;
  }

  void push(double t, amount done) noexcept {
    // The newest slot follows the latest sample until it is `resolution` past the one before.
    if (size_ >= 2 && t - points_[size_ - 2].t < resolution_) {
      points_[size_ - 1] = {t, done};
      return;
    }
    if (size_ == Capacity) thin();
    points_[size_++] = {t, done};
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const point& operator[](std::size_t i) const noexcept { return points_[i]; }
  const point& front() const noexcept { return points_[0]; }
  const point& back() const noexcept { return points_[size_ - 1]; }
  double resolution() const noexcept { return resolution_; }

  // The amount done at time t, linear between the points around it and clamped to the ends.
  double done_at(double t) const noexcept {
    const std::size_t i = index_at_or_before(t);
    const point& a = points_[i];
    if (t <= a.t || i + 1 >= size_) return static_cast<double>(a.done);
    const point& b = points_[i + 1];
    const double step = static_cast<double>(b.done - a.done);
    return static_cast<double>(a.done) + step * (t - a.t) / (b.t - a.t);
  }

  // The index of the newest point at or before time t (0 when every point is later).
  std::size_t index_at_or_before(double t) const noexcept {
    const auto end = points_.begin() + static_cast<std::ptrdiff_t>(size_);
    const auto it = std::upper_bound(points_.begin(), end, t,
                                     [](double value, const point& p) { return value < p.t; });
    return it == points_.begin() ? 0 : static_cast<std::size_t>(it - points_.begin()) - 1;
  }

 private:
  // Keeps the first point, every other one after it, and the newest.
  void thin() noexcept {
    std::size_t kept = 1;
    for (std::size_t i = 2; i + 1 < size_; i += 2) points_[kept++] = points_[i];
    points_[kept++] = points_[size_ - 1];
    size_ = kept;
    resolution_ *= 2.0;
  }

  std::array<point, Capacity> points_{};
  std::size_t size_ = 0;
  double initial_resolution_;
  double resolution_;
};

}  // namespace copyeta::detail
