#pragma once

#include <copyeta/parsers/dd.hpp>
#include <copyeta/units.hpp>

namespace copyeta::parsers {

namespace dd_detail {

// The exact count written just before `pos` (which points at the space before "bytes").
inline std::optional<amount> count_before(std::string_view line, std::size_t pos) noexcept {
  std::size_t start = pos;
  while (start > 0 && detail::text::is_digit(line[start - 1])) --start;
  if (start == pos) return std::nullopt;
  // Not glued to a word or a number with a fraction ("x12 bytes", "1.5 bytes").
  if (start > 0) {
    const char c = line[start - 1];
    if (c == '.' || c == ',' || c == '-' || c == '+' || (c >= 'a' && c <= 'z') ||
        (c >= 'A' && c <= 'Z'))
      return std::nullopt;
  }
  return detail::text::plain_integer(line.substr(start, pos - start));
}

// The number right after `pos`, up to a space: dd's seconds.
inline std::optional<double> seconds_at(std::string_view line, std::size_t pos) noexcept {
  std::size_t end = pos;
  while (end < line.size() && (detail::text::is_digit(line[end]) || line[end] == '.')) ++end;
  return detail::text::plain_number(line.substr(pos, end - pos));
}

}  // namespace dd_detail

COPYETA_INLINE std::optional<progress_reading> dd_parser::feed(std::string_view line) {
  // GNU and uutils: "<N> bytes[ (...)] copied, <T> s, <rate>"; "1 byte copied" when N is 1.
  // BSD/macOS: "<N> bytes transferred in <T> secs (<rate> bytes/sec)".
  for (const std::string_view word : {std::string_view(" bytes "), std::string_view(" byte ")}) {
    const std::size_t at = line.find(word);
    if (at == std::string_view::npos) continue;
    const auto done = dd_detail::count_before(line, at);
    if (!done) return std::nullopt;
    std::optional<double> t;
    if (const std::size_t copied = line.find(" copied, ", at); copied != std::string_view::npos) {
      const std::size_t pos = copied + 9;
      t = dd_detail::seconds_at(line, pos);
      // The seconds are followed by " s," (GNU: "3058 s, 38.4 MB/s"), or " s" at the end.
      const std::size_t after = line.find(' ', pos);
      if (!t || after == std::string_view::npos || line.substr(after, 2) != " s" ||
          (after + 2 < line.size() && line[after + 2] != ','))
        return std::nullopt;
      // Between "bytes" and "copied" only the "(118 GB, 110 GiB)" aside may appear.
      const std::size_t start = at + word.size() - 1;  // the space after "bytes"
      const std::string_view between =
          detail::text::strip(line.substr(start, copied - start));
      if (!between.empty() && (between.front() != '(' || between.back() != ')')) return std::nullopt;
    } else if (const std::size_t in = line.find(" transferred in ", at);
               in == at + word.size() - 1) {
      t = dd_detail::seconds_at(line, in + 16);
      if (!t || line.find(" secs", in + 16) == std::string_view::npos) return std::nullopt;
    } else {
      return std::nullopt;
    }
    progress_reading r;
    r.done = done;
    r.t = t;
    return r;
  }
  return std::nullopt;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_dd_parser() {
  return std::make_unique<dd_parser>();
}

}  // namespace copyeta::parsers
