// A monitor shared between one copy thread, which calls add() once per block, and any number of
// display threads, which call estimate(now).
//
// The writer never waits for a reader: add() takes no lock, never allocates and never throws.
// It applies the input policy itself (it keeps its own previous sample), counts what it decides
// and puts each accepted sample in a single-producer queue of fixed size. Readers take a mutex
// that only readers take, move the queued samples into a plain `monitor`, and estimate.
//
// When readers fall behind and the queue is full, the writer coalesces instead of waiting: it
// keeps the newest sample in a small slot published under a seqlock, and each sample it
// replaces there is lost to the model (counted by coalesced()). Amounts are cumulative, so what
// is lost is only resolution: the model sees the copy advance in fewer, larger steps.
// A restart (done going back) is never lost that way: the sample before the latest restart and
// the one that went back are kept until the model has them, so the model always sees done go
// back and starts its current run exactly where the copy restarted. Only when several restarts
// come while the queue is full does the model see the latest of them alone; restarts() counts
// every one.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/estimate.hpp>
#include <copyeta/input_policy.hpp>
#include <copyeta/monitor.hpp>
#include <copyeta/sample.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace copyeta {

struct shared_monitor_options {
  monitor_options monitor;
  // How many samples the writer can queue between two reads: a power of two from 2 to 2^20.
  // 256 samples (10 KiB) hold 25 ms of a copy that reports at 10 kHz; beyond that the writer
  // coalesces.
  std::size_t queue_capacity = 256;

  void validate() const;  // throws options_error
};

namespace detail {

// One accepted sample on its way from the writer to the readers. `index` numbers accepted
// samples from 1, so that a sample that reaches the readers twice (from the queue and from the
// overflow slot) is delivered once.
struct queued_sample {
  double t = 0.0;
  amount done = 0;
  amount total = 0;
  std::uint64_t index = 0;
  bool has_total = false;
};

}  // namespace detail

class shared_monitor {
 public:
  // Throws options_error for invalid options. Allocates the queue; nothing allocates later.
  explicit shared_monitor(const shared_monitor_options& options = {});
  explicit shared_monitor(const monitor_options& options);
  shared_monitor(const shared_monitor&) = delete;
  shared_monitor& operator=(const shared_monitor&) = delete;

  // --- the writer: one thread at a time -----------------------------------------------------
  // Applies the input policy (input_policy.hpp) and returns what it decided, as monitor::add().
  // Lock-free and wait-free: a few comparisons, a copy into the queue, release stores.
  sample_check add(const sample& s) noexcept;

  // --- readers: any thread ------------------------------------------------------------------
  // The estimate at `now`, with every sample queued so far. A non-finite `now` is taken as the
  // latest sample's time. Takes the readers' mutex.
  copyeta::estimate estimate(double now) const noexcept;

  // The writer's decisions, counted exactly. Lock-free. accepted() counts at least every sample
  // that an estimate() returned earlier on the calling thread had seen.
  std::uint64_t accepted() const noexcept;
  std::uint64_t rejected() const noexcept;
  std::uint64_t rejected(reject_reason reason) const noexcept;
  reject_reason last_rejection() const noexcept;
  // Accepted samples whose done went below the previous one.
  std::uint64_t restarts() const noexcept;
  // Accepted samples the writer replaced while the queue was full (see the top of the file), so
  // that the model never sees them, unless a reader took one from the slot just before.
  std::uint64_t coalesced() const noexcept;

  // Calls f(const monitor&) under the readers' mutex, after the queued samples are in it: for
  // what estimate() does not say, e.g. how many restarts the model saw.
  template <class F>
  decltype(auto) with_monitor(F&& f) const {
    std::lock_guard<std::mutex> lock(mutex_);
    drain();
    return std::forward<F>(f)(static_cast<const monitor&>(monitor_));
  }

 private:
  static constexpr std::size_t pending_capacity = 3;
  // The overflow slot as 64-bit words: [count, then per sample: t bits, done, total,
  // index << 1 | has_total]. Atomic words keep the seqlock free of data races.
  static constexpr std::size_t slot_words = 1 + 4 * pending_capacity;

  // Writer only.
  void enqueue(const detail::queued_sample& q, bool restart) noexcept;
  bool queue_has_room() noexcept;
  void push(const detail::queued_sample& q) noexcept;
  void publish_pending() noexcept;
  static void bump(std::atomic<std::uint64_t>& counter, std::uint64_t by = 1) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
  }

  // Readers only, under mutex_.
  void drain() const noexcept;
  void deliver(const detail::queued_sample& q) const noexcept;
  // Copies the overflow slot into `out`; false when the writer kept changing it.
  bool read_pending(std::array<detail::queued_sample, pending_capacity>& out,
                    std::size_t& count) const noexcept;

  const std::size_t mask_;
  const std::unique_ptr<detail::queued_sample[]> queue_;

  // The writer's state, on its own cache lines. The queue is [tail_, head_): the writer fills
  // it at head_, readers empty it at tail_.
  struct alignas(64) writer_state {
    std::optional<sample> previous;  // the latest accepted sample, for the input policy
    std::uint64_t head = 0;          // == head_, without reading the atomic
    std::uint64_t tail_seen = 0;     // tail_ as last read: the queue has at least this much room
    // Accepted samples waiting for room, oldest first; only the last one may be replaced,
    // unless it is a restart (`last_is_restart`).
    std::array<detail::queued_sample, pending_capacity> pending{};
    std::size_t pending_count = 0;
    bool last_is_restart = false;
    bool pending_published = false;  // the slot holds samples
  } writer_;

  // Counters: written by the writer only (load + store, no read-modify-write), read anywhere.
  alignas(64) std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> restarts_{0};
  std::atomic<std::uint64_t> coalesced_{0};
  std::array<std::atomic<std::uint64_t>, reject_reason_count> rejected_{};
  std::atomic<reject_reason> last_rejection_{reject_reason::none};
  std::atomic<std::uint64_t> head_{0};  // release: the queue holds every sample before it

  // Stored (release) by readers: the slots before it are free again.
  alignas(64) mutable std::atomic<std::uint64_t> tail_{0};

  // The overflow slot: a seqlock (odd while the writer changes it) over atomic words.
  alignas(64) std::atomic<std::uint64_t> sequence_{0};
  std::array<std::atomic<std::uint64_t>, slot_words> slot_{};

  // Readers' state.
  alignas(64) mutable std::mutex mutex_;
  mutable copyeta::monitor monitor_;
  mutable std::uint64_t delivered_ = 0;  // index of the latest sample given to monitor_
};

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/shared_monitor-inl.hpp>
#endif
