// shared_monitor: one writer, any number of readers. The deterministic tests drive both sides
// from one thread; the concurrency tests (suite shared_monitor_concurrency, selected by
// `ctest -R concurrency` and run under ThreadSanitizer by scripts/test) use real threads.
#include "allocations.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/shared_monitor.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using copyeta::amount;
using copyeta::reject_reason;
using copyeta::sample;
using copyeta::shared_monitor;
using copyeta::shared_monitor_options;

shared_monitor_options with_queue(std::size_t capacity, const std::string& model = "default") {
  shared_monitor_options o;
  o.monitor.model = model;
  o.queue_capacity = capacity;
  return o;
}

// What the readers' monitor has seen.
std::uint64_t model_accepted(const shared_monitor& m) {
  return m.with_monitor([](const copyeta::monitor& inner) { return inner.accepted(); });
}
std::uint64_t model_restarts(const shared_monitor& m) {
  return m.with_monitor([](const copyeta::monitor& inner) { return inner.restarts(); });
}
std::optional<sample> model_last(const shared_monitor& m) {
  return m.with_monitor([](const copyeta::monitor& inner) { return inner.last(); });
}

void expect_same(const copyeta::estimate& a, const copyeta::estimate& b) {
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.t, b.t);
  EXPECT_EQ(a.done, b.done);
  EXPECT_EQ(a.total, b.total);
  EXPECT_EQ(a.remaining, b.remaining);
  EXPECT_EQ(a.lo, b.lo);
  EXPECT_EQ(a.hi, b.hi);
  EXPECT_EQ(a.level, b.level);
  EXPECT_EQ(a.rate, b.rate);
  EXPECT_EQ(a.stalled_for, b.stalled_for);
  EXPECT_EQ(a.shift.has_value(), b.shift.has_value());
}

TEST(shared_monitor, options_are_validated) {
  for (const std::size_t bad : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{100},
                                std::size_t{1} << 21}) {
    EXPECT_THROW(shared_monitor{with_queue(bad)}, copyeta::options_error) << bad;
  }
  EXPECT_THROW(shared_monitor{with_queue(256, "no-such-model")}, copyeta::options_error);
  EXPECT_NO_THROW(shared_monitor{with_queue(2)});
  EXPECT_NO_THROW(shared_monitor{with_queue(std::size_t{1} << 20)});
}

// Without overflow the readers' monitor sees exactly the writer's samples, so every estimate is
// the plain monitor's, bit for bit.
TEST(shared_monitor, estimates_equal_a_plain_monitors_without_overflow) {
  for (const std::string model : {"default", "kalman", "tqdm"}) {
    SCOPED_TRACE(model);
    copyeta::monitor_options o;
    o.model = model;
    copyeta::monitor plain(o);
    shared_monitor shared(with_queue(256, model));
    double t = 0.0;
    amount done = 0;
    for (int i = 0; i < 3000; ++i) {
      t += 0.1 + 0.05 * (i % 3);
      done += 1'000'000u + static_cast<amount>(i % 17) * 100'000u;
      if (i == 1500) done /= 2;  // a restart
      const sample s{t, done, amount{10'000'000'000}};
      EXPECT_EQ(plain.add(s).restart, shared.add(s).restart);
      if (i % 100 == 0) {
        expect_same(shared.estimate(t + 1.0), plain.estimate(t + 1.0));
        expect_same(shared.estimate(std::nan("")), plain.estimate(std::nan("")));
      }
    }
    expect_same(shared.estimate(t), plain.estimate(t));
    EXPECT_EQ(shared.coalesced(), 0u);
    EXPECT_EQ(shared.accepted(), plain.accepted());
    EXPECT_EQ(model_accepted(shared), plain.accepted());
    EXPECT_EQ(shared.restarts(), 1u);
    EXPECT_EQ(model_restarts(shared), 1u);
  }
}

// A linear copy for the overflow tests: sample i at t = i with done = 100 i.
sample linear(int i) { return {double(i), static_cast<amount>(i) * 100u, amount{1'000'000}}; }

TEST(shared_monitor, a_full_queue_coalesces_into_the_latest_sample) {
  shared_monitor m(with_queue(8));
  for (int i = 1; i <= 100; ++i) EXPECT_TRUE(m.add(linear(i)).accepted());
  // 8 queued, the 9th waits in the slot and was replaced by each later one.
  EXPECT_EQ(m.accepted(), 100u);
  EXPECT_EQ(m.coalesced(), 91u);
  const copyeta::estimate e = m.estimate(std::nan(""));
  EXPECT_EQ(e.t, 100.0);
  EXPECT_EQ(e.done, 10'000u);
  EXPECT_EQ(model_accepted(m), 9u);
  EXPECT_EQ(model_last(m), linear(100));

  // Room again: the next samples all reach the model.
  for (int i = 101; i <= 105; ++i) m.add(linear(i));
  EXPECT_EQ(m.estimate(std::nan("")).done, 10'500u);
  EXPECT_EQ(model_accepted(m), 14u);
  EXPECT_EQ(m.coalesced(), 91u);
}

// A sample that waited in the slot reaches the model once, although the writer queues it too
// when room comes back.
TEST(shared_monitor, a_sample_from_the_slot_is_delivered_once) {
  shared_monitor m(with_queue(4));
  for (int i = 1; i <= 6; ++i) m.add(linear(i));  // 1-4 queued, 5 replaced by 6 in the slot
  EXPECT_EQ(m.coalesced(), 1u);
  EXPECT_EQ(m.estimate(std::nan("")).done, 600u);  // the reader takes 6 from the slot
  m.add(linear(7));  // the writer queues 6, then 7
  m.add(linear(8));
  EXPECT_EQ(m.estimate(std::nan("")).done, 800u);
  EXPECT_EQ(model_accepted(m), 7u);  // 1-4, 6, 7, 8: 6 once
  EXPECT_EQ(m.with_monitor([](const copyeta::monitor& inner) { return inner.rejected(); }), 0u);
}

// The copy restarts (done goes back) while the queue is full, then climbs past where it was.
// Keeping only the latest sample would hide the restart from the model.
TEST(shared_monitor, a_restart_survives_a_full_queue) {
  shared_monitor m(with_queue(4));
  for (int i = 1; i <= 4; ++i) m.add(linear(i));  // queued: done up to 400
  for (int i = 5; i <= 9; ++i) m.add(linear(i));  // the slot: done up to 900
  // Back to 700 (below 900 but above 400, the last queued), then up to 2600.
  EXPECT_TRUE(m.add({10.0, 700, amount{1'000'000}}).restart);
  for (int i = 11; i <= 30; ++i) m.add({double(i), 700 + static_cast<amount>(i - 10) * 100u});
  EXPECT_EQ(m.restarts(), 1u);
  EXPECT_EQ(m.estimate(std::nan("")).done, 2700u);
  EXPECT_EQ(model_restarts(m), 1u);
  // 1-4, then 9 (before the restart), 10 (the restart) and 30 (the latest).
  EXPECT_EQ(model_accepted(m), 7u);
  EXPECT_EQ(m.coalesced(), 30u - 7u);
  EXPECT_EQ(model_last(m)->t, 30.0);
}

TEST(shared_monitor, a_restart_right_after_the_queue_fills_is_kept) {
  shared_monitor m(with_queue(4));
  for (int i = 1; i <= 4; ++i) m.add(linear(i));  // queued: done up to 400
  EXPECT_TRUE(m.add({5.0, 10, amount{1'000'000}}).restart);  // the slot; 400 is queued
  for (int i = 6; i <= 20; ++i) m.add({double(i), static_cast<amount>(i) * 100u});
  EXPECT_EQ(m.estimate(std::nan("")).done, 2000u);
  EXPECT_EQ(model_restarts(m), 1u);
  EXPECT_EQ(model_accepted(m), 6u);  // 1-4, 5, 20
}

// Two restarts while the queue is full: restarts() counts both, and the model sees the latest,
// so its current run starts where the copy's did.
TEST(shared_monitor, the_latest_of_several_restarts_is_kept) {
  shared_monitor m(with_queue(2));
  m.add(linear(1));
  m.add(linear(2));
  m.add(linear(3));                                      // the slot
  EXPECT_TRUE(m.add({4.0, 50}).restart);                 // [3, 4]
  m.add({5.0, 5000});                                    // [3, 4, 5]
  EXPECT_TRUE(m.add({6.0, 4000}).restart);               // [5, 6]
  m.add({7.0, 4100});                                    // [5, 6, 7]
  m.add({8.0, 4200});                                    // [5, 6, 8]
  EXPECT_EQ(m.restarts(), 2u);
  EXPECT_EQ(m.coalesced(), 3u);  // 3, 4 and 7
  EXPECT_EQ(m.estimate(std::nan("")).done, 4200u);
  EXPECT_GE(model_restarts(m), 1u);
  EXPECT_EQ(model_accepted(m), 5u);  // 1, 2, 5, 6, 8
}

TEST(shared_monitor, rejected_samples_are_counted_and_never_reach_the_model) {
  shared_monitor m(with_queue(2));
  EXPECT_EQ(m.add({std::nan(""), 0}).reason, reject_reason::time_not_finite);
  m.add(linear(1));
  m.add(linear(2));
  EXPECT_EQ(m.add({1.5, 300}).reason, reject_reason::time_backwards);  // queue not full
  for (int i = 3; i <= 6; ++i) m.add(linear(i));  // 3 in the slot, replaced up to 6
  // Checked against the writer's latest sample (6), which the model has not seen yet.
  EXPECT_EQ(m.add({5.5, 700}).reason, reject_reason::time_backwards);
  EXPECT_EQ(m.add({HUGE_VAL, 700}).reason, reject_reason::time_not_finite);
  EXPECT_EQ(m.accepted(), 6u);
  EXPECT_EQ(m.rejected(), 4u);
  EXPECT_EQ(m.rejected(reject_reason::time_backwards), 2u);
  EXPECT_EQ(m.rejected(reject_reason::time_not_finite), 2u);
  EXPECT_EQ(m.last_rejection(), reject_reason::time_not_finite);
  EXPECT_EQ(m.estimate(std::nan("")).done, 600u);
  EXPECT_EQ(m.with_monitor([](const copyeta::monitor& inner) { return inner.rejected(); }), 0u);
  EXPECT_EQ(model_last(m), linear(6));
}

TEST(shared_monitor, a_missing_total_is_carried_like_a_monitors) {
  shared_monitor m(with_queue(4));
  m.add({0.0, 0, amount{1000}});
  m.add({1.0, 100, std::nullopt});
  m.add({2.0, 200, std::nullopt});
  EXPECT_EQ(m.estimate(2.0).total, amount{1000});
}

// The writer's path never allocates: not when queueing, coalescing or flushing the slot.
TEST(shared_monitor, add_never_allocates) {
  shared_monitor m(with_queue(256));
  long allocated = 0;
  std::uint64_t i = 0;
  for (int round = 0; round < 1000; ++round) {
    const long before = copyeta::testing::allocations_on_this_thread();
    // Sometimes a read in between, sometimes the queue overflows, sometimes a restart.
    for (int k = 0; k < 1000; ++k, ++i) {
      const amount done = (i % 100'000) * 1000u;
      m.add({static_cast<double>(i) * 0.01, done, amount{1} << 40});
    }
    allocated += copyeta::testing::allocations_on_this_thread() - before;
    if (round % 3 == 0) m.estimate(static_cast<double>(i) * 0.01);
  }
  EXPECT_EQ(allocated, 0);
  EXPECT_EQ(m.accepted(), 1'000'000u);
  EXPECT_GT(m.coalesced(), 0u);
  EXPECT_EQ(m.restarts(), 9u);
}

// --- concurrency ------------------------------------------------------------------------------

// The stress stream: sample i (i >= 1) is at t = i / 1024 (exact in a double), with done a
// function of i that a torn read (t of one sample, done of another) breaks; the total changes
// every 4096 samples. The copy restarts after i = 3,000,000 and 6,000,000.
constexpr double ticks_per_second = 1024.0;
amount done_at(std::uint64_t i) {
  return (i % 3'000'000) * 4096u + (i * 2'654'435'761u) % 4093u;  // strictly rising in a run
}
amount total_at(std::uint64_t i) { return (amount{1} << 40) + (i >> 12); }
sample stress_sample(std::uint64_t i) {
  return {static_cast<double>(i) / ticks_per_second, done_at(i), total_at(i)};
}

// What a reader checks on every estimate: the sample it reflects is whole, it never goes back
// in time, and lo <= remaining <= hi.
struct read_checker {
  std::uint64_t reads = 0;
  std::uint64_t torn = 0;
  std::uint64_t backwards = 0;
  std::uint64_t disordered = 0;
  std::uint64_t latest = 0;
  std::uint64_t distinct = 0;  // how many different samples the reads saw
  std::string first_problem;

  void check(const copyeta::estimate& e) {
    ++reads;
    if (!(e.lo <= e.remaining && e.remaining <= e.hi)) {
      note(disordered, e, "lo <= remaining <= hi broken");
    }
    if (e.t == 0.0 && e.done == 0) return;  // no sample yet
    const double ticks = e.t * ticks_per_second;
    const auto i = static_cast<std::uint64_t>(ticks);
    if (static_cast<double>(i) != ticks || e.done != done_at(i) || e.total != total_at(i)) {
      note(torn, e, "torn sample");
      return;
    }
    if (i < latest) note(backwards, e, "went back in time");
    if (i != latest) ++distinct;
    latest = i;
  }

  void note(std::uint64_t& count, const copyeta::estimate& e, const char* what) {
    if (count++ == 0 && first_problem.empty()) {
      first_problem = std::string(what) + " at read " + std::to_string(reads) +
                      ": t = " + std::to_string(e.t) + ", done = " + std::to_string(e.done) +
                      ", remaining = " + std::to_string(e.remaining) + " in [" +
                      std::to_string(e.lo) + ", " + std::to_string(e.hi) + "]";
    }
  }
};

// The writer: `adds` calls, every 1000th a rejected sample (time going back). On a busy machine
// the threads may share one core; the yields make them interleave there too (nothing waits on
// them: the checks hold for any interleaving).
void write_stream(shared_monitor& m, std::uint64_t adds) {
  for (std::uint64_t k = 1; k <= adds; ++k) {
    if (k % 1024 == 0) std::this_thread::yield();
    if (k % 1000 == 0) {
      m.add({static_cast<double>(k - 1) / ticks_per_second - 1.0, 0, std::nullopt});
    } else {
      m.add(stress_sample(k));
    }
  }
}

void expect_final_state(const shared_monitor& m, std::uint64_t adds) {
  const std::uint64_t last = adds % 1000 == 0 ? adds - 1 : adds;
  const copyeta::estimate e = m.estimate(std::nan(""));
  EXPECT_EQ(e.done, done_at(last));
  EXPECT_EQ(e.t, static_cast<double>(last) / ticks_per_second);
  EXPECT_EQ(m.rejected(), adds / 1000);
  EXPECT_EQ(m.rejected(reject_reason::time_backwards), adds / 1000);
  EXPECT_EQ(m.accepted(), adds - adds / 1000);
  EXPECT_EQ(m.restarts(), (adds - 1) / 3'000'000);
  m.with_monitor([&](const copyeta::monitor& inner) {
    // Nothing the readers took from the writer broke the input policy: no torn sample.
    EXPECT_EQ(inner.rejected(), 0u);
    // Every accepted sample reached the model or was coalesced (a coalesced one may have
    // reached it too, taken from the slot just before the writer replaced it).
    EXPECT_LE(inner.accepted(), m.accepted());
    EXPECT_GE(inner.accepted() + m.coalesced(), m.accepted());
    if (m.restarts() > 0) {
      EXPECT_GE(inner.restarts(), 1u);
    }
    EXPECT_LE(inner.restarts(), m.restarts());
  });
}

// The test: a copy thread and a display thread, 10^7 operations between them.
TEST(shared_monitor_concurrency, one_writer_one_reader_ten_million_operations) {
  constexpr std::uint64_t adds = 9'000'000;
  constexpr std::uint64_t reads = 1'000'000;
  shared_monitor m(with_queue(256));
  read_checker checker;
  std::thread reader([&] {
    for (std::uint64_t r = 0; r < reads; ++r) {
      if (r % 64 == 0) std::this_thread::yield();
      checker.check(m.estimate(std::nan("")));
    }
  });
  write_stream(m, adds);
  reader.join();
  // How much the threads interleaved: recorded, not asserted, since it depends on the machine.
  RecordProperty("samples_seen_by_reader", std::to_string(checker.distinct));
  RecordProperty("coalesced", std::to_string(m.coalesced()));
  EXPECT_EQ(checker.reads, reads);
  EXPECT_EQ(checker.torn, 0u) << checker.first_problem;
  EXPECT_EQ(checker.backwards, 0u) << checker.first_problem;
  EXPECT_EQ(checker.disordered, 0u) << checker.first_problem;
  expect_final_state(m, adds);
}

// Several display threads at once; they also read the counters, which take no lock.
TEST(shared_monitor_concurrency, one_writer_three_readers) {
  constexpr std::uint64_t adds = 1'000'000;
  constexpr std::uint64_t reads = 20'000;
  shared_monitor m(with_queue(64));
  std::vector<read_checker> checkers(3);
  std::vector<std::uint64_t> counter_problems(3, 0);
  std::vector<std::thread> readers;
  for (std::size_t r = 0; r < checkers.size(); ++r) {
    readers.emplace_back([&, r] {
      std::uint64_t seen = 0;
      for (std::uint64_t k = 0; k < reads; ++k) {
        if (k % 64 == 0) std::this_thread::yield();
        checkers[r].check(m.estimate(std::nan("")));
        const std::uint64_t accepted = m.accepted();
        // The count never goes back, and covers every sample the estimate saw.
        if (accepted < seen) ++counter_problems[r];
        seen = accepted;
        if (checkers[r].latest > 0 && accepted < checkers[r].latest - checkers[r].latest / 1000) {
          ++counter_problems[r];
        }
      }
    });
  }
  write_stream(m, adds);
  for (std::thread& t : readers) t.join();
  for (std::size_t r = 0; r < checkers.size(); ++r) {
    EXPECT_EQ(checkers[r].torn, 0u) << checkers[r].first_problem;
    EXPECT_EQ(checkers[r].backwards, 0u) << checkers[r].first_problem;
    EXPECT_EQ(checkers[r].disordered, 0u) << checkers[r].first_problem;
    EXPECT_EQ(counter_problems[r], 0u);
  }
  expect_final_state(m, adds);
}

}  // namespace
