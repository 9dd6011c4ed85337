// Fuzz target: every progress-line parser of the CLI (`copyeta pipe`), and the detector.
//
// The first byte picks the format: one of progress_formats() (forced, as `--format NAME`), or,
// for the values past them, detection as `pipe` does without --format. The rest is a byte stream
// cut into lines by line_splitter, as pipe reads stdin. Checked: no parser throws or crashes on
// data; every reading is sane (a finite time, a finite non-negative tool ETA, percent readings in
// the traces' convention); the splitter gives the same lines however the stream is cut into
// reads; and reset() leaves no state behind.
#include "fuzz_check.hpp"

#include <copyeta/progress_line.hpp>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using copyeta::progress_reading;

void check_reading(const progress_reading& r, std::string_view format) {
  // A time may be negative (a log's timestamps going back, relative to its first line): the
  // monitor rejects it as time_backwards. It is never NaN or infinite.
  if (r.t)
    FUZZ_CHECK(std::isfinite(*r.t), "format %.*s: t = %g",
               static_cast<int>(format.size()), format.data(), *r.t);
  if (r.tool_eta)
    FUZZ_CHECK(std::isfinite(*r.tool_eta) && *r.tool_eta >= 0.0, "format %.*s: tool_eta = %g",
               static_cast<int>(format.size()), format.data(), *r.tool_eta);
  if (r.percent_only) {
    FUZZ_CHECK(r.total && *r.total == 100'000'000u, "format %.*s: percent reading, total not 1e8",
               static_cast<int>(format.size()), format.data());
    FUZZ_CHECK(r.done && *r.done <= 100'000'000u, "format %.*s: percent reading done > 100%%",
               static_cast<int>(format.size()), format.data());
  }
}

// The lines of `bytes`, appended in pieces whose sizes come from `cuts`.
std::vector<std::string> split(std::string_view bytes, std::string_view cuts,
                               std::size_t max_line) {
  copyeta::line_splitter splitter(max_line);
  std::vector<std::string> lines;
  std::size_t pos = 0;
  std::size_t k = 0;
  while (pos < bytes.size()) {
    std::size_t piece = bytes.size() - pos;
    if (!cuts.empty()) piece = 1 + static_cast<unsigned char>(cuts[k++ % cuts.size()]) % 64;
    if (piece > bytes.size() - pos) piece = bytes.size() - pos;
    splitter.append(bytes.substr(pos, piece));
    pos += piece;
    while (auto line = splitter.next()) lines.push_back(std::move(*line));
  }
  if (auto last = splitter.finish()) lines.push_back(std::move(*last));
  for (const auto& line : lines) {
    FUZZ_CHECK(line.size() <= max_line, "line of %zu bytes, max_line %zu", line.size(), max_line);
    FUZZ_CHECK(line.find_first_of("\r\n") == std::string::npos, "line with a terminator");
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& formats = copyeta::progress_formats();
  const std::size_t pick = data[0] % (formats.size() + 1);
  const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);

  // The whole stream at once (as the CLI's default line length), then in small reads cut by the
  // stream's own bytes: the lines must be the same.
  const auto lines = split(stream, {}, 64 * 1024);
  const auto again = split(stream, stream.substr(0, 16), 64 * 1024);
  FUZZ_CHECK(lines == again, "line_splitter gave %zu lines in one read, %zu in pieces",
             lines.size(), again.size());
  // A short line limit exercises the cut of over-long lines.
  (void)split(stream, stream.substr(0, 8), 1 + data[0] % 40);

  const bool detect = pick == formats.size();
  copyeta::progress_detector detector(detect ? std::string_view{} : formats[pick]);
  std::optional<std::string_view> chosen;
  for (const auto& line : lines) {
    const auto reading = detector.feed(line);
    const auto format = detector.format();
    if (reading) {
      FUZZ_CHECK(format.has_value(), "a reading without a format");
      check_reading(*reading, *format);
    }
    if (format) {
      bool known = false;
      for (const auto name : formats) known = known || name == *format;
      FUZZ_CHECK(known, "unknown format name");
      if (!detect) FUZZ_CHECK(*format == formats[pick], "forced format changed");
      // Once a specific format is chosen it keeps the stream; only generic gives way.
      if (chosen && *chosen != "generic")
        FUZZ_CHECK(*format == *chosen, "format changed after detection");
      chosen = format;
    }
  }

  // A bare parser, with a reset half way: what it reads after reset() must not depend on what
  // came before, so feeding the second half to a fresh parser gives the same readings.
  if (!detect && !lines.empty()) {
    auto parser = copyeta::make_line_parser(formats[pick]);
    auto fresh = copyeta::make_line_parser(formats[pick]);
    const std::size_t half = lines.size() / 2;
    for (std::size_t i = 0; i < half; ++i) (void)parser->feed(lines[i]);
    parser->reset();
    for (std::size_t i = half; i < lines.size(); ++i) {
      const auto a = parser->feed(lines[i]);
      const auto b = fresh->feed(lines[i]);
      FUZZ_CHECK(a.has_value() == b.has_value(), "reset() left state behind (line %zu)", i);
      if (a) {
        check_reading(*a, formats[pick]);
        FUZZ_CHECK(a->done == b->done && a->total == b->total && a->t == b->t &&
                       a->tool_eta == b->tool_eta && a->percent_only == b->percent_only,
                   "reset() left state behind (line %zu)", i);
      }
    }
  }
  return 0;
}
