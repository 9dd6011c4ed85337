// ecp: copies a file or a block device to a file, with a live ETA ("57%  ETA 3:30pm ± 1 hour").
//
//   ecp [--json] [--interval 1] [--bwlimit RATE] [--block-size 1M] [--level 0.8] [--24h]
//       SOURCE DESTINATION
//
// The model for copy tools that embed copyeta (dd-like, rsync-like): one copyeta::monitor per
// copy, a sample after every block with the time of a monotonic clock passed in, and the
// library's own words for people. README.md ("Embedding copyeta in a copy tool") quotes the lines
// between the README markers in copy() below, and a test keeps the two the same.
//
// Done means on disk. Written data waits in the kernel's page cache, so a tool that counts its
// write() calls shows 100% long before the data is safe, then blocks in fsync for minutes (dd
// does). ecp writes behind: as each window of `window_bytes` is written it starts that window's
// writeback and waits for the window before (sync_file_range), so at most two windows are in
// flight, the rate copyeta sees is the disk's, and `done` counts bytes written back. The state
// is `flushing` from the moment the last byte is written until the final fsync returns, with
// the flush's own estimate; then `finished`.
//
// Output: a status line on stderr, redrawn in place on a terminal, one per --interval seconds
// and at every change of state; with --json, one object per update on stdout with the keys of
// docs/CONTRACTS.md plus `wall` and `written`, then an `"event": "summary"` object. A summary for
// people goes to stderr in both cases.
//
// Exit codes (docs/CONTRACTS.md): 0 copied and flushed; 1 input error (the source cannot be
// read, the destination cannot be written, a read, write or flush failed midway); 2 usage error;
// 3 the source ended before the size it had when the copy began; 130 interrupted by SIGINT, after
// the summary (the destination keeps what was copied).
#include <copyeta/copyeta.hpp>
#include <copyeta/units.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/fs.h>  // BLKGETSIZE64
#endif

namespace {

using copyeta::amount;

constexpr int exit_finished = 0;
constexpr int exit_input_error = 1;
constexpr int exit_usage_error = 2;
constexpr int exit_source_ended = 3;
constexpr int exit_interrupted = 130;

// Writeback is started and waited for in windows of this size: small enough that the final
// flush is short, large enough that the disk sees long sequential writes.
constexpr std::uint64_t window_bytes = std::uint64_t{8} << 20;

// ---- SIGINT -----------------------------------------------------------------------------------

volatile std::sig_atomic_t sigint_seen = 0;
extern "C" void on_sigint(int) { sigint_seen = 1; }

// Without SA_RESTART, so that a blocking read() or the --bwlimit sleep returns at once.
void catch_sigint() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
}

// Thrown where the copy notices SIGINT; copy() stops there, cleanly.
struct interrupted {};

// Why the copy cannot go on, for stderr, and the exit code.
struct copy_error {
  std::string message;
  int code = exit_input_error;
};

void stop_if_interrupted() {
  if (sigint_seen) throw interrupted{};
}

// ---- time -------------------------------------------------------------------------------------

// Seconds since the copy began on the monotonic clock: the only time copyeta is given. The wall
// clock is read once, to print times of day; a jump of the system clock moves no estimate.
class stopwatch {
 public:
  double now() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  std::chrono::system_clock::time_point wall(double t) const {
    return wall_start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                             std::chrono::duration<double>(t));
  }
  double unix_time(double t) const {
    return std::chrono::duration<double>(wall(t).time_since_epoch()).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::system_clock::time_point wall_start_ = std::chrono::system_clock::now();
};

// ---- files ------------------------------------------------------------------------------------

class file_descriptor {
 public:
  explicit file_descriptor(int fd = -1) : fd_(fd) {}
  file_descriptor(file_descriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  file_descriptor& operator=(file_descriptor&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~file_descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // close(2), whose error (a deferred write error on NFS) counts: the caller checks it.
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

std::string system_error(int error) { return std::strerror(error); }

// The source: a file or a block device (any readable file works; pipes and character devices
// have no size, so no total and no finish, only a rate).
class source {
 public:
  source(const std::string& path, const stopwatch& clock, double bytes_per_second)
      : path_(path), clock_(clock), bwlimit_(bytes_per_second) {
    fd_ = file_descriptor(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd_.get() < 0)
      throw copy_error{fmt::format("cannot open the source '{}': {}", path, system_error(errno))};
    if (::fstat(fd_.get(), &stat_) != 0)
      throw copy_error{fmt::format("cannot stat the source '{}': {}", path, system_error(errno))};
    if (S_ISDIR(stat_.st_mode))
      throw copy_error{fmt::format("the source '{}' is a directory; ecp copies one file", path)};
    if (S_ISREG(stat_.st_mode)) size_ = static_cast<amount>(stat_.st_size);
#ifdef BLKGETSIZE64
    std::uint64_t bytes = 0;
    if (S_ISBLK(stat_.st_mode) && ::ioctl(fd_.get(), BLKGETSIZE64, &bytes) == 0) size_ = bytes;
#endif
    ::posix_fadvise(fd_.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  }

  // Reads up to buffer.size() bytes; 0 at the end. Throws copy_error on a read error and
  // interrupted on SIGINT. With --bwlimit it first waits until the bytes read so far are due.
  std::size_t read(std::vector<char>& buffer) {
    for (;;) {
      stop_if_interrupted();
      if (bwlimit_ > 0.0) {
        const double wait = static_cast<double>(read_) / bwlimit_ - clock_.now();
        if (wait > 0.0) {
          timespec pause{};
          pause.tv_sec = static_cast<time_t>(wait);
          pause.tv_nsec = static_cast<long>((wait - std::floor(wait)) * 1e9);
          ::nanosleep(&pause, nullptr);  // SIGINT cuts it short
          continue;
        }
      }
      const ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        throw copy_error{fmt::format("cannot read the source '{}' after {} bytes: {}", path_,
                                     read_, system_error(errno))};
      read_ += static_cast<amount>(n);
      if (size_ && read_ > *size_) size_ = read_;  // it grew: the latest total wins
      if (n == 0 && size_ && read_ < *size_) {
        // It shrank while we copied: what it now holds is the whole copy.
        announced_ = size_;
        size_ = read_;
      }
      return static_cast<std::size_t>(n);
    }
  }

  const std::string& path() const { return path_; }
  const struct stat& status() const { return stat_; }
  std::optional<amount> size() const { return size_; }
  // The size it had when the copy began, when it ended before that.
  std::optional<amount> ended_short_of() const { return announced_; }

 private:
  std::string path_;
  const stopwatch& clock_;
  double bwlimit_;
  file_descriptor fd_;
  struct stat stat_ {};
  std::optional<amount> size_;
  std::optional<amount> announced_;
  amount read_ = 0;
};

// The destination: created or truncated, never the source itself. A directory gets the source's
// file name inside it, as with cp.
class destination {
 public:
  destination(std::string path, const source& from) : path_(std::move(path)) {
    struct stat st {};
    if (::stat(path_.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      const auto slash = from.path().find_last_of('/');
      path_ += "/" + (slash == std::string::npos ? from.path() : from.path().substr(slash + 1));
    }
    fd_ = file_descriptor(::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666));
    if (fd_.get() < 0)
      throw copy_error{fmt::format("cannot open the destination '{}' for writing: {}", path_,
                                   system_error(errno))};
    if (::fstat(fd_.get(), &st) != 0)
      throw copy_error{fmt::format("cannot stat the destination '{}': {}", path_, system_error(errno))};
    if (st.st_dev == from.status().st_dev && st.st_ino == from.status().st_ino)
      throw copy_error{fmt::format("'{}' and '{}' are the same file", from.path(), path_)};
    if (S_ISREG(st.st_mode) && ::ftruncate(fd_.get(), 0) != 0)
      throw copy_error{fmt::format("cannot truncate the destination '{}': {}", path_, system_error(errno))};
  }

  void write_all(const char* data, std::size_t size) {
    while (size > 0) {
      const ssize_t n = ::write(fd_.get(), data, size);
      if (n < 0 && errno == EINTR) {
        stop_if_interrupted();
        continue;
      }
      if (n < 0) fail("cannot write", errno);
      data += n;
      size -= static_cast<std::size_t>(n);
      written_ += static_cast<amount>(n);
    }
  }

  // Writeback of the window just completed starts, and the window before it is waited for: at
  // most two windows are ever in flight. synced() is what is known to be on disk.
  void write_behind() {
    while (!fallback_ && written_ - started_ >= window_bytes) {
      if (!sync_range(started_, window_bytes, SYNC_FILE_RANGE_WRITE)) return;
      started_ += window_bytes;
      if (started_ - synced_ > window_bytes) {
        const std::uint64_t wait = started_ - window_bytes - synced_;
        if (!sync_range(synced_, wait, wait_flags)) return;
        synced_ += wait;
      }
    }
  }

  // The writer is done: waits for one more window of writeback. False once all is written back.
  bool flush_window() {
    stop_if_interrupted();
    if (synced() >= written_) return false;
    const std::uint64_t wait = std::min(window_bytes, written_ - synced_);
    if (sync_range(synced_, wait, wait_flags)) synced_ += wait;
    return synced() < written_;
  }

  // fsync: the file's metadata and the disk's own write cache, which writeback leaves. Then
  // close, whose error counts too.
  void sync_and_close() {
    if (::fsync(fd_.get()) != 0 && errno != EINVAL && errno != EROFS) fail("cannot flush", errno);
    if (fd_.close() != 0) fail("cannot close", errno);
    synced_ = written_;
  }

  amount written() const { return written_; }
  // Bytes known to be on disk. Where writeback cannot be followed (a character device, an old
  // kernel), every written byte counts and the final fsync is the whole flush.
  amount synced() const { return fallback_ ? written_ : synced_; }
  const std::string& path() const { return path_; }

 private:
  static constexpr unsigned wait_flags =
      SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;

  bool sync_range(std::uint64_t offset, std::uint64_t bytes, unsigned flags) {
    if (::sync_file_range(fd_.get(), static_cast<off64_t>(offset), static_cast<off64_t>(bytes),
                          flags) == 0)
      return true;
    if (errno == ESPIPE || errno == EINVAL || errno == ENOSYS) {
      fallback_ = true;
      return false;
    }
    fail("cannot write back", errno);
  }

  [[noreturn]] void fail(const char* what, int error) const {
    throw copy_error{fmt::format("{} the destination '{}' after {} bytes: {}", what, path_,
                                 written_, system_error(error))};
  }

  std::string path_;
  file_descriptor fd_;
  amount written_ = 0;
  std::uint64_t started_ = 0;  // writeback started up to here
  std::uint64_t synced_ = 0;   // written back up to here
  bool fallback_ = false;
};

// ---- output -----------------------------------------------------------------------------------

struct settings {
  std::string source;
  std::string destination;
  bool json = false;
  double interval = 1.0;
  std::string bwlimit = "0";
  std::string block_size = "1M";
  double level = 0.8;
  bool clock_24h = false;
  std::string model = "default";
};

nlohmann::ordered_json or_null(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

// The keys of docs/CONTRACTS.md (those of `copyeta replay --jsonl`, with `wall` and `rate`).
nlohmann::ordered_json estimate_json(const copyeta::estimate& e, double wall) {
  const bool numbers = e.has_remaining();
  nlohmann::ordered_json j;
  j["t"] = e.t;
  j["done"] = e.done;
  j["total"] = e.total ? nlohmann::ordered_json(*e.total) : nlohmann::ordered_json(nullptr);
  j["state"] = copyeta::to_string(e.state);
  j["remaining"] = or_null(numbers ? std::optional(e.remaining) : std::nullopt);
  j["lo"] = or_null(numbers ? std::optional(e.lo) : std::nullopt);
  j["hi"] = or_null(numbers ? std::optional(e.hi) : std::nullopt);
  j["level"] = e.level;
  j["rate"] = or_null(e.rate);
  j["shift"] = e.shift ? nlohmann::ordered_json{{"t", e.shift->t},
                                                {"fraction", e.shift->fraction},
                                                {"factor", e.shift->factor}}
                       : nlohmann::ordered_json(nullptr);
  j["wall"] = wall;
  return j;
}

// The status line, the JSON lines, and what the ETA said as the copy crossed 25%, 50%, 75%.
class reporter {
 public:
  reporter(const settings& s, const stopwatch& clock, const destination& to)
      : settings_(s), clock_(clock), to_(to), tty_(::isatty(STDERR_FILENO) != 0) {
    format_.clock_24h = s.clock_24h;
  }

  // Shows `e` when --interval has passed since the last update or the state changed.
  void update(const copyeta::estimate& e) {
    record_checkpoints(e);
    last_ = e;
    if (shown_ && e.state == shown_state_ && e.t < next_) return;
    shown_ = true;
    shown_state_ = e.state;
    next_ = e.t + settings_.interval;
    if (settings_.json) {
      auto j = estimate_json(e, clock_.unix_time(e.t));
      j["written"] = to_.written();
      std::fputs((j.dump() + "\n").c_str(), stdout);
      std::fflush(stdout);
      return;
    }
    std::string line = copyeta::format_status(e, clock_.wall(e.t), format_);
    if (e.rate && e.state != copyeta::state::finished)
      line += fmt::format("  {}/s", copyeta::format_amount(static_cast<amount>(*e.rate), format_));
    fmt::print(stderr, tty_ ? "\r{}\033[K" : "{}\n", line);
    std::fflush(stderr);
  }

  // The end: the summary for people on stderr, and with --json the summary object on stdout.
  void summary(bool finished, const std::string& reason, double copy_end, double end) {
    if (!settings_.json && tty_) std::fputs("\n", stderr);
    const double seconds = std::max(end, 1e-9);
    if (finished) {
      fmt::print(stderr, "ecp: copied {} to '{}' in {} ({}/s), the final flush took {}; "
                         "finished at {}\n",
                 copyeta::format_amount(to_.written(), format_), to_.path(),
                 copyeta::format_duration(end),
                 copyeta::format_amount(static_cast<amount>(static_cast<double>(to_.written()) / seconds), format_),
                 copyeta::format_duration(end - copy_end), clock_text(end));
    } else {
      const std::string of =
          last_.total ? " of " + copyeta::format_amount(*last_.total, format_) : std::string();
      fmt::print(stderr, "ecp: {}; {}{} on disk, '{}' is incomplete\n", reason,
                 copyeta::format_amount(to_.synced(), format_), of, to_.path());
    }
    for (const auto& c : checkpoints_)
      if (c.said)
        fmt::print(stderr, "  at {}%: ecp said {}\n", c.percent,
                   copyeta::format_finish(*c.said, clock_.wall(c.said->t), format_));
    if (!settings_.json) return;
    nlohmann::ordered_json j;
    j["event"] = "summary";
    j["wall"] = clock_.unix_time(end);
    j["t"] = end;
    j["finished"] = finished;
    j["state"] = copyeta::to_string(last_.state);
    j["reason"] = reason.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(reason);
    j["done"] = to_.synced();
    j["written"] = to_.written();
    j["total"] = last_.total ? nlohmann::ordered_json(*last_.total) : nlohmann::ordered_json(nullptr);
    j["flush_seconds"] = finished ? nlohmann::ordered_json(end - copy_end) : nlohmann::ordered_json(nullptr);
    nlohmann::ordered_json said = nlohmann::ordered_json::object();
    for (const auto& c : checkpoints_)
      said[std::to_string(c.percent)] =
          c.said ? estimate_json(*c.said, clock_.unix_time(c.said->t)) : nlohmann::ordered_json(nullptr);
    j["estimates"] = said;
    std::fputs((j.dump() + "\n").c_str(), stdout);
    std::fflush(stdout);
  }

 private:
  struct checkpoint {
    int percent;
    std::optional<copyeta::estimate> said;
  };

  void record_checkpoints(const copyeta::estimate& e) {
    const auto is = e.fraction();
    if (!is || !e.has_remaining() || e.state == copyeta::state::finished) return;
    for (auto& c : checkpoints_)
      if (!c.said && *is >= c.percent / 100.0) c.said = e;
  }

  std::string clock_text(double t) const {
    copyeta::estimate at;  // nothing left: format_finish prints the time itself
    at.state = copyeta::state::ok;
    return copyeta::format_finish(at, clock_.wall(t), format_);
  }

  const settings& settings_;
  const stopwatch& clock_;
  const destination& to_;
  bool tty_;
  copyeta::format_options format_;
  bool shown_ = false;
  copyeta::state shown_state_ = copyeta::state::warming_up;
  double next_ = 0.0;
  copyeta::estimate last_;
  std::array<checkpoint, 3> checkpoints_{{{25, {}}, {50, {}}, {75, {}}}};
};

// While the writeback finishes, the estimate is the flush's: its state says so.
// (From warming_up or unknown_total, whose times are 0, the flush's numbers are 0.)
copyeta::estimate flushing(copyeta::estimate e) {
  e.state = copyeta::state::flushing;
  return e;
}

// ---- the copy ---------------------------------------------------------------------------------

int copy(const settings& s, const copyeta::monitor_options& options, amount block_size,
         double bwlimit) {
  const stopwatch clock;
  source from(s.source, clock, bwlimit);
  destination to(s.destination, from);
  reporter report(s, clock, to);
  std::vector<char> buffer(block_size);
  double copy_end = 0.0;
  try {
    // README: begin
    copyeta::monitor eta(options);                     // one per copy; model and level
    eta.add({clock.now(), 0, from.size()});            // t: seconds on a monotonic clock
    while (const std::size_t n = from.read(buffer)) {  // one sample per block
      to.write_all(buffer.data(), n);
      to.write_behind();                               // at most 2 windows not yet on disk
      const double t = clock.now();
      eta.add({t, to.synced(), from.size()});          // done = on disk, so the flush counts
      report.update(eta.estimate(t));                  // "57%  ETA 3:30pm ± 1 hour"
    }
    copy_end = clock.now();
    do {                                               // written: the rest is the flush
      const double t = clock.now();
      eta.add({t, to.synced(), from.size()});
      report.update(flushing(eta.estimate(t)));        // state `flushing`, with its ETA
    } while (to.flush_window());
    to.sync_and_close();                               // fsync: metadata, the disk's cache
    const double end = clock.now();
    eta.add({end, to.synced(), from.size()});
    report.update(eta.estimate(end));                  // state `finished`
    // README: end
    report.summary(true, "", copy_end, end);
  } catch (const interrupted&) {
    report.summary(false, "interrupted", copy_end, clock.now());
    return exit_interrupted;
  } catch (const copy_error& e) {
    report.summary(false, e.message, copy_end, clock.now());
    return e.code;
  }
  if (const auto announced = from.ended_short_of()) {
    fmt::print(stderr, "ecp: the source '{}' ended at {} bytes, short of the {} it had when the "
                       "copy began\n",
               from.path(), to.written(), *announced);
    return exit_source_ended;
  }
  return exit_finished;
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  CLI::App app{"ecp: copy a file or a block device to a file, with a live ETA (copyeta)", "ecp"};
  app.set_version_flag("--version", COPYETA_VERSION_STRING);
  app.add_option("source", s.source, "File or block device to copy")->required();
  app.add_option("destination", s.destination, "File to write (a directory: the same name in it)")
      ->required();
  app.add_flag("--json", s.json, "One JSON object per update on stdout (docs/CONTRACTS.md)");
  app.add_option("--interval", s.interval, "Seconds between updates")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--bwlimit", s.bwlimit, "Read at most this many bytes a second (32M, 1.5GiB; 0: no limit)")
      ->capture_default_str();
  app.add_option("--block-size", s.block_size, "Bytes per read and write (4K .. 1G)")
      ->capture_default_str();
  app.add_option("--level", s.level, "Probability that the interval holds the finish")
      ->capture_default_str();
  app.add_option("--model", s.model, "Estimator, by its name in docs/CONTRACTS.md")
      ->capture_default_str();
  app.add_flag("--24h", s.clock_24h, "15:30 instead of 3:30pm");
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage_error;
  }

  const auto block_size = copyeta::parse_size(s.block_size);
  if (!block_size || *block_size < 4096 || *block_size > (amount{1} << 30)) {
    fmt::print(stderr, "ecp: --block-size '{}' must be a size from 4K to 1G\n", s.block_size);
    return exit_usage_error;
  }
  const auto bwlimit = copyeta::parse_size(s.bwlimit);
  if (!bwlimit) {
    fmt::print(stderr, "ecp: --bwlimit '{}' is not a size (32M, 1.5GiB, 0)\n", s.bwlimit);
    return exit_usage_error;
  }
  copyeta::monitor_options options;
  options.model = s.model;
  options.estimator.level = s.level;
  try {
    options.validate();
  } catch (const copyeta::options_error& e) {
    fmt::print(stderr, "ecp: {}\n", e.what());
    return exit_usage_error;
  }

  catch_sigint();
  try {
    return copy(s, options, *block_size, static_cast<double>(*bwlimit));
  } catch (const copy_error& e) {  // before the copy began: opening the files
    fmt::print(stderr, "ecp: {}\n", e.message);
    return e.code;
  }
}
