#include "allocations.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/models.hpp>
#include <copyeta/models/default_model.hpp>
#include <copyeta/monitor.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using copyeta::monitor;
using copyeta::reject_reason;
using copyeta::state;

TEST(monitor, counts_rejections_by_reason_instead_of_throwing) {
  monitor m;
  EXPECT_TRUE(m.add({0.0, 0, 1000}).accepted());
  EXPECT_TRUE(m.add({1.0, 10, 1000}).accepted());
  EXPECT_EQ(m.add({0.5, 20, 1000}).reason, reject_reason::time_backwards);
  EXPECT_EQ(m.add({std::nan(""), 20, 1000}).reason, reject_reason::time_not_finite);
  EXPECT_EQ(m.add({0.2, 20, 1000}).reason, reject_reason::time_backwards);
  EXPECT_EQ(m.accepted(), 2u);
  EXPECT_EQ(m.rejected(), 3u);
  EXPECT_EQ(m.rejected(reject_reason::time_backwards), 2u);
  EXPECT_EQ(m.rejected(reject_reason::time_not_finite), 1u);
  EXPECT_EQ(m.last_rejection(), reject_reason::time_backwards);
  EXPECT_EQ(m.model().last()->t, 1.0);
}

TEST(monitor, a_restart_is_accepted_not_rejected) {
  monitor m;
  m.add({0.0, 0, 1000});
  m.add({1.0, 500, 1000});
  EXPECT_TRUE(m.add({2.0, 100, 1000}).restart);
  EXPECT_EQ(m.rejected(), 0u);
  EXPECT_EQ(m.model().restarts(), 1u);
}

TEST(monitor, estimate_never_throws_on_a_bad_now) {
  monitor m;
  EXPECT_EQ(m.estimate(std::nan("")).state, state::warming_up);
  m.add({0.0, 0, 1000});
  m.add({4.0, 100, 1000});
  const auto e = m.estimate(std::nan(""));
  EXPECT_EQ(e.t, 4.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_EQ(m.estimate(HUGE_VAL).t, 4.0);
}

// Fuzz findings 5 and 6 (docs/RELIABILITY.md): times so far apart that their difference
// overflowed to infinity hung robust_window and made `stalled_for` infinite. Such times are now
// rejected as time_too_large, and an estimate asked beyond the bound is taken at the bound.
TEST(monitor, times_beyond_2_to_the_53_are_rejected_for_every_model) {
  const double far = std::numeric_limits<double>::max();
  for (const auto name : copyeta::model_names()) {
    copyeta::monitor_options o;
    o.model = std::string(name);
    monitor m(o);
    EXPECT_EQ(m.add({-far, 0, 1000}).reason, reject_reason::time_too_large) << name;
    EXPECT_TRUE(m.add({-copyeta::max_abs_time, 0, 1000}).accepted()) << name;
    EXPECT_TRUE(m.add({-copyeta::max_abs_time + 4.0, 100, 1000}).accepted()) << name;
    EXPECT_EQ(m.add({far, 200, 1000}).reason, reject_reason::time_too_large) << name;
    EXPECT_EQ(m.rejected(reject_reason::time_too_large), 2u) << name;
    const auto e = m.estimate(far);
    EXPECT_EQ(e.t, copyeta::max_abs_time) << name;
    EXPECT_TRUE(std::isfinite(e.stalled_for)) << name;
    EXPECT_LE(e.stalled_for, 1e12) << name;
    EXPECT_LE(e.lo, e.remaining) << name;
    EXPECT_LE(e.remaining, e.hi) << name;
  }
}

TEST(monitor, uses_the_named_model) {
  copyeta::monitor_options o;
  o.model = "default";
  EXPECT_EQ(monitor(o).model().name(), "default");
  o.model = "no-such-model";
  EXPECT_THROW(o.validate(), copyeta::options_error);
  EXPECT_THROW(monitor{o}, copyeta::options_error);
}

// A long, rough stream, generated on the fly (nothing allocated): 10 Hz with jitter, bursts of
// samples a millisecond apart, silences of a minute, rate changes of 3x and 5x, stalls, lone
// fast blocks, a restart, samples without their total, and rejected samples. Over 10^6 samples
// (about 28 hours) every model's fixed buffers fill and roll over many times: block merges,
// history thinning, segment restarts after shifts, refits of spreads and variances.
class rough_stream {
 public:
  copyeta::sample next() noexcept {
    ++i_;
    // The time step.
    double dt = 0.1 * (0.5 + uniform());
    if (i_ % 50'000 < 2'000) dt = 0.001;           // a burst of fast samples
    if (i_ % 77'777 == 0) dt = 60.0;               // a silence
    t_ += dt;
    // The rate: changes every 30000 samples.
    if (i_ % 30'000 == 0) rate_ = std::clamp(rate_ * (uniform() < 0.5 ? 3.0 : 0.2), 1e5, 1e9);
    const bool stalled = i_ % 40'000 < 400;
    double step = stalled ? 0.0 : rate_ * dt * (0.7 + 0.6 * uniform());
    if (i_ % 9'973 == 0) step *= 50.0;             // a lone fast block
    done_ += static_cast<copyeta::amount>(step);
    if (i_ == 600'000) done_ /= 3;                 // a restart: done went back
    copyeta::sample s{t_, done_, total_};
    if (i_ > 300'000 && i_ < 310'000) s.total.reset();  // the total carried over
    if (i_ % 12'345 == 0) s.t -= 5.0;              // rejected: time went back
    return s;
  }
  double t() const noexcept { return t_; }

 private:
  double uniform() noexcept {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) * 0x1p-53;
  }
  std::uint64_t state_ = 12345;
  std::uint64_t i_ = 0;
  double t_ = 1000.0;
  double rate_ = 5e7;
  copyeta::amount done_ = 0;
  copyeta::amount total_ = copyeta::amount{1} << 52;
};

// The hot-path rule: add() never allocates, over 10^6 calls and every rollover above;
// nor does estimate().
class monitor_hot_path : public ::testing::TestWithParam<std::string> {};

TEST_P(monitor_hot_path, add_and_estimate_never_allocate) {
  copyeta::monitor_options o;
  o.model = GetParam();
  monitor m(o);
  rough_stream stream;
  constexpr int samples = 1'000'000;
  int checked = 0;
  bool valid = true;
  const long before = copyeta::testing::allocations_on_this_thread();
  for (int i = 0; i < samples; ++i) {
    m.add(stream.next());
    if (i % 997 == 0) {
      // A display asking now, and after a silence.
      for (const double later : {0.0, 90.0}) {
        const copyeta::estimate e = m.estimate(stream.t() + later);
        valid = valid && e.lo <= e.remaining && e.remaining <= e.hi;
        checked += e.has_remaining() ? 1 : 0;
      }
    }
  }
  EXPECT_EQ(copyeta::testing::allocations_on_this_thread() - before, 0);
  EXPECT_TRUE(valid);
  EXPECT_GT(checked, 1000);
  EXPECT_GT(m.accepted(), 990'000u);
  EXPECT_GT(m.rejected(), 50u);
  EXPECT_EQ(m.model().restarts(), 1u);
  // The models that detect shifts restarted their segment on the way.
  if (GetParam() == "default" || GetParam() == "robust_window") EXPECT_TRUE(m.model().shift());
}

std::vector<std::string> every_model() {
  const auto& names = copyeta::model_names();
  return {names.begin(), names.end()};
}

INSTANTIATE_TEST_SUITE_P(every_model, monitor_hot_path, ::testing::ValuesIn(every_model()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(monitor, memory_per_model_is_a_constant) {
  // Every model keeps fixed-size state, allocated once with the monitor; the budget
  // is 64 KiB per monitor.
  EXPECT_LE(sizeof(copyeta::models::default_model), 64u * 1024u);
}

}  // namespace
