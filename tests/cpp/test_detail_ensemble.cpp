#include "scenarios.hpp"

#include <copyeta/detail/ensemble.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace {

using copyeta::detail::combine;
using copyeta::detail::component_forecast;

TEST(ensemble, weighted_log_mean_with_the_mixture_spread) {
  // Medians e^1, e^2, e^4 with spreads 0.1, 0.2, 0.3 and weights 0.5, 0.25, 0.25.
  const auto c = combine({component_forecast{true, 1.0, 0.1}, {true, 2.0, 0.2}, {true, 4.0, 0.3}},
                         {0.5, 0.25, 0.25});
  ASSERT_TRUE(c);
  EXPECT_DOUBLE_EQ(c->log_median, 2.0);
  // Mixture variance 0.5·(0.01 + 1) + 0.25·(0.04 + 0) + 0.25·(0.09 + 4) = 1.5375: its sd is
  // capped at 1, then combined with the structural spread.
  EXPECT_NEAR(c->spread, std::sqrt(1.0 + 0.09), 1e-12);
  const auto narrow = combine({component_forecast{true, 1.0, 0.1}, {true, 1.2, 0.2}, {true, 1.0, 0.3}},
                              {0.5, 0.25, 0.25});
  // 0.5·0.01 + 0.25·(0.04 + 0.0225) + 0.25·(0.09 + 0.0025), with 0.05 mean offset included.
  const double mean = 1.05;
  const double variance = 0.5 * (0.01 + 0.0025) + 0.25 * (0.04 + (1.2 - mean) * (1.2 - mean)) +
                          0.25 * (0.09 + 0.0025);
  EXPECT_NEAR(narrow->spread, std::sqrt(variance + 0.09), 1e-12);
}

TEST(ensemble, unavailable_components_drop_out_and_the_rest_renormalise) {
  const auto c = combine({component_forecast{true, 1.0, 0.1}, {false, 9.0, 9.0}, {true, 3.0, 0.1}},
                         {0.5, 0.4, 0.1});
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->log_median, (0.5 * 1.0 + 0.1 * 3.0) / 0.6, 1e-12);
}

TEST(ensemble, zero_weighted_components_stand_in_only_when_nothing_else_is_there) {
  const auto c = combine({component_forecast{false}, {true, 2.0, 0.1}, {true, 4.0, 0.1}},
                         {1.0, 0.0, 0.0});
  ASSERT_TRUE(c);
  EXPECT_DOUBLE_EQ(c->log_median, 3.0);  // equal weights over the available two
  EXPECT_FALSE(combine({component_forecast{}, {}, {}}, {0.2, 0.3, 0.5}));
}

TEST(ensemble, the_spread_has_a_structural_floor) {
  const auto c = combine({component_forecast{true, 1.0, 0.0}, {true, 1.0, 0.0}, {true, 1.0, 0.0}},
                         {0.2, 0.3, 0.5});
  EXPECT_DOUBLE_EQ(c->spread, copyeta::detail::structural_spread);
}

TEST(ensemble, a_component_estimate_in_log_space) {
  const double z = 1.2815515655446004;
  const auto f = copyeta::detail::to_component_forecast(true, 100.0, 50.0, 200.0, z);
  EXPECT_TRUE(f.available);
  EXPECT_DOUBLE_EQ(f.log_median, std::log(100.0));
  EXPECT_DOUBLE_EQ(f.spread, std::log(4.0) / (2.0 * z));
  // Times below a millisecond are taken as one, as metrics.md does.
  const auto tiny = copyeta::detail::to_component_forecast(true, 0.0, 0.0, 0.0, z);
  EXPECT_DOUBLE_EQ(tiny.log_median, std::log(1e-3));
  EXPECT_DOUBLE_EQ(tiny.spread, 0.0);
  EXPECT_FALSE(copyeta::detail::to_component_forecast(false, 1.0, 1.0, 1.0, z).available);
}

TEST(ensemble, the_default_models_reading_skips_only_what_cannot_change_its_answer) {
  using copyeta::testing::scenario;
  const std::array<std::array<double, 3>, 6> grid{
      {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {0.2, 0, 0.8}, {0.3, 0.3, 0.4}, {0, 0.5, 0.5}}};
  std::size_t skipped = 0;             // zero-weighted forecasts left unread
  std::size_t rate_fallbacks = 0;      // no weighted rate: the window's was read
  std::size_t forecast_fallbacks = 0;  // no weighted forecast: every available one was read
  const auto check = [&](const copyeta::detail::ensemble_members& members, double now) {
    const auto full = members.read(now);
    for (const auto& w : grid) {
      const auto lazy = members.read(now, w, true);
      // The combined forecast is the same, bit for bit.
      const auto a = combine(full.forecasts, w);
      const auto b = combine(lazy.forecasts, w);
      ASSERT_EQ(a.has_value(), b.has_value());
      if (a) {
        EXPECT_EQ(a->log_median, b->log_median);
        EXPECT_EQ(a->spread, b->spread);
      }
      // So are the rates the default model reads: the weighted ones, else the window's.
      bool weighted_rate = false;
      bool weighted_forecast = false;
      for (std::size_t k = 0; k < 3; ++k) {
        if (!(w[k] > 0.0)) continue;
        EXPECT_EQ(full.rates[k], lazy.rates[k]);
        weighted_rate = weighted_rate || full.rates[k].has_value();
        weighted_forecast = weighted_forecast || full.forecasts[k].available;
      }
      if (!weighted_rate) {
        EXPECT_EQ(full.rates[0], lazy.rates[0]);
        ++rate_fallbacks;
      }
      bool any = false;
      for (std::size_t k = 0; k < 3; ++k) {
        any = any || full.forecasts[k].available;
        if (w[k] != 0.0 || !weighted_forecast) {
          EXPECT_EQ(full.forecasts[k].available, lazy.forecasts[k].available);
        } else if (full.forecasts[k].available && !lazy.forecasts[k].available) {
          ++skipped;
        }
      }
      if (!weighted_forecast && any) ++forecast_fallbacks;
    }
    // Without a forecast to make, only the rate is read.
    const auto rate_only = members.read(now, grid[0], false);
    EXPECT_EQ(rate_only.rates[2], full.rates[2]);
    EXPECT_FALSE(rate_only.forecasts[1].available);
  };
  for (const scenario kind : {scenario::stall, scenario::bursts, scenario::irregular_sampling}) {
    const auto run = copyeta::testing::make_run(kind, 3);
    copyeta::detail::ensemble_members members(copyeta::estimator_options{});
    for (const copyeta::sample& s : run.samples) {
      members.add(s);
      check(members, s.t);
      check(members, s.t + 40.0);
    }
  }
  // A copy too fast for drift_diffusion (over 1e150 a second): only the other two forecast.
  copyeta::detail::ensemble_members members(copyeta::estimator_options{});
  for (int i = 0; i < 8; ++i) {
    const double t = 1e-135 * i;
    members.add({t, static_cast<copyeta::amount>(i) * 500'000'000'000'000'000u,
                 copyeta::amount{1} << 63});
    check(members, t);
  }
  EXPECT_GT(skipped, 1000u);
  EXPECT_GT(rate_fallbacks, 10u);
  EXPECT_GT(forecast_fallbacks, 0u);
}

}  // namespace
