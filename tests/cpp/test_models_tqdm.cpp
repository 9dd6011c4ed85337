// The tqdm model's own answers, computed by hand. What every model promises (name, no interval,
// exact constant rate, time origin, finite estimates, ...) is tested once in test_models.cpp.
#include <copyeta/models/tqdm.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace {

using copyeta::amount;
using copyeta::state;
using copyeta::models::tqdm;

TEST(models_tqdm, step_change_follows_the_ema) {
  // dn = 100, 100, 300 with dt = 1: EMA(dn) = 30, 51, 125.7; EMA(dt) = 0.3, 0.51, 0.657
  // (the bias corrections cancel in the ratio).
  tqdm m;
  m.add({0.0, 0, 1000});
  m.add({1.0, 100, 1000});
  m.add({2.0, 200, 1000});
  m.add({3.0, 500, 1000});
  const auto e = m.estimate(3.0);
  EXPECT_NEAR(*e.rate, 125.7 / 0.657, 1e-9);
  EXPECT_NEAR(e.remaining, 500.0 * 0.657 / 125.7, 1e-12);
}

TEST(models_tqdm, stall_freezes_and_the_next_dt_spans_it) {
  tqdm m;
  m.add({0.0, 0, 10'000});
  m.add({1.0, 100, 10'000});
  for (int k = 2; k <= 30; ++k) m.add({static_cast<double>(k), 100, 10'000});
  const auto e = m.estimate(30.0);
  EXPECT_EQ(e.state, state::stalled);
  EXPECT_DOUBLE_EQ(*e.rate, 100.0);  // frozen: the EMAs only move with progress
  EXPECT_DOUBLE_EQ(e.remaining, 99.0);
  EXPECT_DOUBLE_EQ(*m.estimate(100.0).rate, 100.0);
  m.add({31.0, 400, 10'000});  // dn = 300 over dt = 30 (since t = 1)
  // EMA(dn) = 0.3 * 300 + 0.7 * 30 = 111; EMA(dt) = 0.3 * 30 + 0.7 * 0.3 = 9.21
  EXPECT_NEAR(*m.estimate(31.0).rate, 111.0 / 9.21, 1e-9);
}

TEST(models_tqdm, restart_clears_the_emas) {
  tqdm m;
  m.add({0.0, 0, 10'000});
  m.add({1.0, 100, 10'000});
  m.add({2.0, 10, 10'000});
  EXPECT_EQ(m.estimate(2.0).state, state::warming_up);
  m.add({4.0, 1010, 10'000});
  EXPECT_DOUBLE_EQ(*m.estimate(4.0).rate, 500.0);  // 1000 / 2, nothing of the first run
}

TEST(models_tqdm, equal_timestamps_wait_for_the_next_dt) {
  tqdm m;
  m.add({0.0, 0, 10'000});
  m.add({1.0, 100, 10'000});
  m.add({1.0, 150, 10'000});  // dt = 0: nothing changes
  EXPECT_DOUBLE_EQ(*m.estimate(1.0).rate, 100.0);
  m.add({2.0, 250, 10'000});  // dn = 150 since the last update at t = 1
  // EMA(dn) = 0.3 * 150 + 0.7 * 30 = 66; EMA(dt) = 0.3 + 0.21 = 0.51
  EXPECT_NEAR(*m.estimate(2.0).rate, 66.0 / 0.51, 1e-9);
}

// The real trace of tests/python/test_tqdm_peer.py, with tqdm's remaining time computed in Python
// by tqdm.std.EMA (tqdm 4.64.1) driven by tqdm.update()'s logic, at a few rows.
TEST(models_tqdm, matches_python_tqdm_on_a_real_trace) {
  const std::string path = std::string(COPYETA_TEST_DATA_DIR) +
                           "/traces/curl_meter_gguf_13_26G_27min_complete_yargipro.csv";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  const std::map<int, double> expected{
      {1, 1562.4400371801125},    {2, 1588.3796836530842},    {10, 1589.5441625644085},
      {100, 1503.993920264381},   {500, 1253.2135876290167},  {800, 897.1069295333745},
      {1200, 435.78190788637966}, {1600, 28.668292786694238},
  };
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line.rfind("t_seconds,bytes_done,bytes_total", 0), 0u) << line;
  tqdm m;
  int row = 0;
  int checked = 0;
  for (; std::getline(in, line); ++row) {
    std::istringstream cells(line);
    std::string t, done, total;
    std::getline(cells, t, ',');
    std::getline(cells, done, ',');
    std::getline(cells, total, ',');
    m.add({std::strtod(t.c_str(), nullptr), std::strtoull(done.c_str(), nullptr, 10),
           std::strtoull(total.c_str(), nullptr, 10)});
    if (row == 0) EXPECT_EQ(m.estimate(m.last()->t).state, state::warming_up);
    if (const auto it = expected.find(row); it != expected.end()) {
      const auto e = m.estimate(m.last()->t);
      EXPECT_EQ(e.state, state::ok) << row;
      EXPECT_NEAR(e.remaining, it->second, 1e-9 * it->second) << "row " << row;
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(expected.size()));
  EXPECT_EQ(row, 1627);
}

}  // namespace
