// Reading recorded progress traces: CSV with the header t_seconds,bytes_done,bytes_total.
//
// Columns are matched by name, in any order; other columns are ignored, except the optional
// `tool_eta_seconds` (the tool's own ETA, kept for side-by-side comparisons). `bytes_total` may
// be missing or empty (unknown). Fields may be surrounded by spaces; quoting is not supported.
// A row that does not parse is kept, with reason `malformed` and a message naming the line and
// column, so that nothing is lost: replay emits one output per data row, rejected or not.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/input_policy.hpp>
#include <copyeta/sample.hpp>

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace copyeta {

struct trace_row {
  std::size_t line = 0;           // 1-based line number in the input
  std::optional<double> t;        // each field as parsed; nullopt where it did not parse
  std::optional<amount> done;
  std::optional<amount> total;    // nullopt also when empty (unknown)
  std::optional<double> tool_eta;
  reject_reason reason = reject_reason::none;  // why the row cannot become a sample
  std::string error;                           // "run.csv:12: column bytes_done: ..."

  // The sample, when every required field parsed.
  std::optional<sample> to_sample() const;
};

struct trace {
  std::string name;  // the file name, or what the caller called the input
  std::vector<trace_row> rows;

  // The samples of the rows that parsed, in order.
  std::vector<sample> samples() const;
};

// Throws input_error when the header lacks t_seconds or bytes_done.
trace read_trace_csv(std::istream& in, std::string name);
trace parse_trace_csv(std::string_view text, std::string name);
// Throws input_error when the file cannot be opened.
trace read_trace_csv_file(const std::string& path);

// Parses one amount: exact for integers up to 2^64-1, and also decimals or exponents that
// denote a non-negative value in range (rounded to the nearest integer). The reason says why
// it failed: malformed, amount_negative, amount_not_finite or amount_too_large.
std::optional<amount> parse_amount(std::string_view text, reject_reason* why = nullptr) noexcept;

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/trace-inl.hpp>
#endif
