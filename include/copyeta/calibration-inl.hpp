#pragma once

#include <copyeta/calibration.hpp>
#include <copyeta/detail/default_calibration.hpp>
#include <copyeta/detail/normal.hpp>
#include <copyeta/detail/stats.hpp>
#include <copyeta/errors.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

namespace copyeta {
namespace detail {

COPYETA_INLINE job_evidence gather_evidence(const scoring_trace& job) {
  // The same members, fed the same samples, as the live default model.
  ensemble_members members(estimator_options{});
  job_evidence out;
  out.name = job.name;
  for (std::size_t i = 0; i < job.samples.size(); ++i) {
    const sample& s = job.samples[i];
    members.add(s);
    if (!job.scored(i)) continue;
    job_evidence::point p;
    p.bucket = bucket_of(job.fraction(i));
    p.log_truth = std::log(job.end - s.t);
    p.parts = members.forecasts(s.t);
    bool any = false;
    for (const auto& part : p.parts) any = any || part.available;
    if (any) out.points.push_back(p);
  }
  return out;
}

// An integer field of a calibration file, read exactly: a float ("1.5e300") or an integer
// outside [lo, hi] would convert with undefined behaviour or wrap around, so it is nullopt.
inline std::optional<std::int64_t> json_integer(const nlohmann::json& v, std::int64_t lo,
                                                std::int64_t hi) {
  std::int64_t value = 0;
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    value = static_cast<std::int64_t>(u);
  } else if (v.is_number_integer()) {
    value = v.get<std::int64_t>();
  } else {
    return std::nullopt;
  }
  if (value < lo || value > hi) return std::nullopt;
  return value;
}

// Parses a versioned copyeta document, {"format": FORMAT, "version": VERSION, ...}. Throws
// input_error naming `source` when the text is not JSON (nlohmann's other errors, e.g.
// out_of_range for a number beyond a double, "1e999", included), not that format (`what` says
// what was expected), or of another version.
inline nlohmann::json versioned_json(std::string_view text, std::string_view source,
                                     std::string_view format, std::string_view what,
                                     int version) {
  const auto fail = [&](const std::string& why) -> input_error {
    return input_error(fmt::format("[copyeta.input] {}: {}", source, why));
  };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    throw fail(fmt::format("not valid JSON (at byte {}): {}", e.byte, e.what()));
  } catch (const nlohmann::json::exception& e) {
    throw fail(fmt::format("not valid JSON: {}", e.what()));
  }
  try {
    if (!j.is_object() || j.value("format", "") != format)
      throw fail(fmt::format("not {} (\"format\" must be \"{}\")", what, format));
    const auto v = json_integer(j.at("version"), std::numeric_limits<int>::min(),
                                std::numeric_limits<int>::max());
    if (!v) throw fail(fmt::format("\"version\" = {} is not an integer", j.at("version").dump()));
    if (*v != version)
      throw fail(fmt::format("version {} is not supported (this copyeta reads version {})", *v,
                             version));
  } catch (const nlohmann::json::exception& e) {
    throw fail(fmt::format("bad field: {}", e.what()));
  }
  return j;
}

// 9 significant digits: stable across platforms and far finer than the data warrant. Exact: the
// shortest text that reads back to the same double.
inline std::string json_number(double v, bool exact) {
  return exact ? fmt::format("{}", v) : fmt::format("{:.9g}", v);
}

}  // namespace detail

COPYETA_INLINE calibration::calibration()
    : weights_{1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0}, loss_(weight_grid().size(), 0.0) {}

COPYETA_INLINE std::vector<calibration::weight_vector> calibration::weight_grid() {
  // Steps of 0.1 over the simplex: 66 vectors, in a fixed order.
  std::vector<weight_vector> grid;
  for (int a = 0; a <= 10; ++a)
    for (int b = 0; a + b <= 10; ++b)
      grid.push_back({a / 10.0, b / 10.0, (10 - a - b) / 10.0});
  return grid;
}

COPYETA_INLINE calibration calibration::fit(const std::vector<trace>& jobs) {
  std::vector<scoring_trace> scored;
  for (const trace& t : jobs)
    if (auto s = prepare_scoring(t)) scored.push_back(std::move(*s));
  return fit(scored);
}

COPYETA_INLINE calibration calibration::fit(const std::vector<scoring_trace>& jobs) {
  std::vector<detail::job_evidence> evidence;
  evidence.reserve(jobs.size());
  for (const scoring_trace& job : jobs) evidence.push_back(detail::gather_evidence(job));
  return fit(evidence);
}

COPYETA_INLINE calibration calibration::fit(const std::vector<detail::job_evidence>& jobs) {
  calibration c;
  for (const auto& job : jobs) c.add_losses(job);
  // The first vector with the least loss; ties keep the grid's order, so fits are reproducible.
  const auto grid = weight_grid();
  std::size_t best = 0;
  for (std::size_t g = 1; g < grid.size(); ++g)
    if (c.loss_[g] < c.loss_[best]) best = g;
  if (!jobs.empty()) c.weights_ = grid[best];
  for (const auto& job : jobs) {
    c.add_errors(job);
    c.jobs_ += !job.points.empty();
  }
  return c;
}

COPYETA_INLINE void calibration::update(const scoring_trace& job) {
  update(detail::gather_evidence(job));
}

COPYETA_INLINE void calibration::update(const detail::job_evidence& job) {
  if (job.points.empty()) return;  // nothing was scored: a job too short to learn from
  add_losses(job);
  add_errors(job);
  ++jobs_;
}

COPYETA_INLINE void calibration::merge(const calibration& other) {
  // Histograms in other weights measure other errors: adding them would mix scales.
  if (weights_ != other.weights_)
    throw options_error(fmt::format(
        "[copyeta.options] calibration::merge needs the same weights: [{}, {}, {}] and "
        "[{}, {}, {}] differ (merge calibration_evidence and fit instead)",
        weights_[0], weights_[1], weights_[2], other.weights_[0], other.weights_[1],
        other.weights_[2]));
  jobs_ += other.jobs_;
  for (std::size_t g = 0; g < loss_.size(); ++g) loss_[g] += other.loss_[g];
  for (std::size_t b = 0; b < bucket_count; ++b)
    for (const auto& [bin, weight] : other.bins_[b]) bins_[b][bin] += weight;
}

COPYETA_INLINE void calibration::add_losses(const detail::job_evidence& job) {
  if (job.points.empty()) return;
  const auto grid = weight_grid();
  std::vector<double> q(job.points.size());
  for (std::size_t g = 0; g < grid.size(); ++g) {
    q.clear();
    for (const auto& p : job.points)
      if (const auto c = detail::combine(p.parts, grid[g]))
        q.push_back(std::abs(c->log_median - p.log_truth));
    if (!q.empty()) loss_[g] += detail::median(q);
  }
}

COPYETA_INLINE void calibration::add_errors(const detail::job_evidence& job) {
  std::array<std::size_t, bucket_count> count{};
  for (const auto& p : job.points) ++count[p.bucket];
  for (const auto& p : job.points) {
    const auto c = detail::combine(p.parts, weights_);
    if (!c) continue;
    const double e = std::clamp((p.log_truth - c->log_median) / c->spread, -max_error, max_error);
    const int bin = static_cast<int>(std::floor(e / bin_width));
    bins_[p.bucket][bin] += 1.0 / static_cast<double>(count[p.bucket]);
  }
}

COPYETA_INLINE double calibration::bucket_quantile(std::size_t bucket, double p) const {
  const auto weight_of = [](const std::map<int, double>& bins) {
    double w = 0.0;
    for (const auto& [bin, weight] : bins) w += weight;
    return w;
  };
  std::map<int, double> pooled;
  const std::map<int, double>* bins = &bins_[bucket];
  double total = weight_of(*bins);
  if (total < min_bucket_jobs) {
    for (const auto& b : bins_)
      for (const auto& [bin, weight] : b) pooled[bin] += weight;
    bins = &pooled;
    total = weight_of(pooled);
  }
  if (!(total > 0.0)) return detail::normal_quantile(p);
  // Linear within each bin of the cumulative distribution.
  const double target = p * total;
  double cumulative = 0.0;
  for (const auto& [bin, weight] : *bins) {
    if (cumulative + weight >= target)
      return (static_cast<double>(bin) + (target - cumulative) / weight) * bin_width;
    cumulative += weight;
  }
  return static_cast<double>(bins->rbegin()->first + 1) * bin_width;
}

COPYETA_INLINE double calibration::quantile(double fraction, double p) const {
  if (!(p > 0.0 && p < 1.0))
    throw options_error(fmt::format("[copyeta.options] quantile p = {} must be in (0, 1)", p));
  std::array<double, bucket_count> per_bucket{};
  for (std::size_t b = 0; b < bucket_count; ++b) per_bucket[b] = bucket_quantile(b, p);
  return detail::between_buckets(per_bucket, fraction);
}

COPYETA_INLINE std::string calibration::to_json(bool exact) const {
  const auto json_number = [exact](double v) { return detail::json_number(v, exact); };
  std::string out = "{\n";
  out += "  \"format\": \"copyeta.calibration\",\n";
  out += fmt::format("  \"version\": {},\n", format_version);
  out += "  \"components\": [\"robust_window\", \"drift_diffusion\", \"kalman\"],\n";
  out += fmt::format("  \"weights\": [{}, {}, {}],\n", json_number(weights_[0]),
                     json_number(weights_[1]), json_number(weights_[2]));
  out += fmt::format("  \"jobs\": {},\n", jobs_);
  out += "  \"weight_grid_step\": 0.1,\n";
  out += "  \"loss\": [";
  for (std::size_t g = 0; g < loss_.size(); ++g)
    out += (g ? ", " : "") + json_number(loss_[g]);
  out += "],\n";
  out += fmt::format("  \"bin_width\": {},\n", json_number(bin_width));
  out += "  \"buckets\": [\n";
  for (std::size_t b = 0; b < bucket_count; ++b) {
    out += fmt::format("    {{\"name\": \"{}\", \"bins\": [", bucket_name(b));
    bool first = true;
    for (const auto& [bin, weight] : bins_[b]) {
      out += fmt::format("{}[{}, {}]", first ? "" : ", ", bin, json_number(weight));
      first = false;
    }
    out += b + 1 < bucket_count ? "]},\n" : "]}\n";
  }
  out += "  ]\n}\n";
  return out;
}

COPYETA_INLINE calibration calibration::from_json(std::string_view text, std::string_view source) {
  const auto fail = [&](const std::string& what) -> input_error {
    return input_error(fmt::format("[copyeta.input] {}: {}", source, what));
  };
  const nlohmann::json j = detail::versioned_json(text, source, "copyeta.calibration",
                                                  "a copyeta calibration", format_version);
  try {
    calibration c;
    const auto weights = j.at("weights").get<std::vector<double>>();
    if (weights.size() != detail::ensemble_size)
      throw fail(fmt::format("\"weights\" has {} entries, expected {}", weights.size(),
                             detail::ensemble_size));
    double sum = 0.0;
    for (std::size_t k = 0; k < weights.size(); ++k) {
      if (!(weights[k] >= 0.0 && weights[k] <= 1.0))
        throw fail(fmt::format("\"weights\"[{}] = {} must be in [0, 1]", k, weights[k]));
      c.weights_[k] = weights[k];
      sum += weights[k];
    }
    if (std::abs(sum - 1.0) > 1e-6)
      throw fail(fmt::format("\"weights\" sum to {}, not 1", sum));
    const auto& jobs = j.at("jobs");
    if (!jobs.is_number_unsigned())
      throw fail(fmt::format("\"jobs\" = {} is not a count of jobs", jobs.dump()));
    c.jobs_ = jobs.get<std::size_t>();
    const auto loss = j.at("loss").get<std::vector<double>>();
    if (loss.size() != c.loss_.size())
      throw fail(fmt::format("\"loss\" has {} entries, expected {}", loss.size(), c.loss_.size()));
    for (std::size_t g = 0; g < loss.size(); ++g) {
      if (!(loss[g] >= 0.0 && std::isfinite(loss[g])))
        throw fail(fmt::format("\"loss\"[{}] = {} must be a non-negative number", g, loss[g]));
      c.loss_[g] = loss[g];
    }
    if (j.at("bin_width").get<double>() != bin_width)
      throw fail(fmt::format("\"bin_width\" must be {}", bin_width));
    const auto& buckets = j.at("buckets");
    if (!buckets.is_array() || buckets.size() != bucket_count)
      throw fail(fmt::format("\"buckets\" must be an array of {}", bucket_count));
    const int max_bin = static_cast<int>(std::ceil(max_error / bin_width));
    // The quantiles add the weights up, per bucket and pooled over buckets: so must be finite.
    double pooled = 0.0;
    for (std::size_t b = 0; b < bucket_count; ++b) {
      for (const auto& entry : buckets[b].at("bins")) {
        const auto bin = detail::json_integer(entry.at(0), -max_bin, max_bin);
        const auto weight = entry.at(1).get<double>();
        if (!bin || !(weight > 0.0 && std::isfinite(weight)))
          throw fail(fmt::format("bucket {} has a bad bin [{}, {}]", bucket_name(b),
                                 entry.at(0).dump(), weight));
        c.bins_[b][static_cast<int>(*bin)] += weight;
        pooled += weight;
      }
    }
    if (!std::isfinite(pooled))
      throw fail("the bins' weights add up to more than a double holds");
    return c;
  } catch (const nlohmann::json::exception& e) {
    throw fail(fmt::format("bad field: {}", e.what()));
  }
}

COPYETA_INLINE void calibration::save(const std::string& path) const {
  // Written whole to a new file in the same directory (so that the rename stays on one file
  // system), flushed to disk, then renamed over `path`: a reader sees the old calibration or
  // the new one, never part of one, and a failure leaves `path` as it was.
  const std::string text = to_json();
  const auto fail = [&](const std::string& what, int err) {
    return input_error(fmt::format("[copyeta.input] {}: {}{}", path, what,
                                   err ? fmt::format(" ({})", std::strerror(err)) : ""));
  };
  std::string temporary;
  std::FILE* out = nullptr;
  for (int attempt = 0; attempt < 100 && !out; ++attempt) {
    // "x": created here, never an existing file (another save's, or a link planted there).
    temporary = fmt::format("{}.{:x}.{}.tmp", path,
                            std::chrono::steady_clock::now().time_since_epoch().count(), attempt);
    errno = 0;
    out = std::fopen(temporary.c_str(), "wbx");
    if (!out && errno != EEXIST) break;
  }
  if (!out) throw fail("cannot write the calibration next to it", errno);
  errno = 0;
  bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size() &&
                 std::fflush(out) == 0;
#ifndef _WIN32
  written = written && ::fsync(::fileno(out)) == 0;
#endif
  int err = errno;
  if (std::fclose(out) != 0 && written) {
    written = false;
    err = errno;
  }
  if (!written) {
    std::remove(temporary.c_str());
    throw fail("cannot write the calibration", err);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    err = errno;
    std::remove(temporary.c_str());
    throw fail("cannot replace it with the new calibration", err);
  }
#ifndef _WIN32
  // The rename itself reaches the disk with the directory.
  const auto slash = path.rfind('/');
  const std::string directory = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  const int dir = ::open(directory.c_str(), O_RDONLY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
#endif
}

COPYETA_INLINE calibration calibration::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(fmt::format("[copyeta.input] {}: cannot open the calibration", path));
  std::ostringstream text;
  text << in.rdbuf();
  return from_json(text.str(), path);
}

COPYETA_INLINE const calibration& calibration::builtin() {
  static const calibration shipped =
      from_json(detail::default_calibration_json, "builtin default_calibration.json");
  return shipped;
}

COPYETA_INLINE bool operator==(const calibration& a, const calibration& b) noexcept {
  return a.weights_ == b.weights_ && a.jobs_ == b.jobs_ && a.loss_ == b.loss_ &&
         a.bins_ == b.bins_;
}

}  // namespace copyeta
