// The model registry (models.hpp): names, construction, errors, and what every model promises.
#include <copyeta/errors.hpp>
#include <copyeta/models.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <string>
#include <string_view>
#include <vector>

// Counts heap allocations made by this thread, to show that adding samples never allocates.
// The replacement only counts and forwards to malloc/free; it changes nothing else.
namespace {
thread_local long allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using copyeta::amount;
using copyeta::state;

constexpr amount kMax = std::numeric_limits<amount>::max();

const std::vector<std::string_view> kPeers{"average", "pv",        "rsync", "progress",
                                           "tqdm",    "indicatif", "rich"};

TEST(models, names_in_contract_order) {
  const std::vector<std::string_view> expected{"default",  "average", "pv",        "rsync",
                                               "progress", "tqdm",    "indicatif", "rich"};
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

TEST(models, peers_give_the_exact_remaining_at_a_constant_rate_and_no_interval) {
  for (const auto name : copyeta::model_names()) {
    const auto m = copyeta::make_estimator(name);
    for (int k = 0; k <= 40; ++k) m->add({static_cast<double>(k), amount(100) * amount(k), 10'000});
    const auto e = m->estimate(40.0);
    ASSERT_EQ(e.state, state::ok) << name;
    if (copyeta::is_peer_model(name)) {
      EXPECT_NEAR(e.remaining, 60.0, 1e-9) << name;
      EXPECT_EQ(e.lo, e.remaining) << name;
      EXPECT_EQ(e.hi, e.remaining) << name;
    } else {
      EXPECT_LT(e.lo, e.hi) << name;  // copyeta's own model gives an interval
    }
  }
}

TEST(models, reset_and_restart_forget_the_run) {
  for (const auto name : copyeta::model_names()) {
    const auto m = copyeta::make_estimator(name);
    for (int k = 0; k <= 20; ++k) m->add({static_cast<double>(k), amount(100) * amount(k), 10'000});
    ASSERT_EQ(m->estimate(20.0).state, state::ok) << name;
    m->add({21.0, 0, 10'000});  // done went backwards
    EXPECT_EQ(m->estimate(21.0).state, state::warming_up) << name;
    EXPECT_FALSE(m->estimate(21.0).rate) << name;
    for (int k = 22; k <= 30; ++k)
      m->add({static_cast<double>(k), amount(100) * amount(k - 21), 10'000});
    ASSERT_EQ(m->estimate(30.0).state, state::ok) << name;
    m->reset();
    EXPECT_EQ(m->estimate(30.0).state, state::warming_up) << name;
    m->add({0.0, 0, 10'000});
    EXPECT_EQ(m->estimate(0.0).state, state::warming_up) << name;
  }
}

TEST(models, every_estimate_is_finite_and_ordered) {
  const copyeta::sample samples[] = {
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
  };
  for (const auto name : copyeta::model_names()) {
    const auto m = copyeta::make_estimator(name);
    for (const auto& s : samples) {
      m->add(s);
      for (const double now : {s.t, s.t + 0.5, s.t + 60.0, s.t + 1e7}) {
        const auto e = m->estimate(now);
        EXPECT_TRUE(std::isfinite(e.remaining) && e.remaining >= 0.0) << name << " " << now;
        EXPECT_TRUE(std::isfinite(e.lo) && std::isfinite(e.hi)) << name << " " << now;
        EXPECT_LE(e.lo, e.remaining) << name;
        EXPECT_LE(e.remaining, e.hi) << name;
        if (e.rate) EXPECT_TRUE(std::isfinite(*e.rate) && *e.rate > 0.0) << name;
      }
    }
  }
}

TEST(models, adding_samples_and_estimating_never_allocates) {
  for (const auto name : copyeta::model_names()) {
    const auto m = copyeta::make_estimator(name);
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
    EXPECT_EQ(allocations - before, 0) << name;
  }
  // The counter itself works.
  const long before = allocations;
  auto* p = new int(1);
  delete p;
  EXPECT_EQ(allocations - before, 1);
}

}  // namespace
