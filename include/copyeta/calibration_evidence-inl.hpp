#pragma once

#include <copyeta/calibration-inl.hpp>
#include <copyeta/calibration_evidence.hpp>
#include <copyeta/errors.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>

namespace copyeta {
namespace detail {

// Bit for bit: the one notion of "the same evidence" that keeps merges exact.
inline bool same_bits(double a, double b) noexcept {
  std::uint64_t x = 0, y = 0;
  std::memcpy(&x, &a, sizeof a);
  std::memcpy(&y, &b, sizeof b);
  return x == y;
}

inline bool same_evidence(const job_evidence& a, const job_evidence& b) noexcept {
  if (a.points.size() != b.points.size()) return false;
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    const auto& p = a.points[i];
    const auto& q = b.points[i];
    if (p.bucket != q.bucket || !same_bits(p.log_truth, q.log_truth)) return false;
    for (std::size_t k = 0; k < ensemble_size; ++k) {
      if (p.parts[k].available != q.parts[k].available) return false;
      // An unavailable component's numbers are never read.
      if (p.parts[k].available && (!same_bits(p.parts[k].log_median, q.parts[k].log_median) ||
                                   !same_bits(p.parts[k].spread, q.parts[k].spread)))
        return false;
    }
  }
  return true;
}

// The shortest text that reads back to the same double (nlohmann reads "-0" as the integer 0,
// so a negative zero is spelled out).
inline std::string evidence_number(double v) {
  if (v == 0.0 && std::signbit(v)) return "-0.0";
  return fmt::format("{}", v);
}

// Every number of the evidence is a logarithm of seconds (or a log-sd), finite and far inside
// this bound (detail::clamp_seconds keeps forecasts within 1e12 s). Larger ones can only come
// from a damaged file or a made-up job, and would overflow the fit's arithmetic into NaN.
inline constexpr double evidence_log_limit = 1e6;

// What is wrong with a job's evidence, or an empty string.
inline std::string evidence_problem(const job_evidence& job) {
  const auto bounded = [](double v) { return std::abs(v) <= evidence_log_limit; };  // not NaN
  for (std::size_t i = 0; i < job.points.size(); ++i) {
    const auto& p = job.points[i];
    if (p.bucket >= bucket_count)
      return fmt::format("points[{}]: bucket {} is not 0, 1 or 2", i, p.bucket);
    if (!bounded(p.log_truth))
      return fmt::format("points[{}]: ln R = {} is not a number within +-{:g}", i, p.log_truth,
                         evidence_log_limit);
    for (std::size_t k = 0; k < ensemble_size; ++k) {
      const auto& part = p.parts[k];
      if (part.available &&
          !(bounded(part.log_median) && bounded(part.spread) && part.spread >= 0.0))
        return fmt::format("points[{}]: the {} forecast (ln median {}, log-sd {}) is not a number "
                           "within +-{:g} and a log-sd in [0, {:g}]",
                           i, calibration::components[k], part.log_median, part.spread,
                           evidence_log_limit, evidence_log_limit);
    }
  }
  return {};
}

inline std::string json_string(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace detail

COPYETA_INLINE bool calibration_evidence::add(const trace& job) {
  std::string why;
  auto scored = prepare_scoring(job, &why);
  if (!scored) {
    calibration_evidence one;
    one.skipped_.emplace(job.name, std::move(why));
    merge(one);
    return false;
  }
  add(*scored);
  return true;
}

COPYETA_INLINE void calibration_evidence::add(const scoring_trace& job) {
  add(detail::gather_evidence(job));
}

COPYETA_INLINE void calibration_evidence::add(detail::job_evidence job) {
  if (const auto problem = detail::evidence_problem(job); !problem.empty())
    throw input_error(fmt::format("[copyeta.input] evidence: job \"{}\", {}", job.name, problem));
  calibration_evidence one;
  one.jobs_.emplace(job.name, std::move(job));
  merge(one);
}

COPYETA_INLINE calibration_evidence& calibration_evidence::merge(
    const calibration_evidence& other) {
  // Every conflict is found before anything changes, so a refused merge leaves *this as it was.
  const auto conflict = [](const std::string& name) {
    return input_error(fmt::format(
        "[copyeta.input] evidence: two different jobs are named \"{}\" (one name, one job)",
        name));
  };
  for (const auto& [name, job] : other.jobs_) {
    const auto held = jobs_.find(name);
    if ((held != jobs_.end() && !detail::same_evidence(held->second, job)) ||
        skipped_.count(name) != 0)
      throw conflict(name);
  }
  for (const auto& [name, why] : other.skipped_) {
    const auto held = skipped_.find(name);
    if ((held != skipped_.end() && held->second != why) || jobs_.count(name) != 0)
      throw conflict(name);
  }
  for (const auto& [name, job] : other.jobs_) jobs_.emplace(name, job);
  for (const auto& [name, why] : other.skipped_) skipped_.emplace(name, why);
  return *this;
}

COPYETA_INLINE std::size_t calibration_evidence::jobs() const noexcept {
  std::size_t n = 0;
  for (const auto& entry : jobs_) n += !entry.second.points.empty();
  return n;
}

COPYETA_INLINE std::vector<std::string> calibration_evidence::names() const {
  std::vector<std::string> out;
  out.reserve(jobs_.size());
  for (const auto& entry : jobs_) out.push_back(entry.first);
  return out;
}

COPYETA_INLINE bool calibration_evidence::contains(std::string_view name) const {
  return jobs_.find(name) != jobs_.end();
}

COPYETA_INLINE const detail::job_evidence* calibration_evidence::find(std::string_view name) const {
  const auto it = jobs_.find(name);
  return it == jobs_.end() ? nullptr : &it->second;
}

COPYETA_INLINE std::vector<const detail::job_evidence*> calibration_evidence::in_order() const {
  std::vector<const detail::job_evidence*> out;
  out.reserve(jobs_.size());
  for (const auto& entry : jobs_) out.push_back(&entry.second);
  return out;
}

COPYETA_INLINE calibration calibration_evidence::fit() const {
  std::vector<detail::job_evidence> all;
  all.reserve(jobs_.size());
  for (const auto& entry : jobs_) all.push_back(entry.second);
  return calibration::fit(all);
}

COPYETA_INLINE calibration calibration_evidence::fit_without(std::string_view name) const {
  if (!contains(name))
    throw options_error(fmt::format("[copyeta.options] evidence holds no job named \"{}\"", name));
  std::vector<detail::job_evidence> others;
  others.reserve(jobs_.size());
  for (const auto& entry : jobs_)
    if (entry.first != name) others.push_back(entry.second);
  return calibration::fit(others);
}

COPYETA_INLINE std::vector<calibration> calibration_evidence::fit_without_each(
    const std::vector<std::string>& names) const {
  for (const std::string& name : names)
    if (!contains(name))
      throw options_error(
          fmt::format("[copyeta.options] evidence holds no job named \"{}\"", name));
  const auto all = in_order();
  const auto grid = calibration::weight_grid();
  // Each job's loss per weight vector, computed once: what calibration::fit() adds for it. A
  // job adds 0.0 where it has no loss, which leaves a sum of non-negative losses unchanged, so
  // adding these rows in name order gives fit()'s sums exactly.
  std::vector<std::vector<double>> losses;
  losses.reserve(all.size());
  for (const auto* job : all) {
    calibration one;
    one.add_losses(*job);
    losses.push_back(std::move(one.loss_));
  }
  std::vector<calibration> out;
  out.reserve(names.size());
  for (const std::string& name : names) {
    const auto left_out = static_cast<std::size_t>(std::distance(jobs_.begin(), jobs_.find(name)));
    calibration c;
    for (std::size_t j = 0; j < all.size(); ++j)
      if (j != left_out)
        for (std::size_t g = 0; g < grid.size(); ++g) c.loss_[g] += losses[j][g];
    // The rest as calibration::fit() does it; tests/cpp/test_calibration_evidence.cpp checks
    // every fold against fit_without().
    std::size_t best = 0;
    for (std::size_t g = 1; g < grid.size(); ++g)
      if (c.loss_[g] < c.loss_[best]) best = g;
    if (all.size() > 1) c.weights_ = grid[best];
    for (std::size_t j = 0; j < all.size(); ++j) {
      if (j == left_out) continue;
      c.add_errors(*all[j]);
      c.jobs_ += !all[j]->points.empty();
    }
    out.push_back(std::move(c));
  }
  return out;
}

COPYETA_INLINE std::string calibration_evidence::to_json() const {
  using detail::evidence_number;
  std::string out = "{\n";
  out += "  \"format\": \"copyeta.evidence\",\n";
  out += fmt::format("  \"version\": {},\n", format_version);
  out += "  \"components\": [\"robust_window\", \"drift_diffusion\", \"kalman\"],\n";
  out += "  \"jobs\": [";
  bool first_job = true;
  for (const auto& [name, job] : jobs_) {
    out += first_job ? "\n" : ",\n";
    first_job = false;
    out += fmt::format("    {{\"name\": {}, \"points\": [", detail::json_string(name));
    for (std::size_t i = 0; i < job.points.size(); ++i) {
      const auto& p = job.points[i];
      out += fmt::format("{}[{}, {}", i ? ", " : "", p.bucket, evidence_number(p.log_truth));
      for (const auto& part : p.parts) {
        if (part.available)
          out += fmt::format(", {}, {}", evidence_number(part.log_median),
                             evidence_number(part.spread));
        else
          out += ", null, null";
      }
      out += "]";
    }
    out += "]}";
  }
  out += jobs_.empty() ? "],\n" : "\n  ],\n";
  out += "  \"skipped\": [";
  bool first_skip = true;
  for (const auto& [name, why] : skipped_) {
    out += first_skip ? "\n" : ",\n";
    first_skip = false;
    out += fmt::format("    {{\"name\": {}, \"why\": {}}}", detail::json_string(name),
                       detail::json_string(why));
  }
  out += skipped_.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

COPYETA_INLINE calibration_evidence calibration_evidence::from_json(std::string_view text,
                                                                    std::string_view source) {
  const auto fail = [&](const std::string& what) -> input_error {
    return input_error(fmt::format("[copyeta.input] {}: {}", source, what));
  };
  const nlohmann::json j = detail::versioned_json(text, source, "copyeta.evidence",
                                                  "copyeta calibration evidence", format_version);
  try {
    const auto components = j.at("components").get<std::vector<std::string>>();
    if (components.size() != calibration::components.size() ||
        !std::equal(components.begin(), components.end(), calibration::components.begin()))
      throw fail(fmt::format("\"components\" must be [{}]",
                             fmt::join(calibration::components, ", ")));
    calibration_evidence out;
    const auto& jobs = j.at("jobs");
    if (!jobs.is_array()) throw fail("\"jobs\" must be an array");
    constexpr std::size_t width = 2 + 2 * detail::ensemble_size;
    for (std::size_t n = 0; n < jobs.size(); ++n) {
      const auto& entry = jobs[n];
      if (!entry.is_object() || !entry.contains("name") || !entry.at("name").is_string())
        throw fail(fmt::format("jobs[{}] has no \"name\"", n));
      detail::job_evidence job;
      job.name = entry.at("name").get<std::string>();
      const auto where = [&](std::size_t i) {
        return fmt::format("jobs[{}] (\"{}\"), points[{}]", n, job.name, i);
      };
      const auto& points = entry.at("points");
      if (!points.is_array())
        throw fail(fmt::format("jobs[{}] (\"{}\"): \"points\" must be an array", n, job.name));
      for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& row = points[i];
        if (!row.is_array() || row.size() != width)
          throw fail(fmt::format("{}: expected an array of {} entries", where(i), width));
        detail::job_evidence::point p;
        // Read as they come; evidence_problem() below says what is out of range.
        const auto bucket = detail::json_integer(row[0], 0, bucket_count - 1);
        if (!bucket)
          throw fail(fmt::format("{}: bucket {} is not 0, 1 or 2", where(i), row[0].dump()));
        p.bucket = static_cast<std::size_t>(*bucket);
        if (!row[1].is_number())
          throw fail(fmt::format("{}: ln R = {} is not a number", where(i), row[1].dump()));
        p.log_truth = row[1].get<double>();
        for (std::size_t k = 0; k < detail::ensemble_size; ++k) {
          const auto& m = row[2 + 2 * k];
          const auto& s = row[3 + 2 * k];
          if (m.is_null() && s.is_null()) continue;  // no forecast from this component
          if (!m.is_number() || !s.is_number())
            throw fail(fmt::format(
                "{}: the {} forecast [{}, {}] is not two numbers (or null, null)", where(i),
                calibration::components[k], m.dump(), s.dump()));
          p.parts[k] = detail::component_forecast{true, m.get<double>(), s.get<double>()};
        }
        job.points.push_back(p);
      }
      if (const auto problem = detail::evidence_problem(job); !problem.empty())
        throw fail(fmt::format("jobs[{}] (\"{}\"), {}", n, job.name, problem));
      if (out.jobs_.count(job.name))
        throw fail(fmt::format("jobs[{}]: \"{}\" appears twice", n, job.name));
      out.jobs_.emplace(job.name, std::move(job));
    }
    const auto& skipped = j.at("skipped");
    if (!skipped.is_array()) throw fail("\"skipped\" must be an array");
    for (std::size_t n = 0; n < skipped.size(); ++n) {
      const auto& entry = skipped[n];
      if (!entry.is_object() || !entry.contains("name") || !entry.at("name").is_string() ||
          !entry.contains("why") || !entry.at("why").is_string())
        throw fail(fmt::format("skipped[{}] needs a \"name\" and a \"why\"", n));
      const auto name = entry.at("name").get<std::string>();
      if (out.jobs_.count(name) || out.skipped_.count(name))
        throw fail(fmt::format("skipped[{}]: \"{}\" appears twice", n, name));
      out.skipped_.emplace(name, entry.at("why").get<std::string>());
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    throw fail(fmt::format("bad field: {}", e.what()));
  }
}

COPYETA_INLINE bool operator==(const calibration_evidence& a,
                               const calibration_evidence& b) noexcept {
  if (a.jobs_.size() != b.jobs_.size() || a.skipped_ != b.skipped_) return false;
  for (auto x = a.jobs_.begin(), y = b.jobs_.begin(); x != a.jobs_.end(); ++x, ++y)
    if (x->first != y->first || !detail::same_evidence(x->second, y->second)) return false;
  return true;
}

}  // namespace copyeta
