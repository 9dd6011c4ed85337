// Properties that hold for any input sequence, for every model of model_names(), checked on a
// few hundred generated sequences per model (issue 7, item 3):
//
// - the estimate contract: no NaN, infinity or negative time, lo <= remaining <= hi, numbers
//   only in the states that carry them, peers without an interval;
// - the input policy: NaN and infinite times, times beyond 2^53 s and times that go back are
//   rejected (and change nothing), done going back is a restart, equal times are accepted;
// - `finished` once done reaches the latest known total, and only then;
// - the states follow ../shared/docs/contracts.md;
// - shifting the time origin changes no estimate (within 1e-9 relative);
// - scaling every amount by k scales the rate by k and changes nothing else (within 1e-9);
// - the same input gives the same output, bit for bit.
//
// Sequences are generated from seeds by a small generator of our own (not <random>'s
// distributions, whose output differs between standard libraries), on a grid of 1/64 s so that
// shifted times are exact doubles: any difference then comes from the model, not the input.
#include <copyeta/estimate.hpp>
#include <copyeta/input_policy.hpp>
#include <copyeta/models.hpp>
#include <copyeta/monitor.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace copyeta {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr amount max_amount = std::numeric_limits<amount>::max();

// splitmix64: small, fast, and the same everywhere.
class generator {
 public:
  explicit generator(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }

 private:
  std::uint64_t state_;
};

// One step of a script: a sample to add, or an estimate to ask for.
struct step {
  bool is_sample = true;
  sample s;        // when is_sample
  double now = 0;  // when !is_sample
};

struct script {
  std::vector<step> steps;
  std::string what;        // the kind of sequence, for failure messages
  bool shiftable = true;   // every time stays within 2^53 s when shifted by the test's shift
  amount largest = 0;      // the largest amount, to know which scalings stay below 2^64
};

constexpr double tick = 1.0 / 64.0;  // the time grid

// A copy as tools report it: rates that change, pauses, samples in bursts or far apart, a total
// known from the start or not, then `hostile` adds what broken tools and clocks do.
script make_script(std::uint64_t seed, bool hostile) {
  generator g(seed);
  script out;
  std::int64_t ticks = static_cast<std::int64_t>(g.below(64 * 1000));  // the clock's origin
  amount done = g.chance(0.2) ? g.below(1000000) : 0;
  const amount size = 1 + g.below(std::uint64_t{1} << (10 + g.below(28)));  // 1 B .. 256 GiB
  std::optional<amount> total;
  const int total_kind = static_cast<int>(g.below(4));  // 0 known, 1 never, 2 later, 3 grows
  if (total_kind == 0 || total_kind == 3) total = total_kind == 3 ? size / 2 + 1 : size;
  const int n = 20 + static_cast<int>(g.below(100));
  // A rate that takes the copy to about its end over the sequence (gaps average about 14 s),
  // and regimes 10 times faster or slower.
  const double base_rate = static_cast<double>(size) / (14.0 * n * (0.5 + 2.5 * g.unit()));
  double rate = base_rate;
  out.what = hostile ? "hostile" : "copy";
  bool huge_times = false;

  const auto add = [&](double t, amount d, std::optional<amount> tot) {
    step st;
    st.s = {t, d, tot};
    out.steps.push_back(st);
    out.largest = std::max({out.largest, d, tot.value_or(0)});
  };
  const auto ask = [&](double now) {
    step st;
    st.is_sample = false;
    st.now = now;
    out.steps.push_back(st);
  };
  const auto seconds = [&] { return static_cast<double>(ticks) * tick; };

  for (int i = 0; i < n; ++i) {
    // Time: a regular beat, bursts (equal times), pauses; whole seconds at huge times so that
    // they stay exact.
    const auto gap = g.chance(0.1)   ? 0
                     : g.chance(0.1) ? static_cast<std::int64_t>(64 * (20 + g.below(200)))
                                     : static_cast<std::int64_t>(1 + g.below(255));
    ticks += huge_times ? 64 * std::max<std::int64_t>(1, gap / 64) : gap;
    if (g.chance(0.05)) rate = base_rate * std::pow(10.0, 2.0 * g.unit() - 1.0);  // a new regime
    const bool paused = g.chance(0.1);
    if (!paused) done += static_cast<amount>(rate * static_cast<double>(gap) * tick);
    if (total_kind == 2 && i == n / 3) total = size;                       // appears
    if (total_kind == 3 && g.chance(0.1)) total = *total + g.below(size);  // rsync scanning
    std::optional<amount> reported = total;
    if (total && g.chance(0.1)) reported.reset();  // a line without the total: the last one holds
    if (total && done >= *total && g.chance(0.5)) done = *total;

    if (hostile) {
      const auto roll = g.below(20);
      if (roll == 0) add(nan, done, reported);
      if (roll == 1) add(g.chance(0.5) ? inf : -inf, done, reported);
      if (roll == 2) add(g.chance(0.5) ? 1e300 : -1.7976931348623157e308, done, reported);
      if (roll == 3 && ticks > 64) add(seconds() - static_cast<double>(1 + g.below(64)) * tick, done, reported);
      if (roll == 4) done = done / (2 + g.below(100));                       // a restart
      if (roll == 5) reported = done > 0 ? std::optional<amount>(done - 1) : reported;  // done > total
      if (roll == 6) reported = amount{0};                                   // an empty copy
      if (roll == 7 && g.chance(0.2)) {                                      // near 2^64
        done = max_amount - g.below(1000000);
        reported = g.chance(0.5) ? std::optional<amount>(max_amount) : reported;
      }
      if (roll == 8 && !huge_times && g.chance(0.2)) {  // the clock leaps 142 million years
        huge_times = true;
        ticks = static_cast<std::int64_t>(64) * ((std::int64_t{1} << 52) + static_cast<std::int64_t>(g.below(1000)));
      }
      if (roll == 9) ask(g.chance(0.5) ? nan : (g.chance(0.5) ? inf : -inf));
      if (roll == 10) ask(seconds() - 100.0);  // before the latest sample
    }
    add(seconds(), done, reported);
    if (g.chance(0.3)) ask(seconds() + static_cast<double>(g.below(64 * 60)) * tick);
    if (g.chance(0.05)) ask(seconds() + 1000.0 + static_cast<double>(g.below(64 * 3600)) * tick);
  }
  // Often, the end: done reaches the total.
  if (g.chance(0.5)) {
    ticks += 64;
    const amount end = std::max(done, total.value_or(done));
    add(seconds(), end, total ? total : std::optional<amount>(end));
    ask(seconds());
    ask(seconds() + 10.0);
  }
  out.shiftable = !huge_times;
  return out;
}

// What a run gave: the check of every sample and every estimate, each after the step that made
// it (one after every sample, one per asked time).
struct run {
  std::vector<sample_check> checks;
  std::vector<estimate> estimates;
  std::vector<double> asked;  // the time each estimate was asked for
};

struct transform {
  double shift = 0.0;  // added to every finite time
  amount scale = 1;    // every amount multiplied by it
};

run play(const std::string& model, const script& sc, const transform& tf = {}) {
  monitor_options options;
  options.model = model;
  monitor m(options);
  run r;
  const auto moved = [&](double t) { return std::isfinite(t) ? t + tf.shift : t; };
  for (const step& st : sc.steps) {
    if (st.is_sample) {
      sample s = st.s;
      s.t = moved(s.t);
      s.done *= tf.scale;
      if (s.total) *s.total *= tf.scale;
      r.checks.push_back(m.add(s));
      r.estimates.push_back(m.estimate(s.t));
      r.asked.push_back(st.s.t);
    } else {
      r.estimates.push_back(m.estimate(moved(st.now)));
      r.asked.push_back(st.now);
    }
  }
  return r;
}

std::string where(const std::string& model, std::uint64_t seed, const script& sc, std::size_t i) {
  return model + ", " + sc.what + " sequence of seed " + std::to_string(seed) + ", estimate " +
         std::to_string(i);
}

// The contract of estimate.hpp and contracts.md for each estimate, and the input policy for
// each sample, replayed against an independent reading of the policy.
void check_contract(const std::string& model, std::uint64_t seed, const script& sc, const run& r) {
  const bool peer = is_peer_model(model);
  std::optional<sample> last;  // the latest accepted sample, its total filled in
  std::size_t e_at = 0, c_at = 0;
  for (const step& st : sc.steps) {
    if (st.is_sample) {
      const sample& s = st.s;
      const sample_check& got = r.checks[c_at++];
      reject_reason expected = reject_reason::none;
      if (!std::isfinite(s.t)) expected = reject_reason::time_not_finite;
      else if (std::fabs(s.t) > max_abs_time) expected = reject_reason::time_too_large;
      else if (last && s.t < last->t) expected = reject_reason::time_backwards;
      ASSERT_EQ(got.reason, expected) << where(model, seed, sc, e_at) << " at t = " << s.t;
      if (got.accepted()) {
        ASSERT_EQ(got.restart, last && s.done < last->done) << where(model, seed, sc, e_at);
        sample accepted = s;
        if (!accepted.total && last) accepted.total = last->total;
        last = accepted;
      }
    }
    const estimate& e = r.estimates[e_at];
    const std::string at = where(model, seed, sc, e_at);
    ++e_at;

    // Numbers: finite, non-negative, ordered; present only in the states that carry them.
    ASSERT_TRUE(std::isfinite(e.remaining) && std::isfinite(e.lo) && std::isfinite(e.hi)) << at;
    ASSERT_TRUE(std::isfinite(e.t)) << at;
    ASSERT_GE(e.lo, 0.0) << at;
    ASSERT_LE(e.lo, e.remaining) << at;
    ASSERT_LE(e.remaining, e.hi) << at;
    if (!e.has_remaining()) {
      ASSERT_TRUE(e.remaining == 0.0 && e.lo == 0.0 && e.hi == 0.0) << at;
    }
    if (peer) {
      ASSERT_TRUE(e.lo == e.remaining && e.hi == e.remaining) << at << ": a peer has no interval";
    }
    if (e.rate) {
      ASSERT_TRUE(std::isfinite(*e.rate) && *e.rate > 0.0) << at;
    }
    ASSERT_TRUE(std::isfinite(e.stalled_for) && e.stalled_for >= 0.0) << at;
    if (e.shift) {
      ASSERT_TRUE(std::isfinite(e.shift->t) && std::isfinite(e.shift->fraction) &&
                  std::isfinite(e.shift->factor) && e.shift->factor >= 0.0)
          << at;
    }
    ASSERT_EQ(e.level, 0.8) << at;

    // The states of contracts.md that the library gives (flushing is the CLI's attach mode,
    // rejected a row's, never an estimate's).
    ASSERT_TRUE(e.state == state::warming_up || e.state == state::unknown_total ||
                e.state == state::ok || e.state == state::stalled || e.state == state::finished)
        << at << ": state " << to_string(e.state);
    if (!last) {
      ASSERT_EQ(e.state, state::warming_up) << at;
      continue;
    }
    ASSERT_GE(e.t, last->t) << at;
    ASSERT_EQ(e.done, last->done) << at;
    ASSERT_EQ(e.total, last->total) << at;
    if (!last->total) {
      ASSERT_EQ(e.state, state::unknown_total) << at << ": no total known";
    } else if (last->done >= *last->total) {
      // finished once done reaches the total, with nothing left.
      ASSERT_EQ(e.state, state::finished) << at;
      ASSERT_TRUE(e.remaining == 0.0 && e.lo == 0.0 && e.hi == 0.0) << at;
    } else {
      ASSERT_NE(e.state, state::finished) << at << ": done < total";
      ASSERT_NE(e.state, state::unknown_total) << at << ": the total is known";
    }
    if (e.state == state::stalled) {
      ASSERT_GE(e.stalled_for, 15.0) << at << ": stall_after is 15 s";
    }
    if (e.state != state::stalled) {
      ASSERT_EQ(e.stalled_for, 0.0) << at;
    }
  }
}

bool close(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)) + 1e-12;
}

// The same estimates, up to the transform: times moved by `shift`, rates scaled by `scale`.
void check_same(const std::string& model, std::uint64_t seed, const script& sc, const run& a,
                const run& b, const transform& tf, const char* property) {
  ASSERT_EQ(a.estimates.size(), b.estimates.size());
  for (std::size_t i = 0; i < a.checks.size(); ++i)
    ASSERT_EQ(a.checks[i].reason, b.checks[i].reason) << property << ": " << where(model, seed, sc, i);
  for (std::size_t i = 0; i < a.estimates.size(); ++i) {
    // A time beyond 2^53 s is taken as 2^53 s (estimate()'s clamp), in both runs: the time
    // since the latest sample then differs by the shift, and so may the estimate.
    if (a.asked[i] > 0x1p52) continue;
    const estimate& x = a.estimates[i];
    const estimate& y = b.estimates[i];
    const std::string at = std::string(property) + ": " + where(model, seed, sc, i);
    ASSERT_EQ(x.state, y.state) << at << " (" << to_string(x.state) << " vs " << to_string(y.state)
                                << ", remaining " << x.remaining << " vs " << y.remaining << ")";
    // (A time asked for as NaN or infinity, or before any sample, is the same in both runs.)
    if (std::fabs(x.t) < 0x1p52 && x.t != 0.0) {
      ASSERT_EQ(x.t + tf.shift, y.t) << at;
    }
    ASSERT_EQ(x.done * tf.scale, y.done) << at;
    ASSERT_EQ(x.total ? std::optional<amount>(*x.total * tf.scale) : std::nullopt, y.total) << at;
    ASSERT_TRUE(close(x.remaining, y.remaining)) << at << ": remaining " << x.remaining << " vs " << y.remaining;
    ASSERT_TRUE(close(x.lo, y.lo)) << at << ": lo " << x.lo << " vs " << y.lo;
    ASSERT_TRUE(close(x.hi, y.hi)) << at << ": hi " << x.hi << " vs " << y.hi;
    ASSERT_TRUE(close(x.stalled_for, y.stalled_for)) << at;
    ASSERT_EQ(x.rate.has_value(), y.rate.has_value()) << at;
    if (x.rate) {
      ASSERT_TRUE(close(*x.rate * static_cast<double>(tf.scale), *y.rate))
          << at << ": rate " << *x.rate << " x " << tf.scale << " vs " << *y.rate;
    }
    ASSERT_EQ(x.shift.has_value(), y.shift.has_value()) << at;
    if (x.shift) {
      ASSERT_TRUE(close(x.shift->t + tf.shift, y.shift->t)) << at;
      ASSERT_TRUE(close(x.shift->fraction, y.shift->fraction)) << at;
      ASSERT_TRUE(close(x.shift->factor, y.shift->factor)) << at;
    }
  }
}

void check_identical(const std::string& model, std::uint64_t seed, const script& sc, const run& a,
                     const run& b) {
  ASSERT_EQ(a.estimates.size(), b.estimates.size());
  for (std::size_t i = 0; i < a.estimates.size(); ++i) {
    const estimate& x = a.estimates[i];
    const estimate& y = b.estimates[i];
    const auto bits = [](double v) {
      std::uint64_t u;
      std::memcpy(&u, &v, sizeof u);
      return u;
    };
    const bool same =
        x.state == y.state && bits(x.t) == bits(y.t) && x.done == y.done && x.total == y.total &&
        bits(x.remaining) == bits(y.remaining) && bits(x.lo) == bits(y.lo) &&
        bits(x.hi) == bits(y.hi) && bits(x.stalled_for) == bits(y.stalled_for) &&
        x.rate.has_value() == y.rate.has_value() && (!x.rate || bits(*x.rate) == bits(*y.rate)) &&
        x.shift.has_value() == y.shift.has_value() &&
        (!x.shift || (bits(x.shift->t) == bits(y.shift->t) &&
                      bits(x.shift->fraction) == bits(y.shift->fraction) &&
                      bits(x.shift->factor) == bits(y.shift->factor)));
    ASSERT_TRUE(same) << "determinism: " << where(model, seed, sc, i);
  }
}

constexpr std::uint64_t sequences = 150;  // per model and kind: 300 sequences per model

class properties : public ::testing::TestWithParam<std::string> {};

TEST_P(properties, hold_for_any_input_sequence) {
  const std::string model = GetParam();
  for (std::uint64_t seed = 1; seed <= 2 * sequences; ++seed) {
    const bool hostile = seed > sequences;
    const script sc = make_script(seed, hostile);
    const run base = play(model, sc);
    ASSERT_NO_FATAL_FAILURE(check_contract(model, seed, sc, base));
    ASSERT_NO_FATAL_FAILURE(check_identical(model, seed, sc, base, play(model, sc)));
    // A power of two keeps the 1/64 s grid exact, 1000 s (not one) checks the model, not the
    // grid: every time stays a multiple of 1/64 below 2^44, exactly representable.
    if (sc.shiftable) {
      for (const double shift : {1024.0, 1000.0, -4096.0}) {
        const transform tf{shift, 1};
        ASSERT_NO_FATAL_FAILURE(check_same(model, seed, sc, base, play(model, sc, tf), tf, "time shift"));
      }
    }
    for (const amount k : {amount{2}, amount{1024}}) {
      if (sc.largest > max_amount / k) continue;  // would overflow 2^64
      const transform tf{0.0, k};
      ASSERT_NO_FATAL_FAILURE(check_same(model, seed, sc, base, play(model, sc, tf), tf, "amount scale"));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(every_model, properties, ::testing::ValuesIn([] {
                           std::vector<std::string> names;
                           for (const auto name : model_names()) names.emplace_back(name);
                           return names;
                         }()),
                         [](const auto& test) { return test.param; });

// The generator makes what the properties are about: hostile sequences hit every rule of the
// input policy, and plain ones reach every state.
TEST(properties, the_sequences_reach_every_rule_and_state) {
  std::vector<int> reasons(reject_reason_count, 0);
  int restarts = 0, equal_times = 0, finished = 0, stalled = 0, unknown = 0, ok = 0;
  for (std::uint64_t seed = 1; seed <= 2 * sequences; ++seed) {
    const script sc = make_script(seed, seed > sequences);
    const run r = play("default", sc);
    std::optional<double> last_t;
    for (const sample_check& c : r.checks) {
      ++reasons[static_cast<std::size_t>(c.reason)];
      restarts += c.restart;
    }
    for (const step& st : sc.steps) {
      if (!st.is_sample) continue;
      if (last_t && st.s.t == *last_t) ++equal_times;
      last_t = st.s.t;
    }
    for (const estimate& e : r.estimates) {
      finished += e.state == state::finished;
      stalled += e.state == state::stalled;
      unknown += e.state == state::unknown_total;
      ok += e.state == state::ok;
    }
  }
  for (const reject_reason reason : {reject_reason::none, reject_reason::time_not_finite,
                                     reject_reason::time_too_large, reject_reason::time_backwards})
    EXPECT_GT(reasons[static_cast<std::size_t>(reason)], 10) << to_string(reason);
  EXPECT_GT(restarts, 10);
  EXPECT_GT(equal_times, 10);
  EXPECT_GT(finished, 10);
  EXPECT_GT(stalled, 10);
  EXPECT_GT(unknown, 10);
  EXPECT_GT(ok, 100);
}

}  // namespace
}  // namespace copyeta
