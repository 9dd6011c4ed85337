// Small order statistics for scoring and calibration (not on the hot path: they allocate).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace copyeta::detail {

// The median; the mean of the two middle values for an even count; NaN when empty.
inline double median(std::vector<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) return *mid;
  return 0.5 * (*mid + *std::max_element(v.begin(), mid));
}

// The p-quantile of weighted values (value, weight): each value stands at the middle of its
// weight on the cumulative scale, and quantiles between those points are linear. NaN when empty.
inline double weighted_quantile(std::vector<std::pair<double, double>> v, double p) {
  v.erase(std::remove_if(v.begin(), v.end(), [](const auto& x) { return !(x.second > 0.0); }),
          v.end());
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  double total = 0.0;
  for (const auto& x : v) total += x.second;
  const double target = p * total;
  double cumulative = 0.0;
  double previous_mid = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double mid = cumulative + 0.5 * v[i].second;
    if (target <= mid) {
      if (i == 0) return v[0].first;
      const double share = (target - previous_mid) / (mid - previous_mid);
      return v[i - 1].first + share * (v[i].first - v[i - 1].first);
    }
    previous_mid = mid;
    cumulative += v[i].second;
  }
  return v.back().first;
}

}  // namespace copyeta::detail
