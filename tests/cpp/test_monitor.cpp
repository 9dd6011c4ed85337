#include "allocations.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/models.hpp>
#include <copyeta/models/default_model.hpp>
#include <copyeta/monitor.hpp>
#include <copyeta/replay.hpp>
#include <copyeta/trace.hpp>

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

// --- The bounded rate: held samples and scaled forecasts -------------------------------------

copyeta::monitor_options every_sample_every_forecast(const std::string& model = "default") {
  copyeta::monitor_options o;
  o.model = model;
  o.min_gap = 0.0;
  o.refresh = 0.0;
  return o;
}

bool same(const copyeta::estimate& a, const copyeta::estimate& b) {
  return a.state == b.state && a.t == b.t && a.done == b.done && a.total == b.total &&
         a.remaining == b.remaining && a.lo == b.lo && a.hi == b.hi && a.rate == b.rate &&
         a.stalled_for == b.stalled_for;
}

TEST(monitor, without_min_gap_and_refresh_it_is_the_model_itself) {
  rough_stream stream;
  for (const auto name : copyeta::model_names()) {
    const std::string model(name);
    monitor m(every_sample_every_forecast(model));
    auto plain = copyeta::make_estimator(model);
    rough_stream s;
    int compared = 0;
    for (int i = 0; i < 20'000; ++i) {
      const copyeta::sample x = s.next();
      m.add(x);
      plain->try_add(x);
      if (i % 101 == 0) {
        ASSERT_TRUE(same(m.estimate(s.t()), plain->estimate(s.t()))) << model << " at " << i;
        ++compared;
      }
    }
    EXPECT_GT(compared, 100);
  }
}

TEST(monitor, samples_closer_than_min_gap_are_held_and_only_the_latest_is_fitted) {
  monitor m;  // min_gap 0.05 s
  m.add({0.0, 0, 1'000'000});
  for (int i = 1; i <= 40; ++i) m.add({i * 0.001, static_cast<copyeta::amount>(i) * 100, 1'000'000});
  // The model took the first sample only; the monitor knows the latest.
  EXPECT_EQ(m.model().last()->t, 0.0);
  EXPECT_EQ(m.last()->done, 4000u);
  EXPECT_EQ(m.accepted(), 41u);
  // One min_gap later, the new sample goes straight in and the held ones are dropped.
  m.add({0.05, 5000, 1'000'000});
  EXPECT_EQ(m.model().last()->done, 5000u);
  // An estimate hands the held sample over first.
  m.add({0.06, 5100, 1'000'000});
  EXPECT_EQ(m.estimate(0.06).done, 5100u);
  EXPECT_EQ(m.model().last()->done, 5100u);
}

TEST(monitor, a_restart_or_a_new_total_reaches_the_model_at_once_after_the_held_sample) {
  monitor m;
  m.add({0.0, 0, 1000});
  m.add({0.01, 500, 1000});   // held
  EXPECT_TRUE(m.add({0.02, 100, 1000}).restart);  // below the held 500: a restart
  EXPECT_EQ(m.restarts(), 1u);
  EXPECT_EQ(m.model().restarts(), 1u);  // the model saw 500, then 100
  EXPECT_EQ(m.model().last()->done, 100u);
  m.add({0.03, 200, 1000});   // held
  m.add({0.04, 300, 5000});   // a new total: passed on at once
  EXPECT_EQ(m.model().last()->total, 5000u);
  m.add({0.045, 5000, std::nullopt});  // finished, with the total carried over
  EXPECT_EQ(m.model().last()->done, 5000u);
  EXPECT_EQ(m.estimate(0.045).state, state::finished);
}

// A copy at 10 Hz with a noisy rate, as the replay benchmark's; it ends at the last sample.
std::vector<copyeta::sample> noisy_copy(int n) {
  std::vector<copyeta::sample> out;
  std::uint64_t state = 12345;
  copyeta::amount done = 0;
  for (int i = 0; i < n; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    done += 5'000'000u + (state >> 41);
    out.push_back({0.1 * i, done, std::nullopt});
  }
  for (auto& x : out) x.total = done;
  return out;
}

TEST(monitor, between_forecasts_an_estimate_is_the_last_one_scaled_to_what_is_left) {
  const auto samples = noisy_copy(3000);
  monitor m;  // refresh 1 s
  monitor full(every_sample_every_forecast());
  copyeta::estimate forecast;
  int scaled = 0;
  std::vector<double> errors;
  for (const auto& x : samples) {
    m.add(x);
    full.add(x);
    const copyeta::estimate e = m.estimate(x.t);
    const copyeta::estimate f = full.estimate(x.t);
    ASSERT_EQ(e.state, f.state) << x.t;
    if (e.state != state::ok) continue;
    if (!(x.t - forecast.t < 1.0) || forecast.state != state::ok) {
      forecast = e;  // a full forecast: the model's own answer
      EXPECT_TRUE(same(e, f)) << x.t;
      continue;
    }
    ++scaled;
    const double k = static_cast<double>(*x.total - x.done) /
                     static_cast<double>(*forecast.total - forecast.done);
    EXPECT_DOUBLE_EQ(e.remaining, forecast.remaining * k);
    EXPECT_DOUBLE_EQ(e.lo, forecast.lo * k);
    EXPECT_DOUBLE_EQ(e.hi, forecast.hi * k);
    EXPECT_EQ(e.done, x.done);
    EXPECT_EQ(e.t, x.t);
    // Past the first half minute, when the model's own answer has settled; relative to the
    // time left plus one refresh, since near the end a second is a large share of the rest.
    if (x.t >= 30.0) errors.push_back(std::abs(e.remaining - f.remaining) / (f.remaining + 1.0));
  }
  EXPECT_GT(scaled, 2000);
  // Within a second of a full forecast, scaling moves the answer little on a steady copy.
  std::sort(errors.begin(), errors.end());
  EXPECT_LT(errors[errors.size() / 2], 0.005);
  EXPECT_LT(errors.back(), 0.1);  // 0.0005 and 0.05 when written
}

TEST(monitor, a_stall_or_a_finish_is_never_hidden_by_a_scaled_forecast) {
  copyeta::monitor_options o;
  o.estimator.stall_after = 0.5;
  monitor m(o);
  monitor full([&] {
    auto f = every_sample_every_forecast();
    f.estimator.stall_after = 0.5;
    return f;
  }());
  copyeta::amount done = 0;
  int stalled = 0;
  for (int i = 0; i < 400; ++i) {
    const double t = 0.1 * i;
    if (i < 200 || i >= 260) done += 1'000'000;  // stalled from t = 20 to t = 26
    const copyeta::sample x{t, done, 400'000'000};
    m.add(x);
    full.add(x);
    const copyeta::estimate e = m.estimate(t);
    const copyeta::estimate f = full.estimate(t);
    ASSERT_EQ(e.state, f.state) << t;
    if (e.state == state::stalled) {
      ++stalled;
      EXPECT_NEAR(e.stalled_for, f.stalled_for, 1e-9) << t;
      EXPECT_LE(e.lo, e.remaining);
      EXPECT_LE(e.remaining, e.hi);
      EXPECT_NEAR(e.hi, f.hi, 0.05 * f.hi) << t;
    }
  }
  EXPECT_GT(stalled, 50);
  EXPECT_EQ(m.estimate(39.9).state, full.estimate(39.9).state);
  m.add({40.0, 400'000'000, 400'000'000});
  EXPECT_EQ(m.estimate(40.0).state, state::finished);
}

// The traces people replay sample once a second or less often: for them the bounded rate
// changes nothing, bit for bit.
TEST(monitor, a_trace_sampled_every_second_replays_exactly_as_before) {
  const std::string path = std::string(COPYETA_TEST_DATA_DIR) +
                           "/traces/proxmox_move_disk_mirror_32GiB_moosefs27.csv";
  const copyeta::trace trace = copyeta::read_trace_csv_file(path);
  ASSERT_GT(trace.rows.size(), 20u);
  const auto bounded = copyeta::replay(trace);
  const auto exact = copyeta::replay(trace, every_sample_every_forecast());
  ASSERT_EQ(bounded.size(), exact.size());
  for (std::size_t i = 0; i < bounded.size(); ++i)
    EXPECT_TRUE(same(bounded[i].estimate, exact[i].estimate)) << "row " << i;
}

TEST(monitor, options_reject_a_negative_or_infinite_min_gap_or_refresh) {
  for (const double bad : {-1.0, std::nan(""), HUGE_VAL}) {
    copyeta::monitor_options o;
    o.min_gap = bad;
    EXPECT_THROW(o.validate(), copyeta::options_error);
    o.min_gap = 0.0;
    o.refresh = bad;
    EXPECT_THROW(o.validate(), copyeta::options_error);
  }
}

TEST(monitor, memory_per_model_is_a_constant) {
  // Every model keeps fixed-size state, allocated once with the monitor; the budget
  // is 64 KiB per monitor.
  EXPECT_LE(sizeof(copyeta::models::default_model), 64u * 1024u);
}

}  // namespace
