// Scoring forecasts against what really happened, exactly as docs/METRICS.md defines it.
//
// A trace is scored on its real end when it reaches its total, or else as a milestone: cut at its
// last row, whose amount becomes the total and whose time becomes the end. Only samples between
// 5% and 95% done, before the end, are scored.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/estimator.hpp>
#include <copyeta/trace.hpp>

#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace copyeta {

enum class end_kind : unsigned char {
  real_end,   // the trace reaches its total
  milestone,  // cut at its last row, whose amount becomes the total
};
std::string_view to_string(end_kind kind) noexcept;

// The progress buckets of metrics.md: early [5%, 35%), mid [35%, 65%), late [65%, 95%].
inline constexpr std::size_t bucket_count = 3;
std::size_t bucket_of(double fraction) noexcept;
std::string_view bucket_name(std::size_t bucket) noexcept;  // "early", "mid", "late"

// A trace ready to be scored.
struct scoring_trace {
  std::string name;
  end_kind kind = end_kind::real_end;
  double end = 0.0;             // T: the time of the real end or of the cut
  std::vector<sample> samples;  // what a model is fed, up to and including the end; a
                                // milestone's samples all carry the cut amount as their total

  // done / total of sample i.
  double fraction(std::size_t i) const noexcept;
  // Whether sample i is scored: 5% <= fraction <= 95% and t < end.
  bool scored(std::size_t i) const noexcept;
};

// The scoring of a trace under metrics.md, or nullopt when it cannot be scored (no known total
// that it reaches, and fewer than 10 rows or less than 30 s for a milestone); `why` then says so.
std::optional<scoring_trace> prepare_scoring(const trace& input, std::string* why = nullptr);

// One scored sample: the truth and what a model said there.
struct scored_forecast {
  double t = 0.0;
  double fraction = 0.0;
  double truth = 0.0;       // R = T - t
  bool available = false;   // whether the model gave a prediction (not warming_up etc.)
  double remaining = 0.0;   // P
  double lo = 0.0;          // [L, H]
  double hi = 0.0;
};

// Resets `model`, feeds it every sample, and records its estimate at each scored sample's time.
std::vector<scored_forecast> forecast_trace(const scoring_trace& input, estimator& model);

inline constexpr double no_value = std::numeric_limits<double>::quiet_NaN();

struct bucket_metrics {
  std::size_t predicted = 0;
  double coverage = no_value;  // NaN when the bucket has no prediction
};

// The per-trace figures of metrics.md. NaN where nothing was predicted.
struct trace_metrics {
  std::size_t scored = 0;
  std::size_t predicted = 0;
  double availability = no_value;
  double q_error = no_value;         // median of |ln(P/R)|, P clamped to >= 1 ms
  double coverage = no_value;        // mean of L <= R <= H
  double interval_score = no_value;  // median
  double flip_flop = no_value;
  std::array<bucket_metrics, bucket_count> buckets{};
};

trace_metrics score_forecasts(const std::vector<scored_forecast>& forecasts, double level,
                              double end);

// Means over traces (each trace counts once); NaN entries are left out of each mean.
struct metrics_summary {
  std::size_t traces = 0;
  double availability = no_value;
  double q_error = no_value;
  double coverage = no_value;
  double interval_score = no_value;
  double flip_flop = no_value;
  std::array<double, bucket_count> bucket_coverage{no_value, no_value, no_value};
};

metrics_summary summarize(const std::vector<const trace_metrics*>& traces);

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/scoring-inl.hpp>
#endif
