#include <copyeta/backtest.hpp>
#include <copyeta/calibration.hpp>
#include <copyeta/calibration_evidence.hpp>
#include <copyeta/errors.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

using copyeta::calibration;
using copyeta::calibration_evidence;
using copyeta::trace;

// The real traces of tests/data/traces, read once.
const std::vector<trace>& traces() {
  static const std::vector<trace> all =
      copyeta::read_trace_folder(COPYETA_TEST_DATA_DIR "/traces");
  return all;
}

// Each trace's evidence on its own: what a worker holding just that trace would have.
const std::vector<calibration_evidence>& singles() {
  static const std::vector<calibration_evidence> all = [] {
    std::vector<calibration_evidence> out;
    for (const trace& t : traces()) {
      calibration_evidence one;
      one.add(t);
      out.push_back(std::move(one));
    }
    return out;
  }();
  return all;
}

const calibration_evidence& everything() {
  static const calibration_evidence all = [] {
    calibration_evidence e;
    for (const trace& t : traces()) e.add(t);
    return e;
  }();
  return all;
}

// What one process fits on every trace.
const calibration& single_process() {
  static const calibration c = calibration::fit(traces());
  return c;
}

TEST(calibration_evidence, the_corpus_is_read_in_name_order) {
  // The premise of comparing with calibration::fit(traces()): the folder's order is name order.
  ASSERT_GE(traces().size(), 40u);
  std::vector<std::string> names;
  for (const trace& t : traces()) names.push_back(t.name);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST(calibration_evidence, holds_every_trace_and_fits_what_one_process_fits) {
  const calibration_evidence& e = everything();
  EXPECT_EQ(e.size() + e.skipped().size(), traces().size());
  EXPECT_GT(e.skipped().size(), 0u);  // the corpus has traces too short to score
  EXPECT_EQ(e.skipped().count("ddrescue_1TB_failing_hdd_tail_niksko"), 1u);
  EXPECT_EQ(e.jobs(), single_process().jobs());
  EXPECT_GT(e.jobs(), 20u);
  EXPECT_TRUE(e.fit() == single_process());
  EXPECT_EQ(e.fit().to_json(true), single_process().to_json(true));
}

TEST(calibration_evidence, json_round_trips_exactly) {
  const calibration_evidence& e = everything();
  const std::string text = e.to_json();
  EXPECT_NE(text.find("\"format\": \"copyeta.evidence\""), std::string::npos);
  EXPECT_NE(text.find("\"version\": 1,"), std::string::npos);
  const calibration_evidence back = calibration_evidence::from_json(text, "round trip");
  EXPECT_TRUE(back == e);
  EXPECT_EQ(back.to_json(), text);
  EXPECT_TRUE(back.fit() == single_process());

  const calibration_evidence empty;
  EXPECT_TRUE(calibration_evidence::from_json(empty.to_json()) == empty);
  EXPECT_TRUE(empty.fit() == calibration());
}

TEST(calibration_evidence, a_negative_zero_and_awkward_names_round_trip) {
  copyeta::detail::job_evidence job;
  job.name = "quote \" backslash \\ tab \t é";
  copyeta::detail::job_evidence::point p;
  p.bucket = 2;
  p.log_truth = -0.0;
  p.parts[1] = {true, 0.1 + 0.2, 5e-324};
  job.points.push_back(p);
  calibration_evidence e;
  e.add(job);
  const auto back = calibration_evidence::from_json(e.to_json());
  ASSERT_TRUE(back == e);
  EXPECT_TRUE(std::signbit(back.find(job.name)->points[0].log_truth));
  EXPECT_EQ(back.find(job.name)->points[0].parts[1].spread, 5e-324);
  EXPECT_FALSE(back.find(job.name)->points[0].parts[0].available);
}

// Merges `parts` as a tree: at each step, `pick` chooses which two states to merge.
calibration_evidence merge_tree(std::vector<calibration_evidence> parts, std::mt19937& rng) {
  while (parts.size() > 1) {
    std::uniform_int_distribution<std::size_t> any(0, parts.size() - 1);
    std::size_t a = any(rng), b = any(rng);
    while (b == a) b = any(rng);
    parts[a].merge(parts[b]);
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(b));
  }
  return parts.empty() ? calibration_evidence{} : parts.front();
}

TEST(calibration_evidence, any_partition_and_merge_tree_fits_the_same_calibration) {
  const std::string expected = single_process().to_json(true);
  const std::string evidence_text = everything().to_json();
  for (unsigned seed = 1; seed <= 12; ++seed) {
    std::mt19937 rng(seed);
    // A random partition of the traces among 1..8 workers, each gathering its own in a random
    // order; every worker's state crosses to the coordinator as JSON.
    const std::size_t workers = 1 + seed % 8;
    std::vector<std::size_t> order(traces().size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<calibration_evidence> states(workers);
    std::uniform_int_distribution<std::size_t> worker(0, workers - 1);
    for (std::size_t i : order) states[worker(rng)].merge(singles()[i]);
    for (auto& state : states) state = calibration_evidence::from_json(state.to_json(), "worker");

    // Left fold, right fold, and random trees.
    calibration_evidence left;
    for (const auto& state : states) left.merge(state);
    calibration_evidence right;
    for (auto it = states.rbegin(); it != states.rend(); ++it) {
      calibration_evidence next = *it;
      right = next.merge(right);
    }
    const calibration_evidence tree = merge_tree(states, rng);
    const std::vector<const calibration_evidence*> merges{&left, &right, &tree};
    for (const calibration_evidence* merged : merges) {
      EXPECT_EQ(merged->to_json(), evidence_text) << "seed " << seed;
      const calibration fitted = merged->fit();
      EXPECT_TRUE(fitted == single_process()) << "seed " << seed;
      EXPECT_EQ(fitted.to_json(true), expected) << "seed " << seed;
    }
  }
}

TEST(calibration_evidence, one_name_one_job) {
  const trace& first = traces().front();
  calibration_evidence e;
  ASSERT_TRUE(e.add(first));
  // The same job again (a retried task, a state merged twice) is kept once.
  EXPECT_TRUE(e.add(first));
  e.merge(e);
  e.merge(singles().front());
  EXPECT_EQ(e.size(), 1u);
  EXPECT_TRUE(e == singles().front());

  // Another job under that name is refused, and nothing changes.
  trace other = traces()[1];
  other.name = first.name;
  const std::string before = e.to_json();
  try {
    e.add(other);
    ADD_FAILURE() << "a second job named " << first.name << " was taken";
  } catch (const copyeta::input_error& error) {
    EXPECT_NE(std::string(error.what()).find(first.name), std::string::npos) << error.what();
  }
  calibration_evidence theirs;
  theirs.add(traces()[2]);  // new: would be added if the merge went ahead
  theirs.add(other);
  EXPECT_THROW(e.merge(theirs), copyeta::input_error);
  EXPECT_EQ(e.to_json(), before);

  // A trace that could not be scored and a job may not share a name either.
  const auto skipped = std::find_if(singles().begin(), singles().end(),
                                    [](const auto& s) { return s.size() == 0; });
  ASSERT_NE(skipped, singles().end());
  trace unscored = traces()[static_cast<std::size_t>(skipped - singles().begin())];
  calibration_evidence s;
  EXPECT_FALSE(s.add(unscored));
  EXPECT_FALSE(s.add(unscored));  // again: kept once
  EXPECT_EQ(s.skipped().size(), 1u);
  unscored.name = first.name;
  EXPECT_THROW(e.add(unscored), copyeta::input_error);
  EXPECT_EQ(e.to_json(), before);

  // A file may not name a job twice.
  std::string twice = everything().to_json();
  const auto job = twice.find("    {\"name\"");
  const auto end = twice.find('\n', job);
  twice.insert(end + 1, twice.substr(job, end + 1 - job));
  try {
    calibration_evidence::from_json(twice, "twice.json");
    ADD_FAILURE() << "a file naming a job twice was read";
  } catch (const copyeta::input_error& error) {
    EXPECT_NE(std::string(error.what()).find("twice.json: jobs[1]"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("appears twice"), std::string::npos);
  }
}

std::string read_error(const std::string& text) {
  try {
    calibration_evidence::from_json(text, "worker-7.json");
  } catch (const copyeta::input_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(calibration_evidence, bad_files_are_refused_naming_the_source_and_the_place) {
  const std::string good = everything().to_json();
  const auto with = [&](std::string_view from, std::string_view to) {
    std::string text = good;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  const auto refused = [](const std::string& text, std::string_view what) {
    const std::string error = read_error(text);
    EXPECT_NE(error.find("worker-7.json: "), std::string::npos) << error;
    EXPECT_NE(error.find(what), std::string::npos) << "expected '" << what << "' in: " << error;
  };
  refused("", "not valid JSON");
  refused(good.substr(0, good.size() / 2), "not valid JSON (at byte");  // truncated
  refused(good.substr(0, good.size() - 3), "not valid JSON");
  refused("[1, 2]", "not copyeta calibration evidence");
  refused(single_process().to_json(), "\"format\" must be \"copyeta.evidence\"");
  refused(with("\"version\": 1", "\"version\": 2"), "version 2 is not supported");
  refused(with("\"version\": 1", "\"version\": \"1\""), "\"version\" = \"1\" is not an integer");
  refused(with("\"version\": 1", "\"version\": 1.5e300"), "is not an integer");
  refused(with("\"kalman\"]", "\"other\"]"), "\"components\" must be");
  refused(with("\"skipped\": [", "\"skipped\": 3, \"x\": ["), "\"skipped\" must be an array");
  refused(with("\"jobs\"", "\"jabs\""), "bad field");
  refused(with("{\"name\"", "{\"nom\""), "jobs[0] has no \"name\"");
  // Inside a job: the job and the point are named.
  refused(with("\"points\": [[", "\"points\": [[7, 1, null, null, null, null, null, null], ["),
          "jobs[0] (\"");
  refused(with("\"points\": [[", "\"points\": [[7, 1, null, null, null, null, null, null], ["),
          "points[0]: bucket 7 is not 0, 1 or 2");
  refused(with("\"points\": [[", "\"points\": [[1.5, 1, null, null, null, null, null, null], ["),
          "bucket 1.5 is not");
  refused(with("\"points\": [[", "\"points\": [[0, 1, null, null], ["),
          "points[0]: expected an array of 8 entries");
  refused(with("\"points\": [[", "\"points\": [[0, \"x\", null, null, null, null, null, null], ["),
          "ln R = \"x\" is not a number");
  refused(with("\"points\": [[", "\"points\": [[0, 1e300, null, null, null, null, null, null], ["),
          "points[0]: ln R = 1e+300 is not a number within");
  refused(with("\"points\": [[", "\"points\": [[0, 1, 2, null, null, null, null, null], ["),
          "the robust_window forecast [2, null] is not two numbers");
  refused(with("\"points\": [[", "\"points\": [[0, 1, null, null, 2, -1, null, null], ["),
          "the drift_diffusion forecast");
  refused(with("\"points\": [[", "\"points\": [[0, 1, 1e999, 1, null, null, null, null], ["),
          "not valid JSON");
  refused(with("\"skipped\": [\n    {\"name\"", "\"skipped\": [\n    {\"nom\""),
          "skipped[0] needs a \"name\" and a \"why\"");
}

TEST(calibration_evidence, leave_one_out_folds_equal_fits_without_the_job) {
  const calibration_evidence& e = everything();
  const std::vector<std::string> names = e.names();
  const std::vector<calibration> folds = e.fit_without_each(names);
  ASSERT_EQ(folds.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    // The fold is what calibration::fit() gives on the others, in name order.
    std::vector<copyeta::detail::job_evidence> others;
    for (const std::string& name : names)
      if (name != names[i]) others.push_back(*e.find(name));
    const calibration expected = calibration::fit(others);
    EXPECT_TRUE(folds[i] == expected) << names[i];
    EXPECT_TRUE(e.fit_without(names[i]) == expected) << names[i];
    EXPECT_EQ(folds[i].jobs() + !e.find(names[i])->points.empty(), e.jobs()) << names[i];
  }
  // Leaving out different jobs does change the calibration.
  EXPECT_TRUE(std::any_of(folds.begin(), folds.end(),
                          [&](const calibration& c) { return !(c == folds.front()); }));
  EXPECT_THROW(e.fit_without("no such job"), copyeta::options_error);
  EXPECT_THROW(e.fit_without_each({names.front(), "no such job"}), copyeta::options_error);
  // With one job, its fold knows nothing: calibration::fit() of nothing.
  const auto one = std::find_if(singles().begin(), singles().end(),
                                [](const auto& s) { return s.size() == 1; });
  ASSERT_NE(one, singles().end());
  EXPECT_TRUE(one->fit_without_each(one->names()).at(0) ==
              calibration::fit(std::vector<copyeta::detail::job_evidence>{}));
}

TEST(calibration_evidence, made_up_evidence_beyond_a_replays_range_is_refused) {
  copyeta::detail::job_evidence job;
  job.name = "made up";
  copyeta::detail::job_evidence::point p;
  p.parts[0] = {true, 1.0, INFINITY};
  job.points.push_back(p);
  calibration_evidence e;
  EXPECT_THROW(e.add(job), copyeta::input_error);
  job.points[0].parts[0].spread = 0.5;
  job.points[0].bucket = 3;
  EXPECT_THROW(e.add(job), copyeta::input_error);
  EXPECT_EQ(e.size(), 0u);
}

// calibration::merge: tables of disjoint job sets learned with the same weights.
TEST(calibration_merge, adds_tables_learned_with_the_same_weights) {
  const calibration_evidence& e = everything();
  const std::vector<std::string> names = e.names();
  calibration a, b, all;  // equal weights: nothing learned yet
  for (std::size_t i = 0; i < names.size(); ++i) {
    (i % 2 ? a : b).update(*e.find(names[i]));
    all.update(*e.find(names[i]));
  }
  calibration ab = a, ba = b;
  ab.merge(b);
  ba.merge(a);
  EXPECT_TRUE(ab == ba);  // a + b == b + a, bit for bit
  EXPECT_EQ(ab.jobs(), all.jobs());
  EXPECT_EQ(ab.weights(), all.weights());
  // Equal to updating with every job, up to the order of the sums.
  for (double p : {0.05, 0.1, 0.5, 0.9, 0.95})
    for (double fraction : {0.1, 0.5, 0.9})
      EXPECT_NEAR(ab.quantile(fraction, p), all.quantile(fraction, p), 1e-9) << p;
  EXPECT_FALSE(ab == a);

  // Other weights: refused, unchanged.
  calibration builtin = calibration::builtin();
  const std::string before = builtin.to_json(true);
  try {
    builtin.merge(ab);
    ADD_FAILURE() << "calibrations with different weights were merged";
  } catch (const copyeta::options_error& error) {
    EXPECT_NE(std::string(error.what()).find("same weights"), std::string::npos);
  }
  EXPECT_EQ(builtin.to_json(true), before);
}

}  // namespace
