#include <copyeta/calibration.hpp>
#include <copyeta/detail/normal.hpp>
#include <copyeta/errors.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace {

using copyeta::calibration;
using copyeta::detail::component_forecast;
using copyeta::detail::job_evidence;

// A job whose three components all say `log_median` with log-spread `spread`, in each bucket,
// while the truth is `error` of the ensemble's scales away: the normalised error is `error`.
job_evidence job_with_error(double error, double spread = 0.2) {
  job_evidence job;
  for (std::size_t b = 0; b < copyeta::bucket_count; ++b) {
    job_evidence::point p;
    p.bucket = b;
    const double log_median = std::log(100.0);
    for (auto& part : p.parts) part = component_forecast{true, log_median, spread};
    const double scale = copyeta::detail::combine(p.parts, {0.2, 0.3, 0.5})->spread;
    p.log_truth = log_median + error * scale;
    job.points.push_back(p);
  }
  return job;
}

std::vector<job_evidence> ten_jobs() {
  std::vector<job_evidence> jobs;
  for (int j = 0; j < 10; ++j) jobs.push_back(job_with_error(0.1 * j + 0.025));
  return jobs;
}

TEST(calibration, knows_nothing_at_first_and_assumes_normal_errors) {
  const calibration c;
  EXPECT_EQ(c.jobs(), 0u);
  EXPECT_NEAR(c.weights()[0], 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(c.quantile(0.5, 0.9), copyeta::detail::normal_quantile(0.9), 1e-12);
  EXPECT_THROW(c.quantile(0.5, 1.0), copyeta::options_error);
}

TEST(calibration, quantiles_come_from_every_jobs_errors_with_equal_weight) {
  const calibration c = calibration::fit(ten_jobs());
  EXPECT_EQ(c.jobs(), 10u);
  // Errors 0.025, 0.125, ..., 0.925, one per job and bucket, in bins of 0.05. The median lies
  // at the upper edge of the fifth job's bin [0.40, 0.45); quantiles are linear inside bins.
  for (std::size_t b = 0; b < copyeta::bucket_count; ++b) {
    EXPECT_NEAR(c.bucket_quantile(b, 0.5), 0.45, 1e-12);
    EXPECT_NEAR(c.bucket_quantile(b, 0.05), 0.025, 1e-12);  // half of the first job's bin
  }
}

TEST(calibration, a_bucket_with_few_jobs_borrows_the_pooled_errors) {
  // Two jobs: below min_bucket_jobs in every bucket, so each uses the pool of all three.
  job_evidence a = job_with_error(-1.0);
  job_evidence b = job_with_error(1.0);
  const calibration c = calibration::fit(std::vector<job_evidence>{a, b});
  EXPECT_NEAR(c.bucket_quantile(0, 0.5), c.bucket_quantile(2, 0.5), 1e-12);
  EXPECT_LT(c.bucket_quantile(0, 0.1), 0.0);
  EXPECT_GT(c.bucket_quantile(0, 0.9), 0.0);
}

TEST(calibration, weights_go_to_the_component_that_was_right) {
  std::vector<job_evidence> jobs;
  for (int j = 0; j < 5; ++j) {
    job_evidence job = job_with_error(0.0);
    for (auto& p : job.points) {
      p.parts[1].log_median += 1.0;  // drift_diffusion and kalman are too slow
      p.parts[2].log_median += 0.5;
    }
    jobs.push_back(job);
  }
  const calibration c = calibration::fit(jobs);
  EXPECT_EQ(c.weights(), (calibration::weight_vector{1.0, 0.0, 0.0}));
}

TEST(calibration, interpolates_between_bucket_centres) {
  const std::array<double, copyeta::bucket_count> v{1.0, 2.0, 4.0};
  EXPECT_DOUBLE_EQ(copyeta::detail::between_buckets(v, 0.05), 1.0);
  EXPECT_DOUBLE_EQ(copyeta::detail::between_buckets(v, 0.35), 1.5);
  EXPECT_DOUBLE_EQ(copyeta::detail::between_buckets(v, 0.65), 3.0);
  EXPECT_DOUBLE_EQ(copyeta::detail::between_buckets(v, 0.99), 4.0);
}

TEST(calibration, update_learns_a_job_and_keeps_the_weights) {
  calibration c = calibration::fit(ten_jobs());
  const auto weights = c.weights();
  const double before = c.bucket_quantile(1, 0.9);
  for (int i = 0; i < 10; ++i) c.update(job_with_error(5.0));
  EXPECT_EQ(c.jobs(), 20u);
  EXPECT_EQ(c.weights(), weights);
  EXPECT_GT(c.bucket_quantile(1, 0.9), before + 3.0);
}

TEST(calibration, json_is_versioned_and_round_trips_byte_for_byte) {
  const calibration c = calibration::fit(ten_jobs());
  const std::string text = c.to_json();
  EXPECT_NE(text.find("\"format\": \"copyeta.calibration\""), std::string::npos);
  EXPECT_NE(text.find("\"version\": 1"), std::string::npos);
  const calibration back = calibration::from_json(text);
  EXPECT_EQ(back.to_json(), text);
  EXPECT_EQ(back.jobs(), 10u);
  EXPECT_NEAR(back.bucket_quantile(1, 0.5), 0.45, 1e-9);
}

TEST(calibration, save_and_load_through_a_file) {
  const auto path = (std::filesystem::temp_directory_path() / "copyeta_test_calibration.json").string();
  const calibration c = calibration::fit(ten_jobs());
  c.save(path);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_EQ(calibration::load(path).to_json(), c.to_json());
  std::filesystem::remove(path);
  EXPECT_THROW(calibration::load(path), copyeta::input_error);
  EXPECT_THROW(c.save("/nonexistent-directory/x.json"), copyeta::input_error);
}

std::string load_error(const std::string& text) {
  try {
    calibration::from_json(text, "site.json");
  } catch (const copyeta::input_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(calibration, bad_files_are_refused_with_the_reason) {
  const std::string good = calibration::fit(ten_jobs()).to_json();
  EXPECT_NE(load_error("{").find("site.json: not valid JSON"), std::string::npos);
  EXPECT_NE(load_error("{\"format\": \"other\"}").find("not a copyeta calibration"),
            std::string::npos);
  std::string v2 = good;
  v2.replace(v2.find("\"version\": 1"), 12, "\"version\": 2");
  EXPECT_NE(load_error(v2).find("version 2 is not supported"), std::string::npos);
  std::string bad_weights = good;
  bad_weights.replace(bad_weights.find("\"weights\": ["), 12, "\"weights\": [7, ");
  EXPECT_NE(load_error(bad_weights).find("\"weights\""), std::string::npos);
  std::string missing = good;
  missing.replace(missing.find("\"jobs\""), 6, "\"jabs\"");
  EXPECT_NE(load_error(missing).find("site.json: bad field"), std::string::npos);
}

// Found by fuzzing (tests/fuzz/fuzz_calibration.cpp): each of these escaped as another exception,
// was converted with undefined behaviour, wrapped around, or loaded a calibration that could not
// be written back. All are refused with input_error, so nothing is ever half-loaded.
TEST(calibration, hostile_numbers_are_refused_never_half_loaded) {
  const std::string good = calibration::fit(ten_jobs()).to_json();
  const auto with = [&](std::string_view from, std::string_view to) {
    std::string text = good;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  // A number beyond a double: nlohmann's out_of_range, not a parse_error, escaped from_json.
  EXPECT_NE(load_error("1e999").find("site.json: not valid JSON"), std::string::npos);
  EXPECT_NE(load_error(with("\"loss\": [", "\"loss\": [1e999, ")).find("not valid JSON"),
            std::string::npos);
  // Floats where integers belong: get<int>() / get<size_t>() of 1.5e300 is undefined behaviour.
  EXPECT_NE(load_error(with("\"version\": 1", "\"version\": 1.5e300")).find("\"version\""),
            std::string::npos);
  EXPECT_NE(load_error(with("\"jobs\": 10", "\"jobs\": 1e30")).find("\"jobs\""),
            std::string::npos);
  // A negative count of jobs wrapped around to 2^64 - 1.
  EXPECT_NE(load_error(with("\"jobs\": 10", "\"jobs\": -1")).find("\"jobs\""),
            std::string::npos);
  // A bin index that wrapped around into range (2^32 + 1 read as bin 1), or was a float.
  EXPECT_NE(load_error(with("\"bins\": [", "\"bins\": [[4294967297, 1], ")).find("bad bin"),
            std::string::npos);
  EXPECT_NE(load_error(with("\"bins\": [", "\"bins\": [[1.5e300, 1], ")).find("bad bin"),
            std::string::npos);
  // Finite weights that add up to infinity: the calibration loaded, and to_json() then wrote
  // "inf", which no JSON reader takes back.
  EXPECT_NE(load_error(with("\"bins\": [", "\"bins\": [[0, 1e308], [0, 1e308], "))
                .find("more than a double"),
            std::string::npos);
  // What still loads writes itself back.
  const calibration back = calibration::from_json(with("\"bins\": [", "\"bins\": [[0, 1e300], "));
  EXPECT_EQ(calibration::from_json(back.to_json()).to_json(), back.to_json());
}

TEST(calibration, the_shipped_calibration_has_learned_from_real_jobs) {
  const calibration& c = calibration::builtin();
  EXPECT_GE(c.jobs(), 20u);
  EXPECT_NEAR(c.weights()[0] + c.weights()[1] + c.weights()[2], 1.0, 1e-6);
  // A calibrated 80% interval is wider than the components' own (z = 1.28 spreads each side).
  EXPECT_GT(c.bucket_quantile(0, 0.9) - c.bucket_quantile(0, 0.1), 2.0 * 1.2816);
}

}  // namespace
