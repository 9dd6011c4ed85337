#pragma once

#include <copyeta/detail/amount.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/trace.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace copyeta {
namespace detail {

inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

inline std::vector<std::string_view> split_csv(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

inline std::optional<double> parse_double(std::string_view text) noexcept {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace detail

COPYETA_INLINE std::optional<amount> parse_amount(std::string_view text,
                                                  reject_reason* why) noexcept {
  const auto fail = [why](reject_reason reason) -> std::optional<amount> {
    if (why) *why = reason;
    return std::nullopt;
  };
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  amount exact = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), exact);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return exact;
  if (ec == std::errc::result_out_of_range) return fail(reject_reason::amount_too_large);

  const auto value = detail::parse_double(text);
  if (!value) return fail(reject_reason::malformed);
  reject_reason converted_why = reject_reason::none;
  const auto converted = detail::amount_from_double(*value, converted_why);
  if (!converted) return fail(converted_why);
  return converted;
}

COPYETA_INLINE std::optional<sample> trace_row::to_sample() const {
  if (reason != reject_reason::none || !t || !done) return std::nullopt;
  return sample{*t, *done, total};
}

COPYETA_INLINE std::vector<sample> trace::samples() const {
  std::vector<sample> out;
  out.reserve(rows.size());
  for (const auto& row : rows)
    if (auto s = row.to_sample()) out.push_back(*s);
  return out;
}

COPYETA_INLINE trace read_trace_csv(std::istream& in, std::string name) {
  trace result;
  result.name = std::move(name);
  std::string line;
  std::size_t line_no = 0;

  // The header: the first non-blank line.
  std::vector<std::string_view> header;
  std::string header_line;
  while (header.empty() && std::getline(in, header_line)) {
    ++line_no;
    if (!detail::trim(header_line).empty()) header = detail::split_csv(header_line);
  }
  const auto column = [&](std::string_view wanted) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == wanted) return i;
    return std::nullopt;
  };
  const auto t_col = column("t_seconds");
  const auto done_col = column("bytes_done");
  const auto total_col = column("bytes_total");
  const auto eta_col = column("tool_eta_seconds");
  for (const auto& [col, wanted] : {std::pair{t_col, "t_seconds"}, std::pair{done_col, "bytes_done"}})
    if (!col)
      throw input_error(fmt::format("[copyeta.input] {}:{}: missing column '{}' (the header needs "
                                    "t_seconds and bytes_done; bytes_total is optional)",
                                    result.name, line_no == 0 ? 1 : line_no, wanted));

  while (std::getline(in, line)) {
    ++line_no;
    if (detail::trim(line).empty()) continue;
    const auto fields = detail::split_csv(line);
    trace_row row;
    row.line = line_no;
    const auto report = [&](reject_reason reason, std::string_view col, std::string_view value,
                            std::string_view what) {
      if (row.reason != reject_reason::none) return;  // the first problem names the row
      row.reason = reason;
      row.error = fmt::format("{}:{}: column {}: '{}' {}", result.name, line_no, col, value, what);
    };
    const auto field = [&](std::optional<std::size_t> col) -> std::optional<std::string_view> {
      if (!col || *col >= fields.size()) return std::nullopt;
      return fields[*col];
    };

    if (const auto text = field(t_col); !text || text->empty()) {
      report(reject_reason::malformed, "t_seconds", text.value_or(""), "is missing");
    } else if (const auto t = detail::parse_double(*text); !t) {
      report(reject_reason::malformed, "t_seconds", *text, "is not a number");
    } else {
      row.t = *t;
      if (!std::isfinite(*t))
        report(reject_reason::time_not_finite, "t_seconds", *text, "is not a finite time");
      else if (std::fabs(*t) > max_abs_time)
        report(reject_reason::time_too_large, "t_seconds", *text, "is beyond ±2^53 seconds");
    }

    const auto parse = [&](std::string_view col, std::string_view text,
                           std::optional<amount>& out) {
      reject_reason why = reject_reason::none;
      out = parse_amount(text, &why);
      if (!out) report(why, col, text, fmt::format("is not a valid amount ({})", to_string(why)));
    };
    if (const auto text = field(done_col); !text || text->empty())
      report(reject_reason::malformed, "bytes_done", text.value_or(""), "is missing");
    else
      parse("bytes_done", *text, row.done);
    if (const auto text = field(total_col); text && !text->empty())
      parse("bytes_total", *text, row.total);
    if (const auto text = field(eta_col); text && !text->empty())
      row.tool_eta = detail::parse_double(*text);

    result.rows.push_back(std::move(row));
  }
  return result;
}

COPYETA_INLINE trace parse_trace_csv(std::string_view text, std::string name) {
  std::istringstream in{std::string(text)};
  return read_trace_csv(in, std::move(name));
}

COPYETA_INLINE trace read_trace_csv_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw input_error(fmt::format("[copyeta.input] {}: cannot open the file", path));
  return read_trace_csv(in, path);
}

}  // namespace copyeta
