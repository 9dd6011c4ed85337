#include "scenarios.hpp"

#include <copyeta/backtest.hpp>
#include <copyeta/calibration.hpp>
#include <copyeta/detail/stats.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/models.hpp>
#include <copyeta/models/default_model.hpp>
#include <copyeta/models/tqdm.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

using copyeta::end_kind;

copyeta::trace to_trace(const copyeta::testing::synthetic_run& run, std::string name) {
  std::string csv = "t_seconds,bytes_done,bytes_total\n";
  for (const auto& s : run.samples) csv += fmt::format("{},{},{}\n", s.t, s.done, *s.total);
  return copyeta::parse_trace_csv(csv, std::move(name));
}

// Eight finished synthetic copies of different kinds, and one too short to score.
std::vector<copyeta::trace> corpus() {
  using copyeta::testing::scenario;
  std::vector<copyeta::trace> traces;
  const scenario kinds[] = {scenario::constant, scenario::step_change, scenario::slow_drift,
                            scenario::bursts,   scenario::stall,       scenario::outliers,
                            scenario::constant, scenario::slow_drift};
  std::uint32_t seed = 1;
  for (scenario kind : kinds)
    traces.push_back(to_trace(copyeta::testing::make_run(kind, seed++),
                              fmt::format("{}_{}", copyeta::testing::to_string(kind), seed)));
  traces.push_back(copyeta::parse_trace_csv("t_seconds,bytes_done,bytes_total\n0,1,\n1,2,\n", "short"));
  return traces;
}

TEST(backtest, scores_every_model_on_every_scorable_trace) {
  const auto r = copyeta::backtest(corpus(), {0.8, {"default", "kalman", "tqdm"}});
  ASSERT_EQ(r.traces.size(), 8u);
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0].first, "short");
  EXPECT_EQ(r.skipped[0].second, "2 rows and no real end (a milestone needs at least 10)");
  for (const auto& e : r.traces) {
    EXPECT_EQ(e.kind, end_kind::real_end);
    ASSERT_EQ(e.metrics.size(), 3u);
    for (const auto& m : e.metrics) {
      EXPECT_GT(m.scored, 100u);
      EXPECT_GE(m.availability, 0.9);
      EXPECT_FALSE(std::isnan(m.coverage));
    }
  }
  EXPECT_EQ(r.summary(0).traces, 8u);
  EXPECT_EQ(r.summary(0, end_kind::milestone).traces, 0u);
}

TEST(backtest, the_default_model_is_scored_by_a_calibration_that_never_saw_the_trace) {
  const auto traces = corpus();
  const auto r = copyeta::backtest(traces, {0.8, {"default"}});
  // Trace 3 by hand: calibrate on the other scorable traces, replay, score.
  std::vector<copyeta::trace> others(traces.begin(), traces.end() - 1);
  others.erase(others.begin() + 3);
  copyeta::models::default_model model({0.8}, copyeta::calibration::fit(others));
  const auto job = copyeta::prepare_scoring(traces[3]);
  const auto expected = copyeta::score_forecasts(copyeta::forecast_trace(*job, model), 0.8, job->end);
  EXPECT_EQ(r.traces[3].metrics[0].q_error, expected.q_error);
  EXPECT_EQ(r.traces[3].metrics[0].coverage, expected.coverage);
  EXPECT_EQ(r.traces[3].metrics[0].interval_score, expected.interval_score);
}

TEST(backtest, peers_get_fixed_factors_learned_on_the_other_traces) {
  const auto traces = corpus();
  const auto r = copyeta::backtest(traces, {0.8, {"tqdm"}});
  // By hand for trace 0: the 10th and 90th percentiles of R/P over traces 1..7, every trace
  // weighing the same in total.
  std::vector<std::pair<double, double>> ratios;
  copyeta::models::tqdm model;
  for (std::size_t i = 1; i < 8; ++i) {
    const auto job = copyeta::prepare_scoring(traces[i]);
    const auto f = copyeta::forecast_trace(*job, model);
    std::size_t n = 0;
    for (const auto& x : f) n += x.available;
    for (const auto& x : f)
      if (x.available) ratios.emplace_back(x.truth / x.remaining, 1.0 / static_cast<double>(n));
  }
  const double lo = copyeta::detail::weighted_quantile(ratios, 0.1);
  const double hi = copyeta::detail::weighted_quantile(ratios, 0.9);
  const auto job = copyeta::prepare_scoring(traces[0]);
  auto f = copyeta::forecast_trace(*job, model);
  for (auto& x : f) {
    x.lo = std::min(x.remaining * lo, x.remaining);
    x.hi = std::max(x.remaining * hi, x.remaining);
  }
  const auto expected = copyeta::score_forecasts(f, 0.8, job->end);
  EXPECT_EQ(r.traces[0].metrics[0].coverage, expected.coverage);
  EXPECT_EQ(r.traces[0].metrics[0].interval_score, expected.interval_score);
  EXPECT_LT(lo, 1.0);
  EXPECT_GT(hi, 1.0);
}

TEST(backtest, options_are_validated) {
  EXPECT_THROW(copyeta::backtest({}, {1.5, {}}), copyeta::options_error);
  EXPECT_THROW(copyeta::backtest({}, {0.8, {"nope"}}), copyeta::options_error);
  const auto r = copyeta::backtest({}, {});
  EXPECT_EQ(r.models.front(), "default");
  EXPECT_EQ(r.models.size(), copyeta::model_names().size());
}

TEST(backtest, reads_a_folder_in_name_order_and_reports_bad_files) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "copyeta_test_backtest_folder";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "b.csv") << "t_seconds,bytes_done,bytes_total\n0,0,10\n1,10,10\n";
  std::ofstream(dir / "a.csv") << "t_seconds,bytes_done\n0,0\n";
  std::ofstream(dir / "bad.csv") << "time,amount\n0,0\n";
  std::ofstream(dir / "notes.txt") << "not a trace\n";
  std::vector<std::string> errors;
  const auto traces = copyeta::read_trace_folder(dir.string(), &errors);
  ASSERT_EQ(traces.size(), 2u);
  EXPECT_EQ(traces[0].name, "a");
  EXPECT_EQ(traces[1].name, "b");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("bad.csv"), std::string::npos);
  EXPECT_THROW(copyeta::read_trace_folder((dir / "missing").string()), copyeta::input_error);
  fs::remove_all(dir);
}

}  // namespace
