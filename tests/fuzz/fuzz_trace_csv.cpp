// Fuzz target: CSV trace loading (parse_trace_csv, behind `copyeta replay` and `backtest`).
//
// Checked: the only exception is input_error (a header without the required columns); every
// data row is kept, with increasing line numbers, and either becomes a sample with a finite time
// or carries a reason and a message naming the trace and its line.
#include "fuzz_check.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/trace.hpp>

#include <cmath>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  copyeta::trace trace;
  try {
    trace = copyeta::parse_trace_csv(text, "fuzz.csv");
  } catch (const copyeta::input_error& e) {
    FUZZ_CHECK(std::string_view(e.what()).find("fuzz.csv") != std::string_view::npos,
               "the error does not name the trace: %s", e.what());
    return 0;
  }
  FUZZ_CHECK(trace.name == "fuzz.csv", "name lost");

  std::size_t previous_line = 0;
  std::size_t good = 0;
  for (const auto& row : trace.rows) {
    FUZZ_CHECK(row.line > previous_line, "line numbers do not increase (%zu after %zu)", row.line,
               previous_line);
    previous_line = row.line;
    const auto s = row.to_sample();
    if (row.reason == copyeta::reject_reason::none) {
      FUZZ_CHECK(row.error.empty(), "an accepted row with an error: %s", row.error.c_str());
      FUZZ_CHECK(row.t && row.done, "an accepted row without t or done (line %zu)", row.line);
      FUZZ_CHECK(std::isfinite(*row.t), "an accepted row with t = %g", *row.t);
      FUZZ_CHECK(s && s->t == *row.t && s->done == *row.done && s->total == row.total,
                 "to_sample() differs from the row");
      ++good;
    } else {
      FUZZ_CHECK(!s, "a rejected row became a sample");
      const std::string where = "fuzz.csv:" + std::to_string(row.line) + ":";
      FUZZ_CHECK(row.error.compare(0, where.size(), where) == 0,
                 "the message does not name the line: %s", row.error.c_str());
    }
  }
  FUZZ_CHECK(trace.samples().size() == good, "samples() lost or invented rows");

  // Nothing lost: one row per non-blank line after the header (the first non-blank line).
  std::size_t lines = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const auto line = text.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) ++lines;
    start = end + 1;
  }
  FUZZ_CHECK(lines >= 1 && trace.rows.size() == lines - 1, "%zu rows for %zu non-blank lines",
             trace.rows.size(), lines);
  return 0;
}
