// A progress sample: when, how much done, and of how much.
#pragma once

#include <copyeta/config.hpp>

#include <cstdint>
#include <optional>

namespace copyeta {

// Amounts are counts: bytes usually, but rows, files or mailboxes work the same. The full
// unsigned 64-bit range is allowed; differences are taken in integers before any conversion.
using amount = std::uint64_t;

struct sample {
  double t = 0.0;               // seconds from any origin (monotonic, caller's clock)
  amount done = 0;              // amount done so far
  std::optional<amount> total;  // total amount, when known; the latest value wins

  friend bool operator==(const sample& a, const sample& b) {
    return a.t == b.t && a.done == b.done && a.total == b.total;
  }
  friend bool operator!=(const sample& a, const sample& b) { return !(a == b); }
};

}  // namespace copyeta
