// For the programs that measure a monitor's memory (bench/memory.cpp,
// tests/cpp/test_monitor_memory.cpp): a replacement of the global operator new/delete that
// counts live heap bytes (by malloc_usable_size, so malloc's rounding is included), and the copy
// both feed a monitor. Include it in exactly one file of a program: it defines the replaceable
// global allocation functions.
#pragma once

#include <copyeta/sample.hpp>

#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {

long long live_bytes = 0;  // heap bytes currently allocated through operator new

void* counted_new(std::size_t size, std::size_t alignment = 0) {
  if (size == 0) size = 1;
  void* p = alignment > alignof(std::max_align_t)
                ? std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment)
                : std::malloc(size);
  if (!p) throw std::bad_alloc();
  live_bytes += static_cast<long long>(malloc_usable_size(p));
  return p;
}

void counted_delete(void* p) noexcept {
  if (!p) return;
  live_bytes -= static_cast<long long>(malloc_usable_size(p));
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return counted_new(size); }
void* operator new[](std::size_t size) { return counted_new(size); }
void* operator new(std::size_t size, std::align_val_t a) {
  return counted_new(size, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t size, std::align_val_t a) {
  return counted_new(size, static_cast<std::size_t>(a));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted_new(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept { counted_delete(p); }
void operator delete[](void* p) noexcept { counted_delete(p); }
void operator delete(void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete(void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { counted_delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_delete(p); }

namespace {

// A copy at about 100 MB/s that reports `rate_hz` times a second, with noisy amounts, a rate
// that changes every 100,000 samples, and a stall of 500 samples every 250,000. The total is
// out of reach, so the copy never finishes.
class copy_stream {
 public:
  explicit copy_stream(double rate_hz) : dt_(1.0 / rate_hz) {}

  copyeta::sample next() noexcept {
    ++i_;
    if (i_ % 100'000 == 0) speed_ = speed_ > 1e8 ? 5e7 : 2e8;
    const bool stalled = i_ % 250'000 < 500;
    if (!stalled) done_ += static_cast<copyeta::amount>(speed_ * dt_ * (0.7 + 0.6 * uniform()));
    return {static_cast<double>(i_) * dt_, done_, copyeta::amount{1} << 62};
  }

  double t() const noexcept { return static_cast<double>(i_) * dt_; }

 private:
  double uniform() noexcept {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) * 0x1p-53;
  }
  double dt_;
  double speed_ = 1e8;
  std::uint64_t i_ = 0;
  std::uint64_t state_ = 20240611;
  copyeta::amount done_ = 0;
};

}  // namespace
