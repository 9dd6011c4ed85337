#pragma once

#include <copyeta/backtest.hpp>
#include <copyeta/calibration.hpp>
#include <copyeta/detail/stats.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/models.hpp>
#include <copyeta/models/default_model.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace copyeta {

COPYETA_INLINE void backtest_options::validate() const {
  confidence_level{level};
  for (const std::string& name : models) make_estimator(name, {});  // throws for unknown names
}

COPYETA_INLINE metrics_summary backtest_result::summary(std::size_t model,
                                                        std::optional<end_kind> kind) const {
  std::vector<const trace_metrics*> selected;
  for (const entry& e : traces)
    if (!kind || e.kind == *kind) selected.push_back(&e.metrics.at(model));
  return summarize(selected);
}

namespace detail {

// Gives forecasts without an interval the fixed factors learned on the other traces.
inline void widen_by_other_traces(std::vector<std::vector<scored_forecast>>& forecasts,
                                  double level) {
  std::vector<std::vector<std::pair<double, double>>> ratios(forecasts.size());
  for (std::size_t i = 0; i < forecasts.size(); ++i) {
    std::size_t n = 0;
    for (const auto& f : forecasts[i]) n += f.available;
    for (const auto& f : forecasts[i])
      if (f.available)
        ratios[i].emplace_back(f.truth / std::max(f.remaining, 1e-3), 1.0 / static_cast<double>(n));
  }
  for (std::size_t i = 0; i < forecasts.size(); ++i) {
    std::vector<std::pair<double, double>> others;
    for (std::size_t j = 0; j < forecasts.size(); ++j)
      if (j != i) others.insert(others.end(), ratios[j].begin(), ratios[j].end());
    const double lo = weighted_quantile(others, (1.0 - level) / 2.0);
    const double hi = weighted_quantile(others, (1.0 + level) / 2.0);
    for (auto& f : forecasts[i]) {
      if (!f.available || std::isnan(lo)) continue;
      f.lo = std::min(f.remaining * lo, f.remaining);
      f.hi = std::max(f.remaining * hi, f.remaining);
    }
  }
}

}  // namespace detail

COPYETA_INLINE backtest_result backtest(const std::vector<trace>& traces,
                                        const backtest_options& options) {
  options.validate();
  backtest_result result;
  result.level = options.level;
  if (options.models.empty()) {
    for (std::string_view name : model_names()) result.models.emplace_back(name);
  } else {
    result.models = options.models;
  }

  std::vector<scoring_trace> jobs;
  for (const trace& t : traces) {
    std::string why;
    if (auto job = prepare_scoring(t, &why)) {
      result.traces.push_back({job->name, job->kind, job->samples.size(), {}});
      jobs.push_back(std::move(*job));
    } else {
      result.skipped.emplace_back(t.name, why);
    }
  }

  const estimator_options estimator{options.level};
  std::vector<detail::job_evidence> evidence;  // gathered once, for the default model's folds
  for (const std::string& name : result.models) {
    std::vector<std::vector<scored_forecast>> forecasts(jobs.size());
    if (name == "default") {
      if (evidence.empty())
        for (const scoring_trace& job : jobs) evidence.push_back(detail::gather_evidence(job));
      for (std::size_t i = 0; i < jobs.size(); ++i) {
        std::vector<detail::job_evidence> others;
        for (std::size_t j = 0; j < jobs.size(); ++j)
          if (j != i) others.push_back(evidence[j]);
        models::default_model model(estimator, calibration::fit(others));
        forecasts[i] = forecast_trace(jobs[i], model);
      }
    } else {
      const auto model = make_estimator(name, estimator);
      for (std::size_t i = 0; i < jobs.size(); ++i) forecasts[i] = forecast_trace(jobs[i], *model);
      if (is_peer_model(name)) detail::widen_by_other_traces(forecasts, options.level);
    }
    for (std::size_t i = 0; i < jobs.size(); ++i)
      result.traces[i].metrics.push_back(score_forecasts(forecasts[i], options.level, jobs[i].end));
  }
  return result;
}

COPYETA_INLINE std::vector<trace> read_trace_folder(const std::string& folder,
                                                    std::vector<std::string>* errors) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(folder, ec);
  if (ec)
    throw input_error(fmt::format("[copyeta.input] {}: cannot read the folder: {}", folder,
                                  ec.message()));
  std::vector<fs::path> files;
  for (const auto& entry : it)
    if (entry.path().extension() == ".csv") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<trace> out;
  for (const fs::path& file : files) {
    try {
      trace t = read_trace_csv_file(file.string());
      t.name = file.stem().string();
      out.push_back(std::move(t));
    } catch (const input_error& e) {
      if (errors) errors->emplace_back(e.what());
    }
  }
  return out;
}

}  // namespace copyeta
