#pragma once

#include <copyeta/detail/stats.hpp>
#include <copyeta/scoring.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace copyeta {

COPYETA_INLINE std::string_view to_string(end_kind kind) noexcept {
  return kind == end_kind::real_end ? "real_end" : "milestone";
}

COPYETA_INLINE std::size_t bucket_of(double fraction) noexcept {
  if (fraction < 0.35) return 0;
  if (fraction < 0.65) return 1;
  return 2;
}

COPYETA_INLINE std::string_view bucket_name(std::size_t bucket) noexcept {
  static constexpr std::string_view names[bucket_count] = {"early", "mid", "late"};
  return bucket < bucket_count ? names[bucket] : "?";
}

COPYETA_INLINE double scoring_trace::fraction(std::size_t i) const noexcept {
  const sample& s = samples[i];
  if (!s.total || *s.total == 0) return no_value;
  return static_cast<double>(s.done) / static_cast<double>(*s.total);
}

COPYETA_INLINE bool scoring_trace::scored(std::size_t i) const noexcept {
  const double f = fraction(i);
  return f >= 0.05 && f <= 0.95 && samples[i].t < end;
}

COPYETA_INLINE std::optional<scoring_trace> prepare_scoring(const trace& input, std::string* why) {
  // The samples an estimator would accept, with the latest known total carried forward.
  std::vector<sample> accepted;
  std::optional<sample> last;
  for (const sample& s : input.samples()) {
    if (!check_sample(last, s).accepted()) continue;
    sample kept = s;
    if (!kept.total && last) kept.total = last->total;
    accepted.push_back(kept);
    last = kept;
  }

  scoring_trace out;
  out.name = input.name;
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    const sample& s = accepted[i];
    if (s.total && *s.total > 0 && s.done >= *s.total) {
      out.kind = end_kind::real_end;
      out.end = s.t;
      out.samples.assign(accepted.begin(), accepted.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      return out;
    }
  }

  const auto fail = [&](std::string reason) -> std::optional<scoring_trace> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  if (accepted.size() < 10)
    return fail(fmt::format("{} rows and no real end (a milestone needs at least 10)",
                            accepted.size()));
  const double span = accepted.back().t - accepted.front().t;
  if (span < 30.0)
    return fail(fmt::format("spans {:.3g} s and has no real end (a milestone needs at least 30 s)",
                            span));
  const amount cut = accepted.back().done;
  if (cut == 0) return fail("no progress at all, so no milestone");
  out.kind = end_kind::milestone;
  out.end = accepted.back().t;
  out.samples = std::move(accepted);
  for (sample& s : out.samples) s.total = cut;
  return out;
}

COPYETA_INLINE std::vector<scored_forecast> forecast_trace(const scoring_trace& input,
                                                           estimator& model) {
  model.reset();
  std::vector<scored_forecast> out;
  for (std::size_t i = 0; i < input.samples.size(); ++i) {
    const sample& s = input.samples[i];
    model.try_add(s);
    if (!input.scored(i)) continue;
    const estimate e = model.estimate(s.t);
    scored_forecast f;
    f.t = s.t;
    f.fraction = input.fraction(i);
    f.truth = input.end - s.t;
    f.available = e.has_remaining() && e.state != state::finished;
    if (f.available) {
      f.remaining = e.remaining;
      f.lo = e.lo;
      f.hi = e.hi;
    }
    out.push_back(f);
  }
  return out;
}

COPYETA_INLINE trace_metrics score_forecasts(const std::vector<scored_forecast>& forecasts,
                                             double level, double end) {
  trace_metrics m;
  m.scored = forecasts.size();
  const double a = 1.0 - level;
  std::vector<double> q;
  std::vector<double> interval;
  std::size_t covered = 0;
  std::array<std::size_t, bucket_count> bucket_covered{};
  double travel = 0.0;
  std::optional<double> previous_end;
  std::optional<double> first_t;
  for (const scored_forecast& f : forecasts) {
    if (!f.available) continue;
    ++m.predicted;
    const double r = f.truth;
    q.push_back(std::abs(std::log(std::max(f.remaining, 1e-3) / r)));
    const bool inside = f.lo <= r && r <= f.hi;
    covered += inside;
    interval.push_back(((f.hi - f.lo) + (2.0 / a) * std::max(0.0, f.lo - r) +
                        (2.0 / a) * std::max(0.0, r - f.hi)) /
                       r);
    const std::size_t b = bucket_of(f.fraction);
    ++m.buckets[b].predicted;
    bucket_covered[b] += inside;
    const double predicted_end = f.t + f.remaining;
    if (previous_end) travel += std::abs(predicted_end - *previous_end);
    previous_end = predicted_end;
    if (!first_t) first_t = f.t;
  }
  if (m.scored > 0)
    m.availability = static_cast<double>(m.predicted) / static_cast<double>(m.scored);
  if (m.predicted == 0) return m;
  m.q_error = detail::median(q);
  m.coverage = static_cast<double>(covered) / static_cast<double>(m.predicted);
  m.interval_score = detail::median(interval);
  m.flip_flop = end > *first_t ? travel / (end - *first_t) : 0.0;
  for (std::size_t b = 0; b < bucket_count; ++b)
    if (m.buckets[b].predicted > 0)
      m.buckets[b].coverage = static_cast<double>(bucket_covered[b]) /
                              static_cast<double>(m.buckets[b].predicted);
  return m;
}

COPYETA_INLINE metrics_summary summarize(const std::vector<const trace_metrics*>& traces) {
  metrics_summary s;
  s.traces = traces.size();
  const auto mean = [&](auto field) {
    double sum = 0.0;
    std::size_t n = 0;
    for (const trace_metrics* m : traces) {
      const double v = field(*m);
      if (std::isnan(v)) continue;
      sum += v;
      ++n;
    }
    return n ? sum / static_cast<double>(n) : no_value;
  };
  s.availability = mean([](const trace_metrics& m) { return m.availability; });
  s.q_error = mean([](const trace_metrics& m) { return m.q_error; });
  s.coverage = mean([](const trace_metrics& m) { return m.coverage; });
  s.interval_score = mean([](const trace_metrics& m) { return m.interval_score; });
  s.flip_flop = mean([](const trace_metrics& m) { return m.flip_flop; });
  for (std::size_t b = 0; b < bucket_count; ++b)
    s.bucket_coverage[b] = mean([b](const trace_metrics& m) { return m.buckets[b].coverage; });
  return s;
}

}  // namespace copyeta
