// A fleet: many copies run at once, under a concurrency limit, and fold into one forecast.
//
// A migration (every mailbox off a failing storage head, every VM disk to a new cluster) is
// thousands of jobs. A coordinator starts a job when a slot frees, the job finishes or fails,
// and a failed item is queued again. `fleet` follows those events and answers: when will the
// last job finish, and how sure are we?
//
//   copyeta::fleet_options options;
//   options.slots = 40;                   // jobs at once: the concurrency limit
//   copyeta::fleet f(options);
//   f.add_items(sizes);                   // the queue: one size per item
//   f.job_started(id, t, bytes);          // a slot took an item
//   f.job_finished(id, t);                // or f.job_failed(id, t): the item is queued again
//   copyeta::fleet_estimate e = f.estimate(now);
//
// The model, in slot-seconds. A job holds one of the `slots` slots while it runs and costs a
// per-item time plus its bytes at the per-slot rate: duration = c + k·bytes, learned from the
// latest finished jobs (least squares on relative errors with Huber weights, durations divided
// by the speed of their time block). While items wait, the coordinator keeps every slot busy,
// so the fleet does `slots` slot-seconds of work per second at its current speed: the rate a
// job gets already reflects how many share the throughput, and the time left is about
// (items left·c + bytes left·k) / slots / speed, plus the tail, where slots fall idle and the
// longest remaining jobs bound the end.
//
// The interval is a Monte Carlo over what is not known (`draws` draws with a fixed seed: the
// same events give the same estimate, bit for bit; its cost grows with the slots, not with the
// queue beyond `itemized_queue`):
// - the speed over the time left: the log speeds of the history's time blocks, fitted by a
//   mean-reverting (Ornstein-Uhlenbeck) model (variogram least squares with a noise floor, then
//   a Kalman filter for today's level). A history shorter than the speed's memory cannot show
//   how far it wanders, so the fit is blended with a prior (`speed_sd`, `speed_memory`) that
//   the history outweighs as it grows. The longer the time left, the more the mean speed over
//   it can differ from today's;
// - each job's own ratio of duration to cost, drawn from the finished jobs of similar cost;
//   a running job's from those that ran at least as long as it has;
// - failures: each attempt fails with the measured probability (its uncertainty too), wastes
//   up to twice the measured mean share of its work, and its item goes back to the queue;
// - the sizes of items queued by count only;
// - the order of the queue, which the fleet does not know: a short queue is scheduled item by
//   item in a random order (list scheduling: an item goes to the slot that frees first); a
//   long one keeps its `slots` largest items discrete, at random places in the queue, pours the
//   others as a fluid between them, and ends with each slot at the fluid's level busy with a
//   job at its equilibrium residual (the job in flight at a random moment is length-biased).
//
// Limits: the queue's order is taken to be unrelated to size (a coordinator that starts the
// largest items first ends with a shorter tail than forecast); jobs of one identical length
// in lockstep keep their phases, which the fluid assumes mixed (an error up to one job's
// length, for long queues only); when slots fall idle at the end a job runs no faster unless
// `tail_speedup` says so.
//
// Data problems never throw: an unknown job id, a second start for a running id, a time that is
// not finite are ignored and counted by reason (`rejected()`); a time earlier than the job's
// start or than the latest event is taken as that time and counted. Options out of range throw
// options_error.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/estimate.hpp>
#include <copyeta/sample.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace copyeta {

struct fleet_options {
  // How many jobs the coordinator runs at once while items are waiting: the concurrency limit.
  std::uint32_t slots = 1;
  // Probability that [lo, hi] holds the true end of the whole fleet.
  double level = 0.8;
  // Finished jobs, and blocks of history, needed before the first estimate (warming_up until
  // then): the speed's variability is measured across blocks.
  std::uint32_t min_finished = 20;
  std::uint32_t min_blocks = 4;
  // Width of the throughput history's time blocks, in seconds. The history keeps at most
  // `max_blocks`; when it is full, neighbours merge and the width doubles, so a migration of
  // any length keeps bounded state.
  double block_seconds = 60.0;
  std::uint32_t max_blocks = 512;
  // The latest finished jobs that the cost model (per-item time, per-byte time, each job's own
  // spread) learns from, and the latest failed attempts (the work a failure wastes).
  std::uint32_t window_jobs = 2048;
  // No job started, finished, failed or progressed for this many seconds, while the running
  // jobs would have finished `stall_jobs` of themselves in that time at the measured speed (or
  // none runs while items wait): the state is `stalled`. The median then assumes the work
  // resumes now, and the interval's upper end moves out by the stall's length.
  double stall_after = 300.0;
  double stall_jobs = 3.0;
  // What the fleet assumes of its speed until its own history is long enough to tell: the
  // standard deviation of the log of its throughput (0.2: it swings by about ±20%), and how
  // long a swing lasts (seconds). The history's own measure takes over as it grows: half the
  // weight once it spans two `speed_memory`s.
  double speed_sd = 0.2;
  double speed_memory = 3600.0;
  // How much faster a job runs alone than with every slot busy, at the end when slots fall
  // idle. 1: each slot keeps its rate (the default; the end is then at worst late). `slots`: the
  // slots share one throughput and the last job gets all of it.
  double tail_speedup = 1.0;
  // Queues of up to this many items are scheduled item by item in every draw; a longer one is
  // poured as a fluid around its `slots` largest items (within a few percent of item by item,
  // tests/cpp/test_fleet.cpp, at a cost that no longer grows with the queue). 0: 4 × slots.
  std::uint64_t itemized_queue = 0;
  // Monte Carlo draws per estimate, and their seed.
  std::uint32_t draws = 256;
  std::uint64_t seed = 0x5eed'f1ee'7c0f'1e57ull;

  void validate() const;  // throws options_error naming the first field out of range
};

// What happened to one event (job_started, job_finished, ...). Only `accepted` and `clamped`
// change the fleet.
enum class fleet_status : unsigned char {
  accepted,
  clamped,          // applied at the latest event's time: t was earlier (events out of order)
  unknown_job,      // finished, failed or progress for an id that is not running: ignored
  duplicate_job,    // started an id that is already running: ignored
  time_not_finite,  // ignored
};
inline constexpr std::size_t fleet_status_count = 5;

// The forecast for the whole fleet.
struct fleet_estimate {
  // warming_up (fewer than min_finished jobs finished, or nothing known), ok, stalled, finished
  // (nothing pending and nothing running).
  copyeta::state state = state::warming_up;
  double t = 0.0;
  // Seconds from t to the end of the last job: the median and the interval at `level`. Numbers
  // only when has_remaining(); 0 otherwise. Finite, non-negative, lo <= remaining <= hi.
  double remaining = 0.0;
  double lo = 0.0;
  double hi = 0.0;
  double level = 0.8;
  double stalled_for = 0.0;  // seconds since the latest event, when the state is `stalled`

  std::uint64_t items_finished = 0;
  std::uint64_t items_running = 0;
  std::uint64_t items_pending = 0;    // queued, retries included
  std::uint64_t attempts_failed = 0;  // failed attempts, retried or abandoned
  std::uint64_t items_abandoned = 0;  // failed and not retried
  amount bytes_finished = 0;
  double bytes_pending = 0.0;         // expected: items queued by count count at their mean

  // What the fleet learned (present once there is an estimate): the aggregate throughput over
  // the recent blocks, the per-item time and per-slot byte rate at the current speed, and the
  // failure probability of one attempt.
  std::optional<double> bytes_per_second;
  std::optional<double> items_per_second;
  std::optional<double> seconds_per_item;
  std::optional<double> slot_bytes_per_second;
  std::optional<double> failure_probability;

  bool has_remaining() const noexcept {
    return state == state::ok || state == state::stalled || state == state::finished;
  }
  // The same forecast as a copyeta::estimate, counting items (done: finished; total: finished,
  // running and queued; rate: items per second), for format.hpp and the JSON writers.
  copyeta::estimate to_estimate() const;
};

class fleet {
 public:
  // Validates the options (throws options_error).
  explicit fleet(const fleet_options& options = {});

  // The queue. Items of known sizes; `count` items of `bytes_each`; or `count` items whose sizes
  // are learned as they start (with their mean, when known; otherwise the mean of the jobs
  // started so far). The fleet assumes items start in an order unrelated to their size.
  void add_items(const std::vector<amount>& sizes);
  void add_items(std::uint64_t count, amount bytes_each);
  void add_unsized_items(std::uint64_t count, std::optional<amount> mean_bytes = std::nullopt);

  // A slot took an item of `bytes` (a retry may keep the failed job's id). It leaves the queue:
  // an item of about that size if one is queued, else one queued by count, else none (counted
  // in unplanned_starts(); the fleet then had more work than it was told).
  fleet_status job_started(std::uint64_t id, double t, amount bytes);
  // Optional: bytes done so far by a running job. Sharpens its residual and shows life.
  fleet_status job_progress(std::uint64_t id, double t, amount done);
  fleet_status job_finished(std::uint64_t id, double t);
  // The attempt failed; its work is lost. The item is queued again unless `abandoned`.
  fleet_status job_failed(std::uint64_t id, double t, bool abandoned = false);

  // The forecast at `now` (seconds on the events' clock). A `now` before the latest event is
  // taken as the latest event's time; a non-finite one too. Never throws on data. It changes
  // nothing, so threads may estimate at once, but not while another adds events.
  fleet_estimate estimate(double now) const;

  const fleet_options& options() const noexcept { return options_; }
  std::uint64_t rejected() const noexcept;  // events not applied
  std::uint64_t count(fleet_status s) const noexcept {
    return counts_[static_cast<std::size_t>(s)];
  }
  std::uint64_t unplanned_starts() const noexcept { return unplanned_starts_; }

  // Internal state, public for the implementation's helpers and tests.
  struct running_job {
    double start = 0.0;
    amount bytes = 0;
    amount done = 0;          // from job_progress
    double progress_t = 0.0;  // when `done` was reported (start until then)
  };
  struct attempt {  // a finished or failed attempt, in the regression's window
    double bytes = 0.0;
    double seconds = 0.0;
    double end = 0.0;
  };
  struct block {  // one time block of the throughput history
    double finished = 0.0;  // jobs finished in the block
    double bytes = 0.0;     // their bytes
    double seconds = 0.0;   // their durations
  };
  // Queued items of known size, by size class: a quarter octave each.
  static constexpr std::size_t size_classes = 4 * 64 + 1;
  struct size_histogram {
    std::array<std::uint64_t, size_classes> count{};
    std::array<double, size_classes> bytes{};
    std::uint64_t items = 0;
    double total = 0.0;
  };

 private:
  void advance(double t);
  double event_time(double t, fleet_status& status) const;
  // The running job `id` for an event at `t`, with the clock advanced to the event's time (which
  // event_time() may clamp); or running_.end() when the time is not finite or the job unknown,
  // that status set and counted.
  std::unordered_map<std::uint64_t, running_job>::iterator running_at(std::uint64_t id, double& t,
                                                                      fleet_status& status);
  void add_to_block(double end, double bytes, double seconds);
  void take_from_queue(amount bytes);

  fleet_options options_;
  std::unordered_map<std::uint64_t, running_job> running_;
  size_histogram queued_;        // known sizes, retries included
  size_histogram started_;       // sizes of first starts, for items queued by count
  std::uint64_t unsized_ = 0;    // items queued by count
  std::optional<double> unsized_mean_;
  // Rings of the latest finished jobs (the regression's window) and failed attempts (the
  // share of its work a failure wastes).
  std::vector<attempt> finished_window_;
  std::size_t finished_next_ = 0;
  std::vector<attempt> failed_window_;
  std::size_t failed_next_ = 0;
  std::vector<block> blocks_;    // blocks_[i] covers [origin_ + i·width_, origin_ + (i+1)·width_)
  double origin_ = 0.0;
  double width_ = 0.0;
  bool has_clock_ = false;
  double latest_ = 0.0;          // the latest event's time
  double last_event_ = 0.0;      // the latest start, finish, failure or progress
  std::uint64_t finished_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t abandoned_ = 0;
  amount bytes_finished_ = 0;
  std::uint64_t unplanned_starts_ = 0;
  std::array<std::uint64_t, fleet_status_count> counts_{};
};

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/fleet-inl.hpp>
#endif
