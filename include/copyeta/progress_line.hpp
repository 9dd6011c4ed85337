// Reading copy tools' own progress output: one reading per progress line.
//
// Each tool's format is a `line_parser` in parsers/ (one header per tool family). A parser is
// fed one line at a time (without its terminator; `line_splitter` cuts a stream at '\n' and
// '\r', as tools redraw a line with '\r') and returns a reading when a line completes one. Some
// formats span several lines (an rclone stats block, a ddrescue screen), so parsers keep state.
// A line that is not theirs returns nothing and changes nothing; parsers never throw on data.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/sample.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace copyeta {

// What one progress line says. Every field is optional: dd prints no total, pv prints no
// elapsed time with its default display, gh-ost prints rows, Etcher only a percent.
struct progress_reading {
  std::optional<double> t;         // the tool's own elapsed seconds, when it prints them
  std::optional<amount> done;      // in the tool's unit (bytes, rows), in its own convention
  std::optional<amount> total;
  std::optional<double> tool_eta;  // the tool's own remaining-time estimate, seconds
  // A reading that gives only a percentage uses done = percent * 1e6 and total = 1e8 (the
  // traces' `pct` convention), so 57.25% is done 57,250,000 of 100,000,000.
  bool percent_only = false;
};

class line_parser {
 public:
  virtual ~line_parser() = default;
  // The format's name ("dd", "rsync", "pv", "curl", ...), as `pipe --jsonl` reports it.
  virtual std::string_view format() const noexcept = 0;
  // One line without its terminator. A reading when the line completes one; nullopt otherwise.
  virtual std::optional<progress_reading> feed(std::string_view line) = 0;
  // Forgets any partial multi-line state.
  virtual void reset() noexcept = 0;
};

// Every format, in the order detection tries them (specific formats before generic ones).
const std::vector<std::string_view>& progress_formats();
// A parser for a name of progress_formats(); throws options_error for an unknown name.
std::unique_ptr<line_parser> make_line_parser(std::string_view format);

// Reads a stream of unknown format: every line goes to every format's parser, in the order of
// progress_formats(), until one gives a reading; from then on only that one is fed, unless it is
// the `generic` fallback, which a specific format replaces as soon as it reads a line. A forced
// format skips detection.
class progress_detector {
 public:
  // Throws options_error for an unknown forced format.
  explicit progress_detector(std::string_view forced = {});
  std::optional<progress_reading> feed(std::string_view line);
  // The format that gave the first reading (or the forced one, once it has read a line).
  std::optional<std::string_view> format() const;

 private:
  std::vector<std::unique_ptr<line_parser>> candidates_;
  line_parser* chosen_ = nullptr;
};

// Cuts a byte stream into lines at '\n', '\r' and "\r\n". A line longer than `max_line` bytes
// is cut there (the rest up to the next terminator is dropped and counted), so memory stays
// bounded whatever the input.
class line_splitter {
 public:
  explicit line_splitter(std::size_t max_line = 64 * 1024);
  // Appends bytes; complete lines become available through next().
  void append(std::string_view bytes);
  // The next complete line, or nullopt.
  std::optional<std::string> next();
  // At end of input: the unterminated last line, if any.
  std::optional<std::string> finish();
  // Bytes dropped from over-long lines so far.
  std::size_t dropped() const noexcept { return dropped_; }

 private:
  std::size_t max_line_;
  std::string pending_;
  std::vector<std::string> ready_;
  std::size_t next_ready_ = 0;
  bool dropping_ = false;
  bool after_cr_ = false;
  std::size_t dropped_ = 0;
};

namespace detail {

// A percent-only reading (the traces' `pct` convention above), or nullopt outside [0, 100].
inline std::optional<progress_reading> percent_reading(double percent) noexcept {
  if (!(percent >= 0.0 && percent <= 100.0)) return std::nullopt;
  progress_reading r;
  r.done = static_cast<amount>(percent * 1e6 + 0.5);
  r.total = 100'000'000u;
  r.percent_only = true;
  return r;
}

// The total implied by `done` and a whole percent that the tool truncated (rsync, pv and wget
// print (int)(100 * done / total)): the true percent lies in [p, p + 1), so the total lies in
// (done*100/(p+1), done*100/p]; this returns the middle of the percent interval,
// done * 100 / (p + 0.5), rounded to the nearest byte and never below done. At 100% the total is
// done itself; at 0% there is no total.
inline std::optional<amount> total_from_percent(amount done, unsigned percent) noexcept {
  if (percent == 0 || percent > 100) return std::nullopt;
  if (percent == 100) return done;
  const double total = static_cast<double>(done) * 100.0 / (static_cast<double>(percent) + 0.5);
  if (!(total < 18446744073709551616.0)) return std::nullopt;
  const auto rounded = static_cast<amount>(total + 0.5);
  return rounded < done ? done : rounded;
}

}  // namespace detail

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/progress_line-inl.hpp>
#endif
