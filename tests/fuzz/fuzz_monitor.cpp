// Fuzz target: estimator ingestion through copyeta::monitor, for every model of model_names().
//
// The bytes decode into a model, options, and a sequence of operations: add a sample (times that
// step forward, repeat, go backwards, or are any double at all, NaN and infinities included;
// amounts that grow, restart, jump, or sit near 2^64; totals that appear, change, vanish, or
// are already reached) and ask for an estimate at any time. Checked after every estimate: the
// contract of estimate_contract.hpp; after every add: the input policy's verdict.
#include "estimate_contract.hpp"
#include "fuzz_check.hpp"

#include <copyeta/models.hpp>
#include <copyeta/monitor.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

namespace {

using copyeta::amount;
using copyeta_fuzz::byte_reader;

constexpr amount max_amount = std::numeric_limits<amount>::max();

double special_double(std::uint8_t k) {
  static constexpr double table[] = {
      std::numeric_limits<double>::quiet_NaN(),
      std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(),
      0.0,
      -0.0,
      std::numeric_limits<double>::max(),
      -std::numeric_limits<double>::max(),
      std::numeric_limits<double>::min(),
      std::numeric_limits<double>::denorm_min(),
      9007199254740992.0,  // 2^53
      1e15,
      18446744073709551616.0,  // 2^64
      -1.0,
      1e-300,
      4.9e8,
      1.7e308,
  };
  return table[k % (sizeof table / sizeof table[0])];
}

double next_time(byte_reader& in, double last) {
  const std::uint8_t mode = in.u8();
  switch (mode % 8) {
    case 0: return last + in.u8() / 16.0;
    case 1: return last;                                  // equal timestamps
    case 2: return last - in.u8() / 8.0;                  // a backward step
    case 3: return in.f64();                              // anything
    case 4: return special_double(in.u8());
    case 5: return last + in.u16() * 0.5;                 // a long gap
    case 6: return std::nextafter(last, last + 1.0);      // the next double
    default: return last + 1.0;
  }
}

amount next_done(byte_reader& in, amount last, std::optional<amount> total) {
  switch (in.u8() % 9) {
    case 0: return last + in.u8();
    case 1: return last;                                  // no progress
    case 2: return last - std::min<amount>(last, in.u16());  // a restart
    case 3: return in.u64();
    case 4: return max_amount - in.u8();                  // near 2^64
    case 5: return last + in.u32();
    case 6: return 0;
    case 7: return total ? *total - std::min<amount>(*total, in.u8() % 4) : last;
    default: return last + (amount{1} << (in.u8() % 64));
  }
}

std::optional<amount> next_total(byte_reader& in, amount done, std::optional<amount> last) {
  switch (in.u8() % 9) {
    case 0: return std::nullopt;                          // unknown: the last one is kept
    case 1: return last;
    case 2: return in.u64();
    case 3: return max_amount - in.u8();
    case 4: return done + in.u16();
    case 5: return done;                                  // reached
    case 6: return amount{0};
    case 7: return last ? *last + in.u8() - 128 : done;   // refined up or down
    default: return done + in.u32();
  }
}

double estimate_time(byte_reader& in, double last) {
  switch (in.u8() % 7) {
    case 0: return last;
    case 1: return last + in.u8() / 4.0;
    case 2: return last + static_cast<double>(in.u32());  // far in the future
    case 3: return in.f64();
    case 4: return special_double(in.u8());
    case 5: return last - in.u8();                        // before the latest sample
    default: return last + in.u16();
  }
}

// COPYETA_FUZZ_VERBOSE=1 prints the decoded operations, to turn a crash file into a test.
const bool verbose = std::getenv("COPYETA_FUZZ_VERBOSE") != nullptr;


}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  byte_reader in(data, size);
  const auto& names = copyeta::model_names();
  const std::string model(names[in.u8() % names.size()]);

  copyeta::monitor_options options;
  options.model = model;
  static constexpr double levels[] = {0.8, 0.5, 0.9, 0.95, 0.99, 1e-6, 0.999999, 0.1};
  const std::uint8_t knobs = in.u8();
  options.estimator.level = levels[knobs % 8];
  static constexpr double stall_after[] = {15.0, 1e-9, 1.0, 1e9};
  options.estimator.stall_after = stall_after[(knobs >> 3) % 4];
  static constexpr double stall_gaps[] = {4.0, 1.0, 100.0, 1e12};
  options.estimator.stall_gaps = stall_gaps[(knobs >> 5) % 4];
  copyeta::monitor monitor(options);
  if (verbose)
    std::fprintf(stderr, "model %s level %g stall_after %g stall_gaps %g\n", model.c_str(),
                 options.estimator.level, options.estimator.stall_after,
                 options.estimator.stall_gaps);

  copyeta_fuzz::expected_estimate x;
  x.level = options.estimator.level;
  x.peer = copyeta::is_peer_model(model);
  std::optional<copyeta::sample> last;  // the latest accepted sample, as the caller sees it
  double last_t = 0.0;                  // the time operations start from (any double)
  amount last_done = 0;
  std::optional<amount> last_total;

  // Bounded, so that one input stays fast whatever its length.
  for (int op = 0; op < 400 && !in.empty(); ++op) {
    if (in.u8() % 3 != 0) {
      copyeta::sample s;
      s.t = next_time(in, last_t);
      s.done = next_done(in, last_done, last_total);
      s.total = next_total(in, s.done, last_total);
      if (verbose)
        std::fprintf(stderr, "add t=%.17g done=%llu total=%s%llu", s.t,
                     static_cast<unsigned long long>(s.done), s.total ? "" : "none/",
                     static_cast<unsigned long long>(s.total.value_or(0)));
      const auto check = monitor.add(s);
      if (verbose)
        std::fprintf(stderr, " -> %s\n",
                     check.accepted() ? (check.restart ? "restart" : "accepted") : "rejected");
      const bool acceptable = std::isfinite(s.t) && std::abs(s.t) <= copyeta::max_abs_time &&
                              (!last || s.t >= last->t);
      FUZZ_CHECK(check.accepted() == acceptable, "model %s: t = %.17g after %.17g was %s",
                 model.c_str(), s.t, last ? last->t : 0.0,
                 check.accepted() ? "accepted" : "rejected");
      if (check.accepted()) {
        FUZZ_CHECK(check.restart == (last && s.done < last->done), "restart flag wrong");
        last = s;
        x.any_accepted = true;
        x.done = s.done;
        if (s.total) x.total = s.total;
      }
      if (std::isfinite(s.t)) last_t = s.t;
      last_done = s.done;
      if (s.total) last_total = s.total;
    } else {
      const double now = estimate_time(in, last_t);
      const copyeta::estimate e = monitor.estimate(now);
      if (verbose)
        std::fprintf(stderr, "estimate now=%.17g -> state %d remaining %.17g [%.17g, %.17g]\n",
                     now, static_cast<int>(e.state), e.remaining, e.lo, e.hi);
      // A non-finite `now` is the latest sample's time, one beyond ±2^53 s that bound, and one
      // before the latest sample that sample's time.
      const double latest = last ? last->t : 0.0;
      const double bounded =
          std::isfinite(now) ? std::clamp(now, -copyeta::max_abs_time, copyeta::max_abs_time)
                             : latest;
      x.t = last && bounded < latest ? latest : bounded;
      copyeta_fuzz::check_estimate(e, x, model);
    }
  }
  // Always end with an estimate at the latest sample's time.
  copyeta::estimate e = monitor.estimate(std::numeric_limits<double>::quiet_NaN());
  x.t = last ? last->t : 0.0;
  copyeta_fuzz::check_estimate(e, x, model);
  FUZZ_CHECK(monitor.accepted() + monitor.rejected() > 0 || !last, "counts lost");
  return 0;
}
