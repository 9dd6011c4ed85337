#pragma once

#include <copyeta/errors.hpp>
#include <copyeta/shared_monitor.hpp>

#include <fmt/format.h>

#include <cstring>
#include <numeric>

namespace copyeta {

COPYETA_INLINE void shared_monitor_options::validate() const {
  monitor.validate();
  const std::size_t c = queue_capacity;
  if (c < 2 || c > (std::size_t{1} << 20) || (c & (c - 1)) != 0)
    throw options_error(fmt::format(
        "[copyeta.options] queue_capacity = {} must be a power of two from 2 to 1048576", c));
}

namespace detail {

inline std::size_t validated_capacity(const shared_monitor_options& options) {
  options.validate();
  return options.queue_capacity;
}

inline std::uint64_t bits_of(double v) noexcept {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

inline double double_of(std::uint64_t bits) noexcept {
  double v = 0.0;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

}  // namespace detail

COPYETA_INLINE shared_monitor::shared_monitor(const shared_monitor_options& options)
    : mask_(detail::validated_capacity(options) - 1),
      queue_(new detail::queued_sample[options.queue_capacity]),
      monitor_(options.monitor) {}

COPYETA_INLINE shared_monitor::shared_monitor(const monitor_options& options)
    : shared_monitor(shared_monitor_options{options}) {}

// --- the writer ----------------------------------------------------------------------------

COPYETA_INLINE sample_check shared_monitor::add(const sample& s) noexcept {
  const sample_check check = check_sample(writer_.previous, s);
  if (!check.accepted()) {
    bump(rejected_[static_cast<std::size_t>(check.reason)]);
    last_rejection_.store(check.reason, std::memory_order_relaxed);
    return check;
  }
  writer_.previous = s;
  if (check.restart) bump(restarts_);
  // The counter is stored before the sample is published (release), so a reader that has the
  // sample reads a count that includes it.
  const std::uint64_t index = accepted_.load(std::memory_order_relaxed) + 1;
  accepted_.store(index, std::memory_order_relaxed);
  enqueue({s.t, s.done, s.total.value_or(0), index, s.total.has_value()}, check.restart);
  return check;
}

COPYETA_INLINE bool shared_monitor::queue_has_room() noexcept {
  const std::uint64_t capacity = mask_ + 1;
  if (writer_.head - writer_.tail_seen < capacity) return true;
  // Acquire: the reader has finished with the slots before tail_.
  writer_.tail_seen = tail_.load(std::memory_order_acquire);
  return writer_.head - writer_.tail_seen < capacity;
}

COPYETA_INLINE void shared_monitor::push(const detail::queued_sample& q) noexcept {
  queue_[writer_.head & mask_] = q;
  ++writer_.head;
}

COPYETA_INLINE void shared_monitor::enqueue(const detail::queued_sample& q, bool restart) noexcept {
  writer_state& w = writer_;
  // Samples that waited for room go first, in order.
  std::size_t moved = 0;
  while (moved < w.pending_count && queue_has_room()) push(w.pending[moved++]);
  if (moved > 0) {
    for (std::size_t i = moved; i < w.pending_count; ++i) w.pending[i - moved] = w.pending[i];
    w.pending_count -= moved;
  }
  if (w.pending_count == 0 && queue_has_room()) {
    push(q);
    head_.store(w.head, std::memory_order_release);
    // The slot's samples are all in the queue now; empty it so readers stop reading them.
    if (w.pending_published) publish_pending();
    return;
  }
  if (moved > 0) head_.store(w.head, std::memory_order_release);

  // The queue is full: coalesce. Only the latest sample of a monotone stretch is kept, except
  // around a restart: the sample before it and the one that went back both stay, so the model
  // sees done go back even when later samples climb above where the run was.
  std::uint64_t dropped = 0;
  if (restart) {
    if (w.pending_count > 0) {
      // The newest pending sample is the one just before the restart.
      dropped = w.pending_count - 1;
      w.pending[0] = w.pending[w.pending_count - 1];
      w.pending[1] = q;
      w.pending_count = 2;
    } else {
      // The sample before the restart is already in the queue.
      w.pending[0] = q;
      w.pending_count = 1;
    }
    w.last_is_restart = true;
  } else if (w.pending_count > 0 && !w.last_is_restart) {
    w.pending[w.pending_count - 1] = q;
    dropped = 1;
  } else {
    // Empty, or after a restart sample: at most [before, restart, latest].
    w.pending[w.pending_count++] = q;
    w.last_is_restart = false;
  }
  if (dropped > 0) bump(coalesced_, dropped);
  publish_pending();
}

COPYETA_INLINE void shared_monitor::publish_pending() noexcept {
  // A seqlock write (Boehm, "Can seqlocks get along with programming language memory
  // models?", 2012): an odd sequence, the words with release stores (so a reader that sees any
  // new word also sees the odd sequence), then the next even sequence with release.
  const writer_state& w = writer_;
  const std::uint64_t sequence = sequence_.load(std::memory_order_relaxed);
  sequence_.store(sequence + 1, std::memory_order_relaxed);
  slot_[0].store(w.pending_count, std::memory_order_release);
  for (std::size_t i = 0; i < w.pending_count; ++i) {
    const detail::queued_sample& q = w.pending[i];
    std::atomic<std::uint64_t>* word = &slot_[1 + 4 * i];
    word[0].store(detail::bits_of(q.t), std::memory_order_release);
    word[1].store(q.done, std::memory_order_release);
    word[2].store(q.total, std::memory_order_release);
    word[3].store(q.index << 1 | (q.has_total ? 1u : 0u), std::memory_order_release);
  }
  sequence_.store(sequence + 2, std::memory_order_release);
  writer_.pending_published = w.pending_count > 0;
}

// --- readers ---------------------------------------------------------------------------------

COPYETA_INLINE bool shared_monitor::read_pending(
    std::array<detail::queued_sample, pending_capacity>& out, std::size_t& count) const noexcept {
  // The writer changes the slot only while the queue is full, so a few tries are plenty; after
  // them the slot is skipped, which delays its samples to a later read and loses nothing.
  for (int attempt = 0; attempt < 64; ++attempt) {
    const std::uint64_t before = sequence_.load(std::memory_order_acquire);
    if (before & 1u) continue;
    // Acquire loads: a word from a newer write brings that write's odd sequence with it, so
    // the check below sees the change.
    std::uint64_t n = slot_[0].load(std::memory_order_acquire);
    if (n > pending_capacity) n = 0;  // torn; the check below rejects it
    for (std::size_t i = 0; i < n; ++i) {
      const std::atomic<std::uint64_t>* word = &slot_[1 + 4 * i];
      detail::queued_sample& q = out[i];
      q.t = detail::double_of(word[0].load(std::memory_order_acquire));
      q.done = word[1].load(std::memory_order_acquire);
      q.total = word[2].load(std::memory_order_acquire);
      const std::uint64_t tagged = word[3].load(std::memory_order_acquire);
      q.index = tagged >> 1;
      q.has_total = (tagged & 1u) != 0;
    }
    if (sequence_.load(std::memory_order_relaxed) == before) {
      count = static_cast<std::size_t>(n);
      return true;
    }
  }
  return false;
}

COPYETA_INLINE void shared_monitor::deliver(const detail::queued_sample& q) const noexcept {
  if (q.index <= delivered_) return;  // already given, from the queue or from the slot
  delivered_ = q.index;
  sample s{q.t, q.done, std::nullopt};
  if (q.has_total) s.total = q.total;
  // The writer applied the same policy to the same sequence, or to a thinned one that keeps
  // time and restarts in order, so the monitor accepts it.
  monitor_.add(s);
}

COPYETA_INLINE void shared_monitor::drain() const noexcept {
  // The slot first: the writer published every queued sample older than the slot's before it
  // wrote the slot, so the queue read below holds all of them, and the slot's samples, newer,
  // go last. Duplicates (a slot sample the writer has since queued) are skipped by index.
  std::array<detail::queued_sample, pending_capacity> pending;
  std::size_t pending_count = 0;
  if (!read_pending(pending, pending_count)) pending_count = 0;

  const std::uint64_t head = head_.load(std::memory_order_acquire);
  std::uint64_t tail = tail_.load(std::memory_order_relaxed);  // only readers store it
  for (; tail != head; ++tail) deliver(queue_[tail & mask_]);
  tail_.store(tail, std::memory_order_release);

  for (std::size_t i = 0; i < pending_count; ++i) deliver(pending[i]);
}

COPYETA_INLINE copyeta::estimate shared_monitor::estimate(double now) const noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  drain();
  return monitor_.estimate(now);
}

COPYETA_INLINE std::uint64_t shared_monitor::accepted() const noexcept {
  return accepted_.load(std::memory_order_relaxed);
}

COPYETA_INLINE std::uint64_t shared_monitor::rejected() const noexcept {
  std::uint64_t sum = 0;
  for (const auto& count : rejected_) sum += count.load(std::memory_order_relaxed);
  return sum;
}

COPYETA_INLINE std::uint64_t shared_monitor::rejected(reject_reason reason) const noexcept {
  return rejected_[static_cast<std::size_t>(reason)].load(std::memory_order_relaxed);
}

COPYETA_INLINE reject_reason shared_monitor::last_rejection() const noexcept {
  return last_rejection_.load(std::memory_order_relaxed);
}

COPYETA_INLINE std::uint64_t shared_monitor::restarts() const noexcept {
  return restarts_.load(std::memory_order_relaxed);
}

COPYETA_INLINE std::uint64_t shared_monitor::coalesced() const noexcept {
  return coalesced_.load(std::memory_order_relaxed);
}

}  // namespace copyeta
