// The model registry (models.hpp): names, construction, errors, and what every model promises.
#include "allocations.hpp"
#include "synthetic.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/models.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

// Counts heap allocations made by this thread (allocations.hpp), to show that adding samples
// never allocates. The replacement only counts and forwards to malloc/free; it changes nothing
// else.
namespace {

thread_local long allocations = 0;

void* counted_new(std::size_t size, std::size_t alignment = 0) {
  ++allocations;
  if (size == 0) size = 1;
  void* p = nullptr;
  if (alignment > alignof(std::max_align_t))
    p = std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
  else
    p = std::malloc(size);
  if (!p) throw std::bad_alloc();
  return p;
}

template <class... Alignment>
void* counted_new_nothrow(std::size_t size, Alignment... alignment) noexcept {
  try {
    return counted_new(size, static_cast<std::size_t>(alignment)...);
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

long copyeta::testing::allocations_on_this_thread() noexcept { return allocations; }

void* operator new(std::size_t size) { return counted_new(size); }
void* operator new[](std::size_t size) { return counted_new(size); }
void* operator new(std::size_t size, std::align_val_t a) {
  return counted_new(size, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t size, std::align_val_t a) {
  return counted_new(size, static_cast<std::size_t>(a));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return counted_new_nothrow(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return counted_new_nothrow(size);
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_new_nothrow(size, a);
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_new_nothrow(size, a);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace {

using copyeta::amount;
using copyeta::state;

constexpr amount kMax = std::numeric_limits<amount>::max();

const std::vector<std::string_view> kPeers{"average", "pv",        "rsync", "progress",
                                           "tqdm",    "indicatif", "rich"};

TEST(models, names_in_contract_order) {
  const std::vector<std::string_view> expected{
      "default", "robust_window", "drift_diffusion", "kalman",    "average", "pv",
      "rsync",   "progress",      "tqdm",            "indicatif", "rich"};
  EXPECT_EQ(copyeta::model_names(), expected);
}

TEST(models, every_name_builds_a_model_of_that_name) {
  for (const auto name : copyeta::model_names()) {
    const auto m = copyeta::make_estimator(name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->name(), name);
    EXPECT_EQ(m->estimate(0.0).state, state::warming_up) << name;
  }
}

TEST(models, unknown_name_throws_and_lists_the_known_ones) {
  for (const std::string_view bad : {"nope", "", "TQDM", "tqdm ", "default_model"}) {
    try {
      copyeta::make_estimator(bad);
      ADD_FAILURE() << "no exception for '" << bad << "'";
    } catch (const copyeta::options_error& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind("[copyeta.options]", 0), 0u) << what;
      EXPECT_NE(what.find("'" + std::string(bad) + "'"), std::string::npos) << what;
      for (const auto name : copyeta::model_names())
        EXPECT_NE(what.find(std::string(name)), std::string::npos) << name << " in " << what;
    }
  }
}

TEST(models, invalid_options_are_rejected_by_every_model) {
  copyeta::estimator_options bad;
  bad.level = 1.5;
  for (const auto name : copyeta::model_names())
    EXPECT_THROW(copyeta::make_estimator(name, bad), copyeta::options_error) << name;
}

TEST(models, is_peer_model_names_the_seven_peers) {
  for (const auto name : kPeers) EXPECT_TRUE(copyeta::is_peer_model(name)) << name;
  for (const std::string_view other : {"default", "", "nope", "Rich", "robust_window"})
    EXPECT_FALSE(copyeta::is_peer_model(other)) << other;
  std::size_t peers = 0;
  for (const auto name : copyeta::model_names()) peers += copyeta::is_peer_model(name) ? 1 : 0;
  EXPECT_EQ(peers, kPeers.size());
}

// What every model promises, one instance per name of model_names() (copyeta's own "default"
// included). Answers particular to a model are in test_models_<name>.cpp.
class every_model : public ::testing::TestWithParam<std::string_view> {
 protected:
  std::string_view name() const { return GetParam(); }
  bool peer() const { return copyeta::is_peer_model(GetParam()); }
  std::unique_ptr<copyeta::estimator> make() const { return copyeta::make_estimator(GetParam()); }

  // The checks that hold for any estimate: finite, ordered, non-negative; peers give no interval.
  void expect_well_formed(const copyeta::estimate& e, double now) const {
    EXPECT_TRUE(std::isfinite(e.remaining) && e.remaining >= 0.0) << "now " << now;
    EXPECT_TRUE(std::isfinite(e.lo) && std::isfinite(e.hi)) << "now " << now;
    EXPECT_LE(e.lo, e.remaining) << "now " << now;
    EXPECT_LE(e.remaining, e.hi) << "now " << now;
    if (e.rate) EXPECT_TRUE(std::isfinite(*e.rate) && *e.rate > 0.0) << "now " << now;
    if (peer()) {
      EXPECT_EQ(e.lo, e.remaining) << "now " << now;
      EXPECT_EQ(e.hi, e.remaining) << "now " << now;
    }
  }
};

TEST_P(every_model, name_and_no_interval) {
  const auto m = make();
  EXPECT_EQ(m->name(), name());
  m->add({0.0, 0, 1000});
  EXPECT_EQ(m->estimate(0.0).state, state::warming_up);
  EXPECT_EQ(m->estimate(5.0).state, state::warming_up);  // time alone is no progress
  // pv only takes a point 5 s after its last; every other model is ready one second in.
  const int ready = name() == "pv" ? 5 : 1;
  for (int k = 1; k <= 5; ++k) {
    m->add({static_cast<double>(k), amount(100) * amount(k), 1000});
    const auto e = m->estimate(k);
    EXPECT_EQ(e.state, k < ready ? state::warming_up : state::ok) << k;
    expect_well_formed(e, k);
    if (e.state == state::ok && !peer()) EXPECT_LT(e.lo, e.hi) << k;  // default: an interval
  }
}

TEST_P(every_model, constant_rate_gives_the_exact_remaining) {
  // 100/s of 10,000, estimated at the sample after n seconds: inside and beyond every model's
  // window (tqdm's and indicatif's EMAs, rsync's slots, rich's 30 s; at n = 47 pv's rate is that
  // of its point at t = 45). The peers' answer is exact: 100 - n seconds.
  for (const int n : {10, 20, 25, 30, 40, 47, 50}) {
    const auto m = make();
    for (int k = 0; k <= n; ++k) m->add({static_cast<double>(k), amount(100) * amount(k), 10'000});
    const auto e = m->estimate(n);
    ASSERT_EQ(e.state, state::ok) << n;
    expect_well_formed(e, n);
    if (peer()) {
      EXPECT_DOUBLE_EQ(*e.rate, 100.0) << n;
      EXPECT_DOUBLE_EQ(e.remaining, 100.0 - n) << n;
    } else {
      EXPECT_LT(e.lo, e.hi) << n;
    }
  }
}

TEST_P(every_model, amounts_near_the_top_of_uint64) {
  // 1000/s in the last 10^6 of the range, sampled every `step` seconds (pv takes a point every
  // 5 s). Converting to double before subtracting would lose these differences (ulp 4096 up
  // here); the peers' rate and remaining stay exact.
  const amount base = kMax - 1'000'000;
  for (const int step : {1, 2, 5}) {
    const auto m = make();
    double t = 0.0;
    for (int k = 0; k <= 6; ++k) {
      t = step * k;
      m->add({t, base + amount(1000) * amount(step * k), kMax});
      const auto e = m->estimate(t);
      expect_well_formed(e, t);
      if (k == 6) EXPECT_EQ(e.state, state::ok) << "step " << step;
      if (e.state == state::ok && peer()) {
        EXPECT_DOUBLE_EQ(*e.rate, 1000.0) << "step " << step << " t " << t;
        EXPECT_DOUBLE_EQ(e.remaining, 1000.0 - t) << "step " << step << " t " << t;
      }
    }
    m->add({t + 1.0, kMax, kMax});
    EXPECT_EQ(m->estimate(t + 1.0).state, state::finished) << "step " << step;
  }
}

TEST_P(every_model, reset_and_restart_forget_the_run) {
  const auto m = make();
  for (int k = 0; k <= 20; ++k) m->add({static_cast<double>(k), amount(100) * amount(k), 10'000});
  ASSERT_EQ(m->estimate(20.0).state, state::ok);
  m->add({21.0, 0, 10'000});  // done went backwards
  EXPECT_EQ(m->estimate(21.0).state, state::warming_up);
  EXPECT_FALSE(m->estimate(21.0).rate);
  for (int k = 22; k <= 30; ++k)
    m->add({static_cast<double>(k), amount(100) * amount(k - 21), 10'000});
  ASSERT_EQ(m->estimate(30.0).state, state::ok);
  m->reset();
  EXPECT_EQ(m->estimate(30.0).state, state::warming_up);
  m->add({0.0, 0, 10'000});
  EXPECT_EQ(m->estimate(0.0).state, state::warming_up);
}

TEST_P(every_model, shifting_the_time_origin_changes_nothing) {
  // done = c k^2 at t = step k, copied to t = shift + step k; the estimates at `now` must agree.
  // All times are exact in a double, so the peers agree to the last bit or two.
  struct run {
    double step;
    int samples;
    amount c;
    amount total;
    double now;
  };
  const run runs[] = {
      {0.5, 10, 37, 100'000, 5.0},       {0.75, 60, 13, 1'000'000, 45.0},
      {0.375, 40, 7, 1'000'000, 15.0},   {0.625, 30, 11, 1'000'000, 18.75},
      {0.625, 30, 11, 1'000'000, 20.0},  {0.625, 80, 11, 1'000'000, 50.0},
  };
  for (const double shift : {1024.0, 4096.0, 65536.0, 1e6}) {
    for (const auto& r : runs) {
      const auto a = make();
      const auto b = make();
      for (int k = 0; k <= r.samples; ++k) {
        const amount done = r.c * amount(k) * amount(k);
        a->add({r.step * k, done, r.total});
        b->add({shift + r.step * k, done, r.total});
      }
      const auto ea = a->estimate(r.now);
      const auto eb = b->estimate(shift + r.now);
      const auto where = ::testing::Message() << "shift " << shift << " step " << r.step;
      EXPECT_EQ(ea.state, eb.state) << where;
      EXPECT_NEAR(ea.remaining, eb.remaining, 1e-9 * ea.remaining) << where;
      EXPECT_NEAR(ea.lo, eb.lo, 1e-9 * ea.lo) << where;
      EXPECT_NEAR(ea.hi, eb.hi, 1e-9 * ea.hi) << where;
      ASSERT_EQ(ea.rate.has_value(), eb.rate.has_value()) << where;
      if (ea.rate) EXPECT_NEAR(*ea.rate, *eb.rate, 1e-9 * *ea.rate) << where;
      if (peer()) EXPECT_DOUBLE_EQ(ea.remaining, eb.remaining) << where;
    }
  }
}

TEST_P(every_model, scaling_every_amount_scales_only_the_rate) {
  // A noisy copy, and the same with every amount times 1000: the same times, 1000x the rate.
  const auto samples = copyeta::testing::noisy_rate(1000.0, 1'000'000, 0.3, 7);
  const auto a = make();
  const auto b = make();
  for (std::size_t i = 0; i < samples.size() / 2; ++i) {
    const auto& s = samples[i];
    a->add(s);
    b->add({s.t, s.done * 1000, *s.total * 1000});
    const auto ea = a->estimate(s.t);
    const auto eb = b->estimate(s.t);
    const auto where = ::testing::Message() << "t " << s.t;
    ASSERT_EQ(ea.state, eb.state) << where;
    EXPECT_NEAR(eb.remaining, ea.remaining, 1e-9 * ea.remaining) << where;
    EXPECT_NEAR(eb.lo, ea.lo, 1e-9 * ea.lo) << where;
    EXPECT_NEAR(eb.hi, ea.hi, 1e-9 * ea.hi) << where;
    ASSERT_EQ(ea.rate.has_value(), eb.rate.has_value()) << where;
    if (ea.rate) EXPECT_NEAR(*eb.rate, 1000.0 * *ea.rate, 1e-9 * 1000.0 * *ea.rate) << where;
  }
}

TEST_P(every_model, every_estimate_is_finite_ordered_and_non_negative) {
  // Bursts, stalls, equal timestamps, restarts, a rate too large for a double, the full range.
  const std::vector<std::vector<copyeta::sample>> runs{
      {
          {0.0, 0, kMax},
          {1e-300, kMax - 1, kMax},
          {1e-300, kMax - 1, kMax},
          {1.0, kMax - 1, kMax},
          {1.0, 5, 100},
          {2.0, 6, 100},
          {2.0, 6, 100},
          {3.0, 90, 100},
          {7.5, 91, 100},
          {100.0, 99, 100},
          {100.0, 100, 100},
          {101.0, 0, kMax},
          {102.0, 1, kMax},
          {103.0, kMax / 2, kMax},
          {1e9, kMax - 2, kMax},
          {1e9 + 1, kMax - 1, {}},
          {1e9 + 2, 0, {}},
          {1e9 + 3, 1000, 5000},
          {1e9 + 40, 2000, 5000},
          {1e9 + 4000, 2001, 5000},
      },
      {{0.0, 0, kMax}, {1e-300, kMax - 1, kMax}, {1e-300, kMax - 1, kMax}, {2.0, 5, 100},
       {2.0, 6, 100}, {3.0, 6, 100}, {4.0, 90, 100}, {100.0, 99, 100}, {100.0, 100, 100},
       {101.0, 0, kMax}, {102.0, 1, kMax}, {1e9, 2, kMax}},
      {{0.0, 0, kMax}, {1e-300, kMax - 1, kMax}, {5.0, kMax - 1, kMax}, {5.0, 5, 100},
       {10.0, 6, 100}, {15.0, 90, 100}, {100.0, 99, 100}, {200.0, 100, 100}, {201.0, 0, kMax},
       {207.0, 1, kMax}, {1e9, 2, kMax}},
      {{0.0, 0, kMax}, {1e-300, kMax - 1, kMax}, {1.0, kMax - 1, kMax}, {1.0, 5, 100},
       {2.0, 6, 100}, {3.0, 90, 100}, {100.0, 99, 100}, {200.0, 100, 100}, {201.0, 0, kMax},
       {202.0, 1, kMax}, {1e9, 2, kMax}},
  };
  for (std::size_t r = 0; r < runs.size(); ++r) {
    SCOPED_TRACE(::testing::Message() << "run " << r);
    const auto m = make();
    bool any_ok = false;
    for (const auto& s : runs[r]) {
      m->add(s);
      for (const double now : {s.t, s.t + 0.5, s.t + 1.0, s.t + 60.0, s.t + 1e6, s.t + 1e7}) {
        const auto e = m->estimate(now);
        expect_well_formed(e, now);
        any_ok = any_ok || e.state == state::ok;
      }
    }
    EXPECT_TRUE(any_ok);  // the checks above did not only see warming_up
  }
}

TEST_P(every_model, adding_samples_and_estimating_never_allocates) {
  const auto m = make();
  const long before = allocations;
  // 100 samples a second for 40 s (more than rich's 1000 points in its 30 s window), a stall,
  // equal timestamps and a restart.
  for (int k = 0; k <= 4000; ++k) {
    m->add({k / 100.0, amount(1000) * amount(k), 100'000'000});
    m->add({k / 100.0, amount(1000) * amount(k), 100'000'000});
    (void)m->estimate(k / 100.0);
  }
  for (int k = 4001; k <= 5000; ++k) {
    m->add({k / 100.0, 4'000'000, 100'000'000});
    (void)m->estimate(k / 100.0 + 3.0);
  }
  m->add({60.0, 10, 100'000'000});
  (void)m->estimate(61.0);
  EXPECT_EQ(allocations - before, 0);
}

INSTANTIATE_TEST_SUITE_P(models, every_model, ::testing::ValuesIn(copyeta::model_names()),
                         [](const ::testing::TestParamInfo<std::string_view>& info) {
                           return std::string(info.param);
                         });

TEST(models, the_allocation_counter_counts) {
  const long before = allocations;
  auto* p = new int(1);
  delete p;
  EXPECT_EQ(allocations - before, 1);
}

}  // namespace
