// The contract of ../shared/docs/contracts.md that every estimate must keep, whatever the input:
// checked by the estimator and calibration fuzz targets.
#pragma once

#include "fuzz_check.hpp"

#include <copyeta/estimate.hpp>
#include <copyeta/sample.hpp>

#include <cmath>
#include <optional>
#include <string_view>

namespace copyeta_fuzz {

// What the caller knows independently of the model: the latest accepted sample's done, the
// latest known total, and the time the estimate should be for.
struct expected_estimate {
  bool any_accepted = false;
  copyeta::amount done = 0;
  std::optional<copyeta::amount> total;
  double t = 0.0;
  double level = 0.8;
  bool peer = false;  // peers give lo = hi = remaining
};

inline void check_estimate(const copyeta::estimate& e, const expected_estimate& x,
                           std::string_view model) {
  using copyeta::state;
  const int m = static_cast<int>(model.size());
  const char* name = model.data();
  const auto s = static_cast<unsigned>(e.state);
  FUZZ_CHECK(s <= static_cast<unsigned>(state::finished) && e.state != state::flushing,
             "model %.*s: state %u (monitor never flushes nor rejects)", m, name, s);
  FUZZ_CHECK(std::isfinite(e.remaining) && std::isfinite(e.lo) && std::isfinite(e.hi),
             "model %.*s: remaining %g lo %g hi %g", m, name, e.remaining, e.lo, e.hi);
  FUZZ_CHECK(e.lo >= 0.0 && e.lo <= e.remaining && e.remaining <= e.hi,
             "model %.*s: not 0 <= lo %g <= remaining %g <= hi %g", m, name, e.lo, e.remaining,
             e.hi);
  if (!e.has_remaining())
    FUZZ_CHECK(e.remaining == 0.0 && e.lo == 0.0 && e.hi == 0.0,
               "model %.*s: state %u without remaining, yet %g [%g, %g]", m, name, s, e.remaining,
               e.lo, e.hi);
  if (x.peer && e.has_remaining())
    FUZZ_CHECK(e.lo == e.remaining && e.hi == e.remaining,
               "peer %.*s with an interval: %g [%g, %g]", m, name, e.remaining, e.lo, e.hi);
  FUZZ_CHECK(e.level == x.level, "model %.*s: level %g, asked %g", m, name, e.level, x.level);
  FUZZ_CHECK(std::isfinite(e.t) && e.t == x.t, "model %.*s: t %.17g, expected %.17g", m, name,
             e.t, x.t);
  FUZZ_CHECK(std::isfinite(e.stalled_for) && e.stalled_for >= 0.0, "model %.*s: stalled_for %g",
             m, name, e.stalled_for);
  if (e.rate)
    FUZZ_CHECK(std::isfinite(*e.rate) && *e.rate >= 0.0, "model %.*s: rate %g", m, name, *e.rate);
  if (e.shift)
    FUZZ_CHECK(std::isfinite(e.shift->t) && std::isfinite(e.shift->fraction) &&
                   std::isfinite(e.shift->factor) && e.shift->factor >= 0.0,
               "model %.*s: shift t %g fraction %g factor %g", m, name, e.shift->t,
               e.shift->fraction, e.shift->factor);
  if (const auto f = e.fraction())
    FUZZ_CHECK(*f >= 0.0 && *f <= 1.0, "model %.*s: fraction %g", m, name, *f);

  if (!x.any_accepted) {
    FUZZ_CHECK(e.state == state::warming_up, "model %.*s: state %u before any sample", m, name, s);
    return;
  }
  FUZZ_CHECK(e.done == x.done, "model %.*s: done %llu, latest accepted %llu", m, name,
             static_cast<unsigned long long>(e.done), static_cast<unsigned long long>(x.done));
  FUZZ_CHECK(e.total == x.total, "model %.*s: total differs from the latest known total", m, name);
  const bool done = x.total && x.done >= *x.total;
  if (done)
    FUZZ_CHECK(e.state == state::finished, "model %.*s: done %llu >= total %llu but state %u", m,
               name, static_cast<unsigned long long>(x.done),
               static_cast<unsigned long long>(*x.total), s);
  if (e.state == state::finished)
    FUZZ_CHECK(done && e.remaining == 0.0 && e.lo == 0.0 && e.hi == 0.0,
               "model %.*s: finished before done >= total, or with time left", m, name);
  if (!x.total)
    FUZZ_CHECK(!e.has_remaining(), "model %.*s: a remaining time (state %u) without a total", m,
               name, s);
}

}  // namespace copyeta_fuzz
