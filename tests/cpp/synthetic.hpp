// Synthetic copies whose answer is known, for tests. Seeded, so every run is the same.
#pragma once

#include <copyeta/estimator.hpp>
#include <copyeta/sample.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace copyeta::testing {

// A copy at a constant `rate` per second, sampled every `dt` seconds from t0 until done.
inline std::vector<sample> constant_rate(double rate, amount total, double dt = 1.0,
                                         double t0 = 0.0) {
  std::vector<sample> out;
  for (double t = 0.0;; t += dt) {
    const double done = rate * t;
    if (done >= static_cast<double>(total)) {
      out.push_back({t0 + t, total, total});
      return out;
    }
    out.push_back({t0 + t, static_cast<amount>(done), total});
  }
}

// A copy whose per-second amount is log-normally noisy around `rate` (multiplicative noise).
inline std::vector<sample> noisy_rate(double rate, amount total, double sigma, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, sigma);
  std::vector<sample> out;
  double done = 0.0;
  for (double t = 0.0;; t += 1.0) {
    if (done >= static_cast<double>(total)) {
      out.push_back({t, total, total});
      return out;
    }
    out.push_back({t, static_cast<amount>(done), total});
    done += rate * std::exp(noise(rng) - sigma * sigma / 2.0);
  }
}

// Feeds `samples` to `m` until `fraction` of the total is done, and estimates there.
inline estimate run_until(estimator& m, const std::vector<sample>& samples, double fraction) {
  for (const auto& s : samples) {
    m.add(s);
    if (static_cast<double>(s.done) >= fraction * static_cast<double>(*s.total))
      return m.estimate(s.t);
  }
  return m.estimate(samples.back().t);
}

}  // namespace copyeta::testing
