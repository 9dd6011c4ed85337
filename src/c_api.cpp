// The C API of include/copyeta/copyeta.h over the C++ library.
//
// Every entry point is noexcept and runs its body through guarded(), which turns each exception
// into an error code and a thread-local message: nothing is ever thrown across the C boundary.
// Compiled into copyeta::copyeta and, on its own, into libcopyeta_c (CMakeLists.txt).
#include <copyeta/calibration.hpp>
#include <copyeta/config.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/estimate.hpp>
#include <copyeta/format.hpp>
#include <copyeta/input_policy.hpp>
#include <copyeta/models.hpp>
#include <copyeta/monitor.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// copyeta.h repeats config.hpp's version macros (a C header cannot include a C++ one): keep
// config.hpp's values, let copyeta.h define its own, and check below that they agree.
namespace {
constexpr int cpp_version_major = COPYETA_VERSION_MAJOR;
constexpr int cpp_version_minor = COPYETA_VERSION_MINOR;
constexpr int cpp_version_patch = COPYETA_VERSION_PATCH;
constexpr std::string_view cpp_version_string = COPYETA_VERSION_STRING;
}  // namespace
#undef COPYETA_VERSION_MAJOR
#undef COPYETA_VERSION_MINOR
#undef COPYETA_VERSION_PATCH
#undef COPYETA_VERSION_STRING

#define COPYETA_C_BUILDING
#include <copyeta/copyeta.h>

static_assert(COPYETA_VERSION_MAJOR == cpp_version_major &&
                  COPYETA_VERSION_MINOR == cpp_version_minor &&
                  COPYETA_VERSION_PATCH == cpp_version_patch &&
                  std::string_view(COPYETA_VERSION_STRING) == cpp_version_string,
              "copyeta.h's version macros must match config.hpp's");

// The layout promised in copyeta.h: fixed offsets, no implicit padding.
static_assert(sizeof(copyeta_estimate) == COPYETA_ESTIMATE_SIZE_V1);
static_assert(offsetof(copyeta_estimate, state) == 4);
static_assert(offsetof(copyeta_estimate, t) == 8);
static_assert(offsetof(copyeta_estimate, done) == 16);
static_assert(offsetof(copyeta_estimate, total) == 24);
static_assert(offsetof(copyeta_estimate, remaining) == 32);
static_assert(offsetof(copyeta_estimate, level) == 56);
static_assert(offsetof(copyeta_estimate, shift_factor) == 96);
static_assert(offsetof(copyeta_estimate, has_total) == 104);
static_assert(offsetof(copyeta_estimate, reserved) == 116);

// The C states are the C++ ones, value for value.
static_assert(static_cast<int>(copyeta::state::warming_up) == COPYETA_STATE_WARMING_UP);
static_assert(static_cast<int>(copyeta::state::unknown_total) == COPYETA_STATE_UNKNOWN_TOTAL);
static_assert(static_cast<int>(copyeta::state::ok) == COPYETA_STATE_OK);
static_assert(static_cast<int>(copyeta::state::stalled) == COPYETA_STATE_STALLED);
static_assert(static_cast<int>(copyeta::state::flushing) == COPYETA_STATE_FLUSHING);
static_assert(static_cast<int>(copyeta::state::finished) == COPYETA_STATE_FINISHED);
static_assert(static_cast<int>(copyeta::state::rejected) == COPYETA_STATE_REJECTED);

struct copyeta_calibration {
  std::shared_ptr<const copyeta::calibration> value;
};

struct copyeta_monitor {
  copyeta::monitor value;
};

namespace {

constexpr int state_count = COPYETA_STATE_REJECTED + 1;
constexpr unsigned known_format_flags = COPYETA_FORMAT_24H | COPYETA_FORMAT_COUNTS;

// The message of copyeta_last_error(). Recording it may itself run out of memory; a static text
// stands in then.
thread_local std::string last_error_text;
thread_local const char* last_error_message = "";

copyeta_error fail(copyeta_error code, std::string_view message) noexcept {
  try {
    last_error_text.assign(message.data(), message.size());
    last_error_message = last_error_text.c_str();
  } catch (...) {
    last_error_message = "[copyeta.c] out of memory while recording an error";
  }
  return code;
}

// Runs `body`, which returns a copyeta_error, and turns whatever it throws into one.
template <typename Body>
copyeta_error guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(COPYETA_ERROR_OUT_OF_MEMORY, "[copyeta.c] out of memory");
  } catch (const copyeta::options_error& e) {
    return fail(COPYETA_ERROR_INVALID_ARGUMENT, e.what());
  } catch (const copyeta::sample_error& e) {
    return fail(COPYETA_ERROR_SAMPLE_REJECTED, e.what());
  } catch (const copyeta::input_error& e) {
    return fail(COPYETA_ERROR_BAD_INPUT, e.what());
  } catch (const std::exception& e) {
    try {
      return fail(COPYETA_ERROR_INTERNAL, fmt::format("[copyeta.c] internal error: {}", e.what()));
    } catch (...) {
      return fail(COPYETA_ERROR_INTERNAL, e.what());
    }
  } catch (...) {
    return fail(COPYETA_ERROR_INTERNAL, "[copyeta.c] internal error: unknown exception");
  }
}

copyeta_error null_argument(const char* function, const char* argument) noexcept {
  try {
    return fail(COPYETA_ERROR_NULL_ARGUMENT,
                fmt::format("[copyeta.c] {}: `{}` is NULL", function, argument));
  } catch (...) {
    return fail(COPYETA_ERROR_NULL_ARGUMENT, "[copyeta.c] a required argument is NULL");
  }
}

// snprintf's contract (copyeta.h, "text output"), cutting only between UTF-8 characters.
copyeta_error write_text(const char* function, const std::string& text, char* buffer,
                         std::size_t size, std::size_t* length) {
  if (length) *length = text.size();
  if (size > 0 && !buffer) return null_argument(function, "buffer");
  if (text.size() < size) {
    std::memcpy(buffer, text.c_str(), text.size() + 1);
    return COPYETA_OK;
  }
  if (size > 0) {
    std::size_t keep = size - 1;
    while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0u) == 0x80u) --keep;
    std::memcpy(buffer, text.data(), keep);
    buffer[keep] = '\0';
  }
  return fail(COPYETA_ERROR_BUFFER_TOO_SMALL,
              fmt::format("[copyeta.c] {}: the text needs {} bytes and a NUL, the buffer holds {}",
                          function, text.size(), size));
}

copyeta_error io_error(const char* path, const char* what, int error) {
  return fail(COPYETA_ERROR_IO, fmt::format("[copyeta.io] {}: {}: {}", path, what,
                                            error ? std::strerror(error) : "unknown error"));
}

copyeta_estimate to_c(const copyeta::estimate& e) noexcept {
  copyeta_estimate c{};
  c.struct_size = sizeof(copyeta_estimate);
  c.state = static_cast<std::int32_t>(e.state);
  c.t = e.t;
  c.done = e.done;
  c.has_total = e.total ? 1 : 0;
  c.total = e.total.value_or(0);
  c.remaining = e.remaining;
  c.lo = e.lo;
  c.hi = e.hi;
  c.level = e.level;
  c.has_rate = e.rate ? 1 : 0;
  c.rate = e.rate.value_or(0.0);
  c.stalled_for = e.stalled_for;
  c.has_shift = e.shift ? 1 : 0;
  if (e.shift) {
    c.shift_t = e.shift->t;
    c.shift_fraction = e.shift->fraction;
    c.shift_factor = e.shift->factor;
  }
  return c;
}

// The C++ estimate of a caller's struct, which may come from anywhere: checked field by field.
copyeta::estimate from_c(const copyeta_estimate& c) {
  if (c.struct_size < COPYETA_ESTIMATE_SIZE_V1)
    throw copyeta::options_error(fmt::format(
        "[copyeta.c] copyeta_estimate.struct_size = {} is below {}: set it to "
        "sizeof(copyeta_estimate)",
        c.struct_size, COPYETA_ESTIMATE_SIZE_V1));
  if (c.state < 0 || c.state >= state_count)
    throw copyeta::options_error(
        fmt::format("[copyeta.c] copyeta_estimate.state = {} is not a copyeta_state", c.state));
  copyeta::estimate e;
  e.state = static_cast<copyeta::state>(c.state);
  e.t = c.t;
  e.done = c.done;
  if (c.has_total) e.total = c.total;
  e.remaining = c.remaining;
  e.lo = c.lo;
  e.hi = c.hi;
  e.level = c.level;
  if (c.has_rate) e.rate = c.rate;
  e.stalled_for = c.stalled_for;
  if (c.has_shift) e.shift = copyeta::rate_shift{c.shift_t, c.shift_fraction, c.shift_factor};
  if (e.has_remaining() &&
      !(std::isfinite(e.hi) && 0.0 <= e.lo && e.lo <= e.remaining && e.remaining <= e.hi))
    throw copyeta::options_error(fmt::format(
        "[copyeta.c] copyeta_estimate: state {} needs 0 <= lo <= remaining <= hi, all finite "
        "(lo = {}, remaining = {}, hi = {})",
        copyeta::to_string(e.state), e.lo, e.remaining, e.hi));
  if (e.shift && !(e.shift->factor > 0.0 && std::isfinite(e.shift->factor) &&
                   std::isfinite(e.shift->fraction)))
    throw copyeta::options_error(fmt::format(
        "[copyeta.c] copyeta_estimate: shift_factor = {} must be positive and finite",
        e.shift->factor));
  return e;
}

copyeta::format_options format_flags(unsigned flags) {
  if ((flags & ~known_format_flags) != 0)
    throw copyeta::options_error(
        fmt::format("[copyeta.c] flags = {:#x} has bits that are not COPYETA_FORMAT_* flags",
                    flags));
  copyeta::format_options options;
  options.clock_24h = (flags & COPYETA_FORMAT_24H) != 0;
  options.bytes = (flags & COPYETA_FORMAT_COUNTS) == 0;
  return options;
}

std::chrono::system_clock::time_point wall_time(double seconds) {
  // Half of what system_clock holds, so that adding a remaining time cannot overflow it.
  using clock = std::chrono::system_clock;
  const double limit =
      std::chrono::duration<double>(clock::duration::max()).count() / 2.0;
  if (!(std::abs(seconds) <= limit))
    throw copyeta::options_error(fmt::format(
        "[copyeta.c] wall_at_t = {} must be a finite Unix time in seconds, within +-{:.3g}",
        seconds, limit));
  return clock::time_point(
      std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds)));
}

const std::array<std::string, state_count>& state_names() {
  static const auto names = [] {
    std::array<std::string, state_count> all;
    for (int s = 0; s < state_count; ++s)
      all[static_cast<std::size_t>(s)] = std::string(copyeta::to_string(static_cast<copyeta::state>(s)));
    return all;
  }();
  return names;
}

const std::vector<std::string>& model_names() {
  static const auto names = [] {
    std::vector<std::string> all;
    for (const auto name : copyeta::model_names()) all.emplace_back(name);
    return all;
  }();
  return names;
}

}  // namespace

extern "C" {

const char* copyeta_last_error(void) { return last_error_message; }

const char* copyeta_error_string(int error) {
  switch (error) {
    case COPYETA_OK: return "success";
    case COPYETA_ERROR_NULL_ARGUMENT: return "a required pointer argument was NULL";
    case COPYETA_ERROR_INVALID_ARGUMENT: return "an argument is outside its documented range";
    case COPYETA_ERROR_SAMPLE_REJECTED:
      return "the sample broke the input policy; it was ignored and counted";
    case COPYETA_ERROR_IO: return "a file could not be opened, read or written";
    case COPYETA_ERROR_BAD_INPUT: return "the input is not a valid calibration";
    case COPYETA_ERROR_BUFFER_TOO_SMALL: return "the text was truncated to fit the buffer";
    case COPYETA_ERROR_OUT_OF_MEMORY: return "out of memory";
    case COPYETA_ERROR_INTERNAL: return "internal error in copyeta";
  }
  return "unknown error";
}

const char* copyeta_version(void) { return COPYETA_VERSION_STRING; }

int copyeta_abi_version(void) { return COPYETA_C_ABI_VERSION; }

const char* copyeta_state_name(int state) {
  if (state < 0 || state >= state_count) return nullptr;
  try {
    return state_names()[static_cast<std::size_t>(state)].c_str();
  } catch (...) {
    return nullptr;
  }
}

const char* copyeta_model_name(size_t index) {
  try {
    const auto& names = model_names();
    return index < names.size() ? names[index].c_str() : nullptr;
  } catch (...) {
    return nullptr;
  }
}

// ---- calibration ------------------------------------------------------------------------------

copyeta_error copyeta_calibration_load(const char* path, copyeta_calibration** out) {
  if (out) *out = nullptr;
  if (!path) return null_argument("copyeta_calibration_load", "path");
  if (!out) return null_argument("copyeta_calibration_load", "out");
  return guarded([&] {
    errno = 0;
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path, "rb"), std::fclose);
    if (!file) return io_error(path, "cannot open the calibration", errno);
    std::string text;
    char chunk[1 << 14];
    std::size_t got = 0;
    while ((got = std::fread(chunk, 1, sizeof chunk, file.get())) > 0) text.append(chunk, got);
    if (std::ferror(file.get())) return io_error(path, "cannot read the calibration", errno);
    *out = new copyeta_calibration{std::make_shared<const copyeta::calibration>(
        copyeta::calibration::from_json(text, path))};
    return COPYETA_OK;
  });
}

copyeta_error copyeta_calibration_from_json(const char* text, size_t size,
                                            copyeta_calibration** out) {
  if (out) *out = nullptr;
  if (!text && size > 0) return null_argument("copyeta_calibration_from_json", "text");
  if (!out) return null_argument("copyeta_calibration_from_json", "out");
  return guarded([&] {
    *out = new copyeta_calibration{std::make_shared<const copyeta::calibration>(
        copyeta::calibration::from_json(std::string_view(text ? text : "", size), "JSON text"))};
    return COPYETA_OK;
  });
}

copyeta_error copyeta_calibration_builtin(copyeta_calibration** out) {
  if (!out) return null_argument("copyeta_calibration_builtin", "out");
  *out = nullptr;
  return guarded([&] {
    *out = new copyeta_calibration{
        std::make_shared<const copyeta::calibration>(copyeta::calibration::builtin())};
    return COPYETA_OK;
  });
}

copyeta_error copyeta_calibration_save(const copyeta_calibration* calibration, const char* path) {
  if (!calibration) return null_argument("copyeta_calibration_save", "calibration");
  if (!path) return null_argument("copyeta_calibration_save", "path");
  return guarded([&] {
    try {
      errno = 0;
      calibration->value->save(path);
    } catch (const copyeta::input_error& e) {
      // save() fails only on the file system.
      const int error = errno;
      return fail(COPYETA_ERROR_IO,
                  error ? fmt::format("{}: {}", e.what(), std::strerror(error)) : e.what());
    }
    return COPYETA_OK;
  });
}

copyeta_error copyeta_calibration_to_json(const copyeta_calibration* calibration, char* buffer,
                                          size_t size, size_t* length) {
  if (!calibration) return null_argument("copyeta_calibration_to_json", "calibration");
  return guarded([&] {
    return write_text("copyeta_calibration_to_json", calibration->value->to_json(), buffer, size,
                      length);
  });
}

copyeta_error copyeta_calibration_jobs(const copyeta_calibration* calibration, uint64_t* jobs) {
  if (!calibration) return null_argument("copyeta_calibration_jobs", "calibration");
  if (!jobs) return null_argument("copyeta_calibration_jobs", "jobs");
  *jobs = calibration->value->jobs();
  return COPYETA_OK;
}

void copyeta_calibration_destroy(copyeta_calibration* calibration) { delete calibration; }

// ---- monitor ----------------------------------------------------------------------------------

copyeta_error copyeta_monitor_create(const char* model, double level,
                                     const copyeta_calibration* calibration,
                                     copyeta_monitor** out) {
  if (!out) return null_argument("copyeta_monitor_create", "out");
  *out = nullptr;
  return guarded([&] {
    copyeta::monitor_options options;
    if (model) options.model = model;
    options.estimator.level = level;
    if (calibration) options.calibration = calibration->value;
    *out = new copyeta_monitor{copyeta::monitor(options)};
    return COPYETA_OK;
  });
}

void copyeta_monitor_destroy(copyeta_monitor* monitor) { delete monitor; }

copyeta_error copyeta_monitor_add(copyeta_monitor* monitor, double t, uint64_t done,
                                  const uint64_t* total) {
  if (!monitor) return null_argument("copyeta_monitor_add", "monitor");
  copyeta::sample s{t, done, std::nullopt};
  if (total) s.total = *total;
  const copyeta::sample_check check = monitor->value.add(s);
  if (check.accepted()) return COPYETA_OK;
  // A rejected sample changed nothing, so last() is still the sample it was checked against;
  // the strict API's exception carries the message that names field, value and previous value.
  return guarded([&] {
    copyeta::throw_if_rejected(check, monitor->value.last(), s);
    return fail(COPYETA_ERROR_SAMPLE_REJECTED,
                fmt::format("[copyeta.sample.{}] rejected", copyeta::to_string(check.reason)));
  });
}

copyeta_error copyeta_monitor_counts(const copyeta_monitor* monitor, uint64_t* accepted,
                                     uint64_t* rejected) {
  if (!monitor) return null_argument("copyeta_monitor_counts", "monitor");
  if (accepted) *accepted = monitor->value.accepted();
  if (rejected) *rejected = monitor->value.rejected();
  return COPYETA_OK;
}

size_t copyeta_estimate_size(void) { return sizeof(copyeta_estimate); }

copyeta_error copyeta_monitor_estimate(const copyeta_monitor* monitor, double now,
                                       copyeta_estimate* out) {
  if (!monitor) return null_argument("copyeta_monitor_estimate", "monitor");
  if (!out) return null_argument("copyeta_monitor_estimate", "out");
  const std::uint32_t room = out->struct_size;
  if (room < COPYETA_ESTIMATE_SIZE_V1)
    return guarded([&] {
      return fail(COPYETA_ERROR_INVALID_ARGUMENT,
                  fmt::format("[copyeta.c] copyeta_monitor_estimate: out->struct_size = {} is "
                              "below {}: set it to sizeof(copyeta_estimate)",
                              room, COPYETA_ESTIMATE_SIZE_V1));
    });
  copyeta_estimate c = to_c(monitor->value.estimate(now));
  const std::size_t filled = std::min<std::size_t>(room, sizeof(copyeta_estimate));
  c.struct_size = static_cast<std::uint32_t>(filled);
  std::memcpy(out, &c, filled);
  return COPYETA_OK;
}

// ---- text output ------------------------------------------------------------------------------

copyeta_error copyeta_format(const copyeta_estimate* estimate, int kind, double wall_at_t,
                             unsigned flags, char* buffer, size_t size, size_t* length) {
  if (length) *length = 0;
  if (!estimate) return null_argument("copyeta_format", "estimate");
  return guarded([&] {
    const copyeta::estimate e = from_c(*estimate);
    const copyeta::format_options options = format_flags(flags);
    std::string text;
    switch (kind) {
      case COPYETA_FORMAT_STATUS:
        text = copyeta::format_status(e, wall_time(wall_at_t), options);
        break;
      case COPYETA_FORMAT_FINISH:
        text = copyeta::format_finish(e, wall_time(wall_at_t), options);
        break;
      case COPYETA_FORMAT_REMAINING:
        text = copyeta::format_remaining(e);
        break;
      default:
        throw copyeta::options_error(fmt::format(
            "[copyeta.c] copyeta_format: kind = {} is not a copyeta_format_kind", kind));
    }
    return write_text("copyeta_format", text, buffer, size, length);
  });
}

copyeta_error copyeta_format_duration(double seconds, char* buffer, size_t size, size_t* length) {
  if (length) *length = 0;
  return guarded([&] {
    return write_text("copyeta_format_duration", copyeta::format_duration(seconds), buffer, size,
                      length);
  });
}

copyeta_error copyeta_format_amount(uint64_t amount, unsigned flags, char* buffer, size_t size,
                                    size_t* length) {
  if (length) *length = 0;
  return guarded([&] {
    return write_text("copyeta_format_amount",
                      copyeta::format_amount(amount, format_flags(flags)), buffer, size, length);
  });
}

}  // extern "C"
